/// SQL text helpers for the Postgres node: identifier quoting (pg-promise's `:name`), splitting a
/// query into statements, and renumbering `$n` placeholders per statement. Quotes, dollar quotes
/// and comments are respected, so `;` or `$1` inside them are left alone.
enum PostgresSQLText {
    /// pg-promise's `:name` escaping: `"name"` with inner quotes doubled; `*` stays `*`.
    static func name(_ identifier: String) -> String {
        identifier == "*" ? "*" : "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `"schema"."table"`.
    static func qualified(_ schema: String, _ table: String) -> String {
        name(schema) + "." + name(table)
    }

    /// Names joined with `,` (pg-promise's `:name` of an array).
    static func names(_ identifiers: [String]) -> String {
        identifiers.map(name).joined(separator: ",")
    }

    /// One statement of a query: its text and the 1-based placeholder numbers it uses, in order
    /// of first appearance, with the text renumbered to `$1…`.
    struct Statement: Equatable {
        var sql: String
        /// `parameters[k]` = the original number of the placeholder now called `$(k+1)`.
        var parameters: [Int]
    }

    /// Splits `query` at top-level `;` (empty and comment-only statements dropped) and
    /// renumbers each statement's placeholders from `$1`.
    static func statements(_ query: String) -> [Statement] {
        var out: [Statement] = []
        var current = ""
        var meaningful = false
        var mapping: [Int: Int] = [:]
        var parameters: [Int] = []
        let chars = Array(query.unicodeScalars)
        var i = 0
        func flush() {
            if meaningful {
                out.append(Statement(sql: current.trimmingCharacters(in: .whitespacesAndNewlines), parameters: parameters))
            }
            current = ""
            meaningful = false
            mapping = [:]
            parameters = []
        }
        func append(_ from: Int, _ to: Int) {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: chars[from..<min(to, chars.count)])
            current += String(s)
        }
        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "-" where next == "-":
                var j = i
                while j < chars.count && chars[j] != "\n" { j += 1 }
                append(i, j)
                i = j
            case "/" where next == "*":
                var depth = 1, j = i + 2
                while j < chars.count && depth > 0 {
                    if chars[j] == "/" && j + 1 < chars.count && chars[j + 1] == "*" { depth += 1; j += 2; continue }
                    if chars[j] == "*" && j + 1 < chars.count && chars[j + 1] == "/" { depth -= 1; j += 2; continue }
                    j += 1
                }
                append(i, j)
                i = j
            case "'", "\"":
                let backslashes = c == "'" && i > 0 && (chars[i - 1] == "E" || chars[i - 1] == "e")
                var j = i + 1
                while j < chars.count {
                    if backslashes && chars[j] == "\\" { j += 2; continue }
                    if chars[j] == c {
                        if j + 1 < chars.count && chars[j + 1] == c { j += 2; continue }
                        break
                    }
                    j += 1
                }
                append(i, j + 1)
                meaningful = true
                i = j + 1
            case "$":
                // $n placeholder, or a dollar quote $tag$ … $tag$.
                var j = i + 1
                while j < chars.count, ("0"..."9").contains(chars[j]) { j += 1 }
                if j > i + 1, let number = Int(String(String.UnicodeScalarView(chars[(i + 1)..<j]))) {
                    let prev: Unicode.Scalar? = i > 0 ? chars[i - 1] : nil
                    if let p = prev, p.properties.isAlphabetic || ("0"..."9").contains(p) || p == "_" {
                        append(i, j)
                    } else {
                        let renumbered: Int
                        if let k = mapping[number] {
                            renumbered = k
                        } else {
                            parameters.append(number)
                            renumbered = parameters.count
                            mapping[number] = renumbered
                        }
                        current += "$\(renumbered)"
                    }
                    meaningful = true
                    i = j
                    continue
                }
                var k = i + 1
                while k < chars.count, chars[k].properties.isAlphabetic || chars[k] == "_" || ("0"..."9").contains(chars[k]) { k += 1 }
                let prev: Unicode.Scalar? = i > 0 ? chars[i - 1] : nil
                let isIdentifierChar = prev.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" } ?? false
                if k < chars.count, chars[k] == "$", !isIdentifierChar {
                    let tag = Array(chars[i...k])
                    var m = k + 1
                    var end = chars.count
                    while m + tag.count <= chars.count {
                        if Array(chars[m..<(m + tag.count)]) == tag { end = m + tag.count; break }
                        m += 1
                    }
                    append(i, end)
                    meaningful = true
                    i = end
                } else {
                    append(i, i + 1)
                    meaningful = true
                    i += 1
                }
            case ";":
                flush()
                i += 1
            default:
                if !c.properties.isWhitespace { meaningful = true }
                current.unicodeScalars.append(c)
                i += 1
            }
        }
        flush()
        return out
    }

    /// n8n's `isSelectQuery`: every statement starts with `select` (comments ignored).
    static func isSelect(_ statements: [Statement]) -> Bool {
        statements.allSatisfy { statement in
            firstWord(statement.sql) == "select"
        }
    }

    /// The first keyword of a statement (lowercased), skipping comments and parentheses.
    static func firstWord(_ sql: String) -> String {
        var text = Substring(sql)
        while true {
            text = text.drop(while: { $0.isWhitespace || $0 == "(" })
            if text.hasPrefix("--") {
                text = text.drop(while: { $0 != "\n" })
            } else if text.hasPrefix("/*"), let end = text.range(of: "*/") {
                text = text[end.upperBound...]
            } else {
                break
            }
        }
        return String(text.prefix(while: { $0.isLetter })).lowercased()
    }
}

import Foundation
