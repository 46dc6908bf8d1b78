#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON message whose `itemsKey` member is an array of n8n items straight into `Item`s:
/// no `JSONValue` wrapper per item, and the keys of item objects that have the keys of the one
/// before (the usual case) compared as bytes instead of decoded into new strings.
///
/// For a task runner's answer (`{"type":"done",…,"items":[{"json":{…}},…]}`): the other members come
/// back as a `JSONObject`. The fast path takes only items in the plain form, every element an object
/// whose keys are all item keys (`json`, `binary`, `pairedItem`, `error`, `metadata`, `index`), none
/// repeated, `json` present and an object, `binary` absent or an object; anything else (a wrong
/// shape that must be reported, plain objects that are wrapped) leaves `items` nil and the array in
/// `fields[itemsKey]` as a `JSONValue`, exactly as `JSONValue(parsing:)` reads it.
public struct JSONItemsMessage: Sendable {
    /// The message's members, without the items when they were read as `Item`s.
    public var fields: JSONObject
    /// The items, when the array was in the plain form.
    public var items: [Item]?

    /// Parses `bytes`.
    ///
    /// - Parameters:
    ///   - itemsKey: the member holding the items.
    ///   - pairedItem: turns an item's `pairedItem` JSON into links (nil drops them).
    /// - Throws: `JSONParseError` when the text is not JSON (or not an object).
    public init(
        parsing bytes: UnsafeRawBufferPointer, itemsKey: String = "items", pairedItem: (JSONValue) -> [PairedItem]?
    ) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes.bindMemory(to: UInt8.self), maxDepth: 512)
        (fields, items) = try parser.parseItemsMessage(itemsKey: itemsKey, pairedItem: pairedItem)
    }
}

extension JSONParser {
    mutating func parseItemsMessage(
        itemsKey: String, pairedItem: (JSONValue) -> [PairedItem]?
    ) throws(JSONParseError) -> (JSONObject, [Item]?) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw error("expected an object") }
        try enter()
        defer { depth -= 1 }
        index += 1
        var fields = JSONObject()
        var items: [Item]?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                index += 1
                skipWhitespace()
                var read = false
                if key == itemsKey, items == nil, index < bytes.count, bytes[index] == UInt8(ascii: "[") {
                    let start = index
                    if let list = try parsePlainItems(pairedItem: pairedItem) {
                        items = list
                        read = true
                    } else {
                        index = start
                    }
                }
                if !read {
                    if key == itemsKey { items = nil }
                    fields[key] = try parseValue()
                }
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of input inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
                index += 1
                break
            }
        }
        skipWhitespace()
        if index < bytes.count { throw error("unexpected text after the JSON value") }
        return (fields, items)
    }

    /// The array at `index` as items, or nil (index anywhere) when an element is not a plain item.
    mutating func parsePlainItems(pairedItem: (JSONValue) -> [PairedItem]?) throws(JSONParseError) -> [Item]? {
        try enter()
        defer { depth -= 1 }
        index += 1
        var items: [Item] = []
        var predicted: OrderedSet<String>?
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            skipWhitespace()
            guard let item = try parsePlainItem(predicted: &predicted, pairedItem: pairedItem) else { return nil }
            items.append(item)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array") }
            index += 1
            return items
        }
    }

    private mutating func parsePlainItem(
        predicted: inout OrderedSet<String>?, pairedItem: (JSONValue) -> [PairedItem]?
    ) throws(JSONParseError) -> Item? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        try enter()
        defer { depth -= 1 }
        index += 1
        var json: JSONObject?
        var binary: JSONObject?
        var paired: JSONValue?
        var errorValue: JSONValue?
        var seen: UInt8 = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return nil }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try parseString()
            let bit: UInt8
            switch key {
            case "json": bit = 1
            case "binary": bit = 2
            case "pairedItem": bit = 4
            case "error": bit = 8
            case "metadata": bit = 16
            case "index": bit = 32
            default: return nil
            }
            if seen & bit != 0 { return nil }
            seen |= bit
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            index += 1
            skipWhitespace()
            switch bit {
            case 1:
                guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
                json = try parsePredictedObject(&predicted)
            case 2:
                guard case .object(let object) = try parseValue() else { return nil }
                binary = object
            case 4: paired = try parseValue()
            case 8: errorValue = try parseValue()
            default: _ = try parseValue()
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
            index += 1
            break
        }
        guard let json else { return nil }
        return Item(json: json, binary: binary, pairedItem: paired.flatMap(pairedItem), error: errorValue)
    }

    /// An object whose keys are compared, as bytes, with `predicted` (the keys of the object read
    /// before at this place): the predicted strings are reused and the key list shared.
    ///
    /// While the keys match, the values go straight into the object's own array (made once at the
    /// predicted size); at the first key that does not match, what was read moves to the scratch
    /// stacks and the rest is read as any object.
    private mutating func parsePredictedObject(_ predicted: inout OrderedSet<String>?) throws(JSONParseError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return [:]
        }
        var matched: [JSONValue] = []
        var closed = false
        if let shape = predicted {
            matched.reserveCapacity(shape.count)
            while matched.count < shape.count {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), matchKey(shape[matched.count]) != nil else { break }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                index += 1
                skipWhitespace()
                matched.append(try parseValue())
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of input inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    continue
                }
                guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
                index += 1
                if matched.count == shape.count { return JSONObject(uncheckedUniqueKeys: shape, values: matched) }
                closed = true
                break
            }
        }
        let keyStart = scratchKeys.count
        let valueStart = scratchValues.count
        defer {
            scratchKeys.removeSubrange(keyStart...)
            scratchValues.removeSubrange(valueStart...)
        }
        if !matched.isEmpty, let shape = predicted {
            scratchKeys.append(contentsOf: shape.elements[0..<matched.count])
            scratchValues.append(contentsOf: matched)
        }
        var position = matched.count
        while !closed {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            scratchKeys.append(try parseString())
            position += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            index += 1
            skipWhitespace()
            scratchValues.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
            index += 1
            closed = true
        }
        let object = shapes.object(keys: scratchKeys[keyStart...], values: scratchValues[valueStart...])
        // Only keys JSON writes as they are (no escapes) can be matched as bytes.
        predicted = object.count == position && object.keys.allSatisfy(Self.isPlainKey) ? object.keys : nil
        return object
    }

    static func isPlainKey(_ key: String) -> Bool {
        key.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// When the quoted key at `index` is exactly `key` (no escapes), moves past it and returns `key`.
    @inline(__always)
    private mutating func matchKey(_ key: String) -> String? {
        var key = key
        let matched = key.withUTF8 { utf8 -> Bool in
            let end = index + 1 + utf8.count
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return false }
            guard let base = utf8.baseAddress, let text = bytes.baseAddress else { return utf8.isEmpty }
            return memcmp(text + index + 1, base, utf8.count) == 0
        }
        guard matched else { return nil }
        index += key.utf8.count + 2
        return key
    }
}
