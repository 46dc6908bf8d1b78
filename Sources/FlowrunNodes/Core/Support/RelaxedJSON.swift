import FlowrunExpressions

/// JSON as n8n accepts it where users type objects (`jsonParse(text, {acceptJSObject: true})`,
/// Set's raw mode): strict JSON first, then JavaScript object literal style with single-quoted
/// strings, unquoted keys and trailing commas.
enum RelaxedJSON {
    /// The parsed value, nil when the text is not (relaxed) JSON.
    static func parse(_ text: String) -> JSONValue? {
        if let v = try? JSONValue(parsing: text) { return v }
        guard let normalized = normalize(text) else { return nil }
        return try? JSONValue(parsing: normalized)
    }

    /// Rewrites object-literal syntax to strict JSON; nil on an unterminated string.
    static func normalize(_ text: String) -> String? {
        var out = ""
        let chars = Array(text)
        var i = 0
        func isIdentifierChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
        while i < chars.count {
            let c = chars[i]
            if c == "\"" || c == "'" {
                let quote = c
                out.append("\"")
                i += 1
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == "\\", i + 1 < chars.count {
                        if chars[i + 1] == "'" { out.append("'") } else { out.append(d); out.append(chars[i + 1]) }
                        i += 2
                        continue
                    }
                    if d == quote {
                        closed = true
                        i += 1
                        break
                    }
                    if d == "\"" { out.append("\\\"") } else if d == "\n" { out.append("\\n") } else { out.append(d) }
                    i += 1
                }
                if !closed { return nil }
                out.append("\"")
            } else if c == "," {
                var j = i + 1
                while j < chars.count, chars[j].isWhitespace { j += 1 }
                if j < chars.count, chars[j] == "}" || chars[j] == "]" {
                    i += 1
                    continue
                }
                out.append(c)
                i += 1
            } else if isIdentifierChar(c) && !c.isNumber {
                var word = ""
                while i < chars.count, isIdentifierChar(chars[i]) {
                    word.append(chars[i])
                    i += 1
                }
                var j = i
                while j < chars.count, chars[j].isWhitespace { j += 1 }
                let isKey = j < chars.count && chars[j] == ":" && !["true", "false", "null"].contains(word)
                if isKey || (j < chars.count && chars[j] == ":") {
                    out += "\"\(word)\""
                } else {
                    out += word
                }
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
