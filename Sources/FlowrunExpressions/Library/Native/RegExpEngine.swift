import Foundation
import Synchronization

/// JavaScript regular expressions on top of ICU (`NSRegularExpression`): translates the pattern
/// where the dialects differ and caches compiled expressions.
enum RegExpEngine {
    struct Invalid: Error {}

    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    /// The compiled expression for a JavaScript pattern and flags.
    static func compile(_ source: String, flags: String) throws -> NSRegularExpression {
        let key = flags + "/" + source
        if let hit = cache.withLock({ $0[key] }) { return hit }
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        let translated = translate(source, multiline: flags.contains("m"), unicode: flags.contains("u") || flags.contains("v"))
        guard let regex = try? NSRegularExpression(pattern: translated, options: options) else { throw Invalid() }
        cache.withLock { c in
            if c.count > 2000 { c.removeAll() }
            c[key] = regex
        }
        return regex
    }

    /// Rewrites JavaScript-only syntax into ICU syntax.
    static func translate(_ source: String, multiline: Bool, unicode: Bool) -> String {
        let chars = Array(source.unicodeScalars)
        var out = ""
        var i = 0
        var inClass = false
        var classStart = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { out += "\\\\"; break }
                let n = chars[i + 1]
                switch n {
                case "d" where !inClass: out += "[0-9]"
                case "d": out += "0-9"
                case "D" where !inClass: out += "[^0-9]"
                case "w" where !inClass: out += "[A-Za-z0-9_]"
                case "w": out += "A-Za-z0-9_"
                case "W" where !inClass: out += "[^A-Za-z0-9_]"
                case "u" where i + 2 < chars.count && chars[i + 2] == "{":
                    // \u{1F600} → \x{1F600}
                    out += "\\x"
                case "c", "k":
                    if n == "k", i + 2 < chars.count, chars[i + 2] == "<" {
                        out += "\\k"
                    } else {
                        out += "\\" + String(n)
                    }
                case "/": out += "/"
                case "-" where !inClass: out += "\\-"
                default:
                    out += "\\" + String(n)
                }
                i += 2
                classStart = false
                continue
            }
            if inClass {
                if c == "]" && !classStart {
                    inClass = false
                    out += "]"
                } else if c == "[" {
                    out += "\\["
                } else if c == "]" && classStart {
                    out += "\\]"
                } else if c == "&" || c == "~" {
                    out += "\\" + String(c)
                } else {
                    out.unicodeScalars.append(c)
                }
                classStart = false
                i += 1
                continue
            }
            switch c {
            case "[":
                if i + 2 < chars.count, chars[i + 1] == "^", chars[i + 2] == "]" {
                    out += "[\\s\\S]"
                    i += 3
                    continue
                }
                if i + 1 < chars.count, chars[i + 1] == "]" {
                    out += "(?!)"
                    i += 2
                    continue
                }
                inClass = true
                classStart = true
                out += "["
                if i + 1 < chars.count, chars[i + 1] == "^" {
                    out += "^"
                    i += 1
                }
            case "$" where !multiline:
                out += "(?!(?s:.))"
            case "{":
                // A brace that does not start a quantifier is a literal in JavaScript.
                var j = i + 1
                var body = ""
                while j < chars.count, chars[j] != "}", body.count < 24 { body.unicodeScalars.append(chars[j]); j += 1 }
                let isQuantifier = j < chars.count && chars[j] == "}" && body.range(of: #"^\d+(,\d*)?$"#, options: .regularExpression) != nil
                out += isQuantifier ? "{" : "\\{"
            case "}":
                // Closing brace of a real quantifier was emitted with it; any other is literal.
                if out.hasSuffix("\\{") || !Self.closesQuantifier(out) { out += "\\}" } else { out += "}" }
            default:
                out.unicodeScalars.append(c)
            }
            i += 1
        }
        return out
    }

    /// Whether the text so far ends inside `{digits[,digits]` of a quantifier.
    private static func closesQuantifier(_ text: String) -> Bool {
        guard let open = text.lastIndex(of: "{") else { return false }
        if open > text.startIndex, text[text.index(before: open)] == "\\" { return false }
        let body = text[text.index(after: open)...]
        return !body.isEmpty && body.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ",") }
    }

    /// One match: the UTF-16 ranges of the whole match and of each group (nil = did not take part).
    struct Match {
        var ranges: [Range<Int>?]
        var names: [String: Int]
    }

    static func groupNames(_ source: String) -> [String: Int] {
        var names: [String: Int] = [:]
        var group = 0
        let chars = Array(source.unicodeScalars)
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            if c == "[" { inClass = true }
            if c == "(" {
                if i + 1 < chars.count, chars[i + 1] == "?" {
                    if i + 2 < chars.count, chars[i + 2] == "<", i + 3 < chars.count, chars[i + 3] != "=", chars[i + 3] != "!" {
                        group += 1
                        var name = ""
                        var j = i + 3
                        while j < chars.count, chars[j] != ">" { name.unicodeScalars.append(chars[j]); j += 1 }
                        names[name] = group
                    }
                } else {
                    group += 1
                }
            }
            i += 1
        }
        return names
    }

    /// The first match at or after UTF-16 offset `from` (or exactly at it when `sticky`).
    static func firstMatch(_ regex: NSRegularExpression, in text: NSString, from: Int, sticky: Bool) -> [Range<Int>?]? {
        guard from <= text.length else { return nil }
        // Transparent, non-anchoring bounds: `\b`, lookbehind and `^` see the text before `from`.
        var options: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]
        if sticky { options.insert(.anchored) }
        guard let m = regex.firstMatch(in: text as String, options: options, range: NSRange(location: from, length: text.length - from)) else {
            return nil
        }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
        }
    }
}
