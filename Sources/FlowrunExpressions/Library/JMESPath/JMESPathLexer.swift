extension JMESPath {
    struct Token {
        enum Kind: Equatable {
            case identifier(String)
            case quotedIdentifier(String)
            case literal(JSONValue)
            case number(Int)
            case op(String)
            case eof
        }

        var kind: Kind
        var text: String
    }

    static func tokenize(_ query: String) throws -> [Token] {
        let chars = Array(query)
        var tokens: [Token] = []
        var i = 0
        func isIdentStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        func isIdentPart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if isIdentStart(c) {
                var j = i
                while j < chars.count, isIdentPart(chars[j]) { j += 1 }
                let name = String(chars[i..<j])
                tokens.append(Token(kind: .identifier(name), text: name))
                i = j
                continue
            }
            if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i + 1
                while j < chars.count, chars[j].isNumber { j += 1 }
                let text = String(chars[i..<j])
                guard let n = Int(text) else { throw Failure(message: "Invalid number: \(text)") }
                tokens.append(Token(kind: .number(n), text: text))
                i = j
                continue
            }
            switch c {
            case "\"":
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += chars[j] == "\\" ? 2 : 1 }
                guard j < chars.count else { throw Failure(message: "Unterminated quoted identifier") }
                let raw = String(chars[i...j])
                guard case .string(let name)? = try? JSONValue(parsing: raw) else { throw Failure(message: "Invalid quoted identifier: \(raw)") }
                tokens.append(Token(kind: .quotedIdentifier(name), text: raw))
                i = j + 1
            case "'":
                var j = i + 1
                var text = ""
                while j < chars.count, chars[j] != "'" {
                    if chars[j] == "\\", j + 1 < chars.count, chars[j + 1] == "'" || chars[j + 1] == "\\" {
                        text.append(chars[j + 1])
                        j += 2
                    } else {
                        text.append(chars[j])
                        j += 1
                    }
                }
                guard j < chars.count else { throw Failure(message: "Unterminated raw string") }
                tokens.append(Token(kind: .literal(.string(text)), text: text))
                i = j + 1
            case "`":
                var j = i + 1
                var text = ""
                while j < chars.count, chars[j] != "`" {
                    if chars[j] == "\\", j + 1 < chars.count, chars[j + 1] == "`" {
                        text.append("`")
                        j += 2
                    } else {
                        text.append(chars[j])
                        j += 1
                    }
                }
                guard j < chars.count else { throw Failure(message: "Unterminated literal") }
                let value: JSONValue
                if let parsed = try? JSONValue(parsing: text) {
                    value = parsed
                } else if let parsed = try? JSONValue(parsing: "\"" + text.trimmingJMESWhitespace() + "\"") {
                    value = parsed
                } else {
                    throw Failure(message: "Invalid literal: \(text)")
                }
                tokens.append(Token(kind: .literal(value), text: text))
                i = j + 1
            default:
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                if ["[?", "[]", "||", "&&", "==", "!=", "<=", ">="].contains(two) {
                    tokens.append(Token(kind: .op(two), text: two))
                    i += 2
                } else if ".*[](){},:@&|!<>".contains(c) {
                    tokens.append(Token(kind: .op(String(c)), text: String(c)))
                    i += 1
                } else {
                    throw Failure(message: "Unknown character: \(c)")
                }
            }
        }
        tokens.append(Token(kind: .eof, text: ""))
        return tokens
    }
}

extension String {
    func trimmingJMESWhitespace() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
