import Foundation

/// `DateTime.fromFormat(text, format, opts)`: Luxon's token parser.
extension LuxonDateTime {
    private struct TokenUnit {
        var regex: String
        var groups: Int = 1
        var key: Character?
        var literal = false
        var deserialize: ([String?]) -> Int?
    }

    private static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "-[]{}()*+?.,\\^$|#".contains(ch) || ch.isWhitespace { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    private static func oneOf(_ names: [String], start: Int) -> (String, ([String?]) -> Int?) {
        func fix(_ s: String) -> String {
            var out = ""
            for ch in s {
                if ch == "." { out += "\\.?" } else if ch.isWhitespace { out += "\\s" } else { out += NSRegularExpression.escapedPattern(for: String(ch)) }
            }
            return out
        }
        func strip(_ s: String) -> String {
            s.replacingOccurrences(of: ".", with: "").lowercased()
        }
        let regex = names.map(fix).joined(separator: "|")
        return (regex, { g in
            guard let s = g[0] else { return nil }
            guard let index = names.firstIndex(where: { strip($0) == strip(s) }) else { return nil }
            return index + start
        })
    }

    private static func unit(for token: (literal: Bool, value: String), locale: String) -> TokenUnit {
        if token.literal {
            return TokenUnit(regex: escape(token.value), literal: true) { _ in nil }
        }
        func int(_ r: String, _ post: @escaping (Int) -> Int = { $0 }) -> TokenUnit {
            TokenUnit(regex: r, key: token.value.first) { g in g[0].flatMap { Int($0) }.map(post) }
        }
        func list(_ names: [String], _ start: Int) -> TokenUnit {
            let (regex, deser) = oneOf(names, start: start)
            return TokenUnit(regex: regex, key: token.value.first, deserialize: deser)
        }
        let one = "\\d", two = "\\d{2}", three = "\\d{3}", four = "\\d{4}", six = "\\d{6}"
        let oneOrTwo = "\\d{1,2}", oneToThree = "\\d{1,3}", oneToSix = "\\d{1,6}", oneToNine = "\\d{1,9}"
        let twoToFour = "\\d{2,4}", fourToSix = "\\d{4,6}"
        switch token.value {
        case "G": return list(LuxonLocale.eras(.short), 0)
        case "GG": return list(LuxonLocale.eras(.long), 0)
        case "y": return int(oneToSix)
        case "yy": return int(twoToFour, untruncateYear)
        case "yyyy": return int(four)
        case "yyyyy": return int(fourToSix)
        case "yyyyyy": return int(six)
        case "M", "L", "d", "H", "h", "m", "q", "s", "W": return int(oneOrTwo)
        case "MM", "LL", "dd", "HH", "hh", "mm", "qq", "ss", "WW": return int(two)
        case "MMM", "LLL": return list(LuxonLocale.months(locale, .short), 1)
        case "MMMM", "LLLL": return list(LuxonLocale.months(locale, .long), 1)
        case "o": return int(oneToThree)
        case "ooo": return int(three)
        case "S": return int(oneToThree)
        case "SSS": return int(three)
        case "u": return TokenUnit(regex: oneToNine, key: "u") { g in Int(parseMillis(g[0])) }
        case "uu": return TokenUnit(regex: oneOrTwo, key: "u") { g in Int(parseMillis(g[0])) }
        case "uuu": return TokenUnit(regex: one, key: "u") { g in Int(parseMillis(g[0])) }
        case "a": return list(LuxonLocale.meridiems(locale), 0)
        case "kkkk": return int(four)
        case "kk": return int(twoToFour, untruncateYear)
        case "E", "c": return int(one)
        case "EEE", "ccc": return list(LuxonLocale.weekdays(locale, .short), 1)
        case "EEEE", "cccc": return list(LuxonLocale.weekdays(locale, .long), 1)
        case "Z", "ZZ":
            return TokenUnit(regex: "([+-]\(oneOrTwo))(?::(\(two)))?", groups: 3, key: "Z") { g in signedOffset(g[1], g[2]) }
        case "ZZZ":
            return TokenUnit(regex: "([+-]\(oneOrTwo))(\(two))?", groups: 3, key: "Z") { g in signedOffset(g[1], g[2]) }
        case "z":
            return TokenUnit(regex: "[A-Za-z_+\\-/]{1,256}?", key: "z") { _ in 0 }
        case " ":
            return TokenUnit(regex: "[^\\S\\n\\r]", literal: true) { _ in nil }
        default:
            return TokenUnit(regex: escape(token.value), literal: true) { _ in nil }
        }
    }

    static func signedOffset(_ hours: String?, _ minutes: String?) -> Int {
        let h = hours.flatMap { Int($0) } ?? 0
        let m = minutes.flatMap { Int($0) } ?? 0
        let negative = h < 0 || (hours?.hasPrefix("-") ?? false)
        return h * 60 + (negative ? -m : m)
    }

    /// `DateTime.fromFormat(text, format, opts)`.
    package static func fromFormat(_ text: String, format: String, options: ParseOptions) -> LuxonDateTime {
        let tokens = parseFormat(format)
        let units = tokens.map { unit(for: $0, locale: options.locale) }
        let pattern = "^" + units.map { "(\($0.regex))" }.joined() + "$"
        guard let groups = LuxonRegex.match(pattern, text, caseInsensitive: true) else {
            return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as format \(format)")
        }
        var matches: [Character: Int] = [:]
        var zoneName: String?
        var index = 1
        for u in units {
            let slice = Array(groups[index..<min(index + u.groups, groups.count)])
            if !u.literal, let key = u.key {
                if key == "z" { zoneName = slice.first ?? nil } else if let v = u.deserialize(slice) { matches[key] = v }
            }
            index += u.groups
        }
        var zone: LuxonZone?
        if let zoneName { zone = LuxonZone.named(zoneName) }
        if let z = matches["Z"], zone == nil { zone = .fixed(minutes: z) }
        if let q = matches["q"] { matches["M"] = (q - 1) * 3 + 1 }
        if let h = matches["h"] {
            if h < 12 && matches["a"] == 1 { matches["h"] = h + 12 } else if h == 12 && matches["a"] == 0 { matches["h"] = 0 }
        }
        if matches["G"] == 0, let y = matches["y"] { matches["y"] = -y }
        if let u = matches["u"] { matches["S"] = u }
        var fields: [String: Int] = [:]
        let map: [Character: String] = [
            "S": "millisecond", "s": "second", "m": "minute", "h": "hour", "H": "hour", "d": "day", "o": "ordinal",
            "L": "month", "M": "month", "y": "year", "E": "weekday", "c": "weekday", "W": "weekNumber", "k": "weekYear",
        ]
        for (key, value) in matches {
            if let field = map[key] { fields[field] = value }
        }
        if fields["weekNumber"] != nil, fields["weekYear"] == nil, let y = fields["year"] { fields["weekYear"] = y }
        return fromParsed(fields, parsedZone: zone, options: options, format: "format \(format)", text: text)
    }
}
