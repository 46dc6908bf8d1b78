extension JSONValue {
    /// This value as JSON text, the way JavaScript's `JSON.stringify` writes it.
    ///
    /// - Parameter indent: spaces per level; 0 gives compact output.
    public func jsonString(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    func write(to out: inout String, indent: Int, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? JSNumberFormatting.string(n) : "null"
        case .string(let s): JSONValue.writeQuoted(s, to: &out)
        case .array(let a):
            if a.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, element) in a.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent: indent, level: level + 1)
                element.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent: indent, level: level)
            out += "]"
        case .object(let o):
            if o.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            var first = true
            for (key, value) in JSONValue.enumerationOrder(o) {
                if !first { out += "," }
                first = false
                newline(&out, indent: indent, level: level + 1)
                JSONValue.writeQuoted(key, to: &out)
                out += indent > 0 ? ": " : ":"
                value.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent: indent, level: level)
            out += "}"
        }
    }

    /// The members in the order JavaScript enumerates an object's keys: keys that are array
    /// indexes ("0", "17") first in ascending order, then the others in insertion order.
    ///
    /// Only objects with such keys pay for the reordering.
    public static func enumerationOrder(_ o: JSONObject) -> [(key: String, value: JSONValue)] {
        guard o.keys.contains(where: { arrayIndex($0) != nil }) else { return o.elements.map { ($0.key, $0.value) } }
        var indexed: [(index: UInt32, key: String, value: JSONValue)] = []
        var named: [(key: String, value: JSONValue)] = []
        for (key, value) in o {
            if let index = arrayIndex(key) { indexed.append((index, key, value)) } else { named.append((key, value)) }
        }
        indexed.sort { $0.index < $1.index }
        return indexed.map { ($0.key, $0.value) } + named
    }

    /// The value of `key` when it is a canonical array index (0 ..< 2^32 - 1, no leading zeros).
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, first >= 0x30, first <= 0x39, utf8.count <= 10 else { return nil }
        if first == 0x30 && utf8.count > 1 { return nil }
        guard utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(key), value < 4_294_967_295 else { return nil }
        return UInt32(value)
    }

    private func newline(_ out: inout String, indent: Int, level: Int) {
        guard indent > 0 else { return }
        out += "\n"
        out += String(repeating: " ", count: indent * level)
    }

    /// Appends `s` as a JSON string literal with JavaScript's escaping.
    public static func writeQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
