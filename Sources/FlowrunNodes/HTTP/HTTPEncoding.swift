import FlowrunExpressions
import Foundation

/// Encodings the HTTP Request node needs: `qs`-style query strings (brackets, indices, repeat),
/// lodash-style dotted paths, multipart bodies.
enum HTTPEncoding {
    /// `qs.stringify(object, {arrayFormat})`: keys and values percent-encoded (RFC 3986 unreserved
    /// kept), nested objects as `a[b]=c`, `null` as `a=`, `undefined` members skipped.
    static func queryString(_ object: JSONObject, arrayFormat: String) -> String {
        var pairs: [String] = []
        for (key, value) in object { append(key, value, arrayFormat, &pairs) }
        return pairs.joined(separator: "&")
    }

    private static func append(_ key: String, _ value: JSONValue, _ format: String, _ pairs: inout [String]) {
        switch value {
        case .object(let o):
            for (k, v) in o { append("\(key)[\(k)]", v, format, &pairs) }
        case .array(let a):
            for (i, v) in a.enumerated() {
                let name: String
                switch format {
                case "indices": name = "\(key)[\(i)]"
                case "repeat": name = key
                default: name = "\(key)[]"
                }
                append(name, v, format, &pairs)
            }
        case .null:
            pairs.append(encode(key) + "=")
        default:
            pairs.append(encode(key) + "=" + encode(value.coercedString))
        }
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
        set.formUnion([])
        return set
    }()

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// lodash `set(object, path, value)` for `a.b[0].c` paths.
    static func set(_ object: inout JSONObject, path: String, value: JSONValue) {
        var keys: [String] = []
        var current = ""
        for ch in path {
            if ch == "." || ch == "[" || ch == "]" {
                if !current.isEmpty { keys.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { keys.append(current) }
        guard !keys.isEmpty else { return }
        var root = JSONValue.object(object)
        assign(&root, keys[...], value)
        if case .object(let o) = root { object = o }
    }

    private static func assign(_ target: inout JSONValue, _ keys: ArraySlice<String>, _ value: JSONValue) {
        guard let key = keys.first else {
            target = value
            return
        }
        let rest = keys.dropFirst()
        let nextIsIndex = rest.first.map { Int($0) != nil } ?? false
        if case .array(var a) = target, let index = Int(key), index >= 0 {
            while a.count <= index { a.append(.null) }
            var child = a[index]
            if rest.isEmpty { child = value } else {
                if !child.isContainer { child = nextIsIndex ? .array([]) : .object([:]) }
                assign(&child, rest, value)
            }
            a[index] = child
            target = .array(a)
            return
        }
        var o: JSONObject
        if case .object(let existing) = target { o = existing } else { o = [:] }
        var child = o[key] ?? (nextIsIndex ? .array([]) : .object([:]))
        if rest.isEmpty { child = value } else {
            if !child.isContainer { child = nextIsIndex ? .array([]) : .object([:]) }
            assign(&child, rest, value)
        }
        o[key] = child
        target = .object(o)
    }

    /// lodash `merge`: objects merge recursively, everything else is replaced.
    static func merge(_ base: JSONObject, _ other: JSONObject) -> JSONObject {
        var result = base
        for (key, value) in other {
            if case .object(let a)? = result[key], case .object(let b) = value {
                result[key] = .object(merge(a, b))
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// A form-data style boundary.
    static func boundary() -> String {
        "--------------------------" + String((0..<24).map { _ in "0123456789".randomElement()! })
    }

    static func multipart(_ parts: [MultipartPart], boundary: String) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(escape(part.name))\""
            if let fileName = part.fileName { head += "; filename=\"\(escape(fileName))\"" }
            head += "\r\n"
            if let contentType = part.contentType { head += "Content-Type: \(contentType)\r\n" }
            head += "\r\n"
            out += Array(head.utf8)
            out += part.value
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return out
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// The text encoding a content type's `charset` names, nil for UTF-8 (none, unknown or utf-8).
    static func declaredEncoding(contentType: String) -> String.Encoding? {
        guard contentType.utf8.contains(UInt8(ascii: "=")) else { return nil }
        let lower = contentType.lowercased()
        guard let range = lower.range(of: "charset=") else { return nil }
        let charset = String(lower[range.upperBound...].prefix { $0 != ";" && $0 != " " }).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        return switch charset {
        case "latin1", "iso-8859-1", "iso8859-1", "l1", "binary": .isoLatin1
        case "windows-1252", "cp1252": .windowsCP1252
        case "us-ascii", "ascii": .ascii
        case "utf-16", "utf-16le", "utf16le", "ucs-2": .utf16LittleEndian
        case "utf-16be": .utf16BigEndian
        default: nil
        }
    }

    /// Decodes a body with the charset its content type declares (UTF-8 when none or unknown).
    static func decodeText(_ bytes: [UInt8], contentType: String) -> String {
        if let encoding = declaredEncoding(contentType: contentType), let text = String(data: Data(bytes), encoding: encoding) { return text }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// Whether `text` is empty after `trimmingCharacters(in: .whitespacesAndNewlines)`, without
    /// Foundation for ASCII text.
    static func isBlank(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte >= 0x80 { return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if !isASCIIWhitespace(byte) { return false }
        }
        return true
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation when both ends
    /// are ASCII (a URL parameter per item).
    static func trimmingWhitespace(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80 else {
            return text.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if !isASCIIWhitespace(first) && !isASCIIWhitespace(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `text.contains(part)` as Foundation answers it, without Foundation's bridged search when
    /// both are ASCII (the content type of every answer is checked this way).
    static func contains(_ text: String, _ part: String) -> Bool {
        let haystack = text.utf8, needle = part.utf8
        guard haystack.allSatisfy({ $0 < 0x80 }), needle.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        guard let first = needle.first else { return text.contains(part) }
        let count = needle.count
        var start = haystack.startIndex
        while let found = haystack[start...].firstIndex(of: first) {
            guard haystack.distance(from: found, to: haystack.endIndex) >= count else { return false }
            if haystack[found...].starts(with: needle) { return true }
            start = haystack.index(after: found)
        }
        return false
    }

    /// Tab, line feed, vertical tab, form feed, carriage return, space: the ASCII members of
    /// `CharacterSet.whitespacesAndNewlines`.
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}

extension JSONValue {
    var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
