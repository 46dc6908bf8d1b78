public import FlowrunExpressions

/// Writes a `JSONValue` as block-style YAML that reads back to the same value.
///
/// Strings are plain only when no YAML reader could take them for anything else, multi-line text
/// becomes a literal block (`|`), and everything else is double-quoted with escapes, so the output
/// means the same under YAML 1.1 and 1.2 readers.
public enum YAMLWriter {
    /// The YAML text of `value`, ending in a newline.
    public static func write(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let o) where !o.isEmpty: writeMapping(o, indent: 0, firstPrefix: nil, to: &out)
        case .array(let a) where !a.isEmpty: writeSequence(a, indent: 0, firstPrefix: nil, to: &out)
        default:
            out += scalarText(value, indent: 0)
            out += "\n"
        }
        return out
    }

    private static func writeMapping(_ object: JSONObject, indent: Int, firstPrefix: String?, to out: inout String) {
        var first = true
        for (key, value) in object {
            out += first ? (firstPrefix ?? spaces(indent)) : spaces(indent)
            first = false
            out += keyText(key)
            out += ":"
            writeValue(value, indent: indent, to: &out)
        }
    }

    private static func writeSequence(_ array: [JSONValue], indent: Int, firstPrefix: String?, to out: inout String) {
        var first = true
        for element in array {
            let prefix = (first ? (firstPrefix ?? spaces(indent)) : spaces(indent)) + "- "
            first = false
            switch element {
            case .object(let o) where !o.isEmpty:
                writeMapping(o, indent: indent + 2, firstPrefix: prefix, to: &out)
            case .array(let a) where !a.isEmpty:
                writeSequence(a, indent: indent + 2, firstPrefix: prefix, to: &out)
            default:
                out += prefix
                out += scalarText(element, indent: indent + 2)
                out += "\n"
            }
        }
    }

    /// Writes what follows `key:` (a scalar on the same line, or a nested block).
    private static func writeValue(_ value: JSONValue, indent: Int, to out: inout String) {
        switch value {
        case .object(let o) where !o.isEmpty:
            out += "\n"
            writeMapping(o, indent: indent + 2, firstPrefix: nil, to: &out)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            writeSequence(a, indent: indent + 2, firstPrefix: nil, to: &out)
        default:
            out += " "
            out += scalarText(value, indent: indent + 2)
            out += "\n"
        }
    }

    private static func scalarText(_ value: JSONValue, indent: Int) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.isFinite ? numberText(n) : "null"
        case .string(let s): stringText(s, indent: indent)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// JavaScript's number text, with `.0` before a bare exponent (`1.0e+21`) so YAML 1.1 readers,
    /// whose floats need a dot, read a number too.
    static func numberText(_ n: Double) -> String {
        let text = JSNumberFormatting.string(n)
        guard let e = text.firstIndex(of: "e"), !text[..<e].contains(".") else { return text }
        return text[..<e] + ".0" + text[e...]
    }

    private static func keyText(_ key: String) -> String {
        isPlainSafe(key) ? key : doubleQuoted(key)
    }

    static func stringText(_ s: String, indent: Int) -> String {
        if isPlainSafe(s) { return s }
        if let block = literalBlock(s, indent: indent) { return block }
        return doubleQuoted(s)
    }

    /// Words some YAML reader takes for a boolean or null.
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic, last != " ", s.count <= 200 else { return false }
        if reserved.contains(s.lowercased()) { return false }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", "_", "-", ".", "/", "(", ")", "@", "$", "'", "+": continue
            default:
                if scalar.value > 0x7F && isPrintable(scalar) && !isBreak(scalar) && scalar.value != 0xFEFF
                    && !scalar.properties.isWhitespace
                {
                    continue
                }
                return false
            }
        }
        return true
    }

    /// A literal block scalar for multi-line text, when one reads back exactly.
    private static func literalBlock(_ s: String, indent: Int) -> String? {
        guard s.contains("\n") else { return nil }
        for scalar in s.unicodeScalars {
            if scalar == "\n" || scalar == "\t" { continue }
            if scalar == "\r" || isBreak(scalar) || !isPrintable(scalar) || scalar.value == 0xFEFF { return nil }
        }
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var trailing = 0
        while let last = lines.last, last.isEmpty, lines.count > 1 {
            lines.removeLast()
            trailing += 1
        }
        // A first line starting with blanks would need an indentation indicator; quote instead.
        guard let firstText = lines.first(where: { !$0.isEmpty }), let lead = firstText.first, lead != " ",
            lead != "\t"
        else { return nil }
        let chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+"
        var out = "|\(chomp)"
        let pad = spaces(max(indent, 2))
        for line in lines {
            out += "\n"
            if !line.isEmpty { out += pad + line }
        }
        for _ in 0..<max(0, trailing - 1) { out += "\n" }
        // The caller writes the final newline.
        return out
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || isBreak(scalar) || !isPrintable(scalar)
                    || scalar.value == 0xFEFF
                {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    if scalar.value <= 0xFFFF {
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// YAML's printable set (c-printable), without the line breaks.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Characters libyaml treats as line breaks besides `\n` and `\r`.
    private static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    private static func spaces(_ n: Int) -> String { String(repeating: " ", count: n) }
}
