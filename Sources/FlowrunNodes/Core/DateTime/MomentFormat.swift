import FlowrunExpressions

/// moment.js `format()` tokens, as Date & Time v1 uses them (`YYYY-MM-DD`, `X`, `MMMM Do YYYY`).
enum MomentFormat {
    private static let tokens = [
        "YYYYYY", "YYYY", "YY", "MMMM", "MMM", "MM", "M", "DDDD", "DDD", "Do", "DD", "D", "dddd", "ddd", "dd", "d",
        "HH", "H", "hh", "h", "kk", "k", "mm", "m", "ss", "s", "SSS", "SS", "S", "A", "a", "ZZ", "Z", "X", "x",
        "Q", "WW", "W", "ww", "w", "E", "e", "GGGG", "gggg",
    ]

    static func format(_ date: LuxonDateTime, _ format: String) -> String {
        let chars = Array(format)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "[" {
                if let close = chars[(i + 1)...].firstIndex(of: "]") {
                    out += String(chars[(i + 1)..<close])
                    i = close + 1
                    continue
                }
            }
            var matched = false
            for token in tokens where i + token.count <= chars.count && String(chars[i..<(i + token.count)]) == token {
                out += value(token, date)
                i += token.count
                matched = true
                break
            }
            if !matched {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    private static func pad(_ n: Double, _ width: Int) -> String {
        let s = String(Int(abs(n)))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func ordinal(_ n: Int) -> String {
        let b = n % 10
        let suffix = (n % 100) / 10 == 1 ? "th" : (b == 1 ? "st" : (b == 2 ? "nd" : (b == 3 ? "rd" : "th")))
        return "\(n)\(suffix)"
    }

    private static func offset(_ minutes: Double, separator: String) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let m = Int(abs(minutes))
        return sign + pad(Double(m / 60), 2) + separator + pad(Double(m % 60), 2)
    }

    private static func value(_ token: String, _ d: LuxonDateTime) -> String {
        let weekday = Int(d.weekday) % 7
        switch token {
        case "YYYYYY": return (d.year < 0 ? "-" : "+") + pad(abs(d.year), 6)
        case "YYYY": return pad(d.year, 4)
        case "YY": return pad(Double(Int(d.year) % 100), 2)
        case "MMMM": return d.monthLong ?? ""
        case "MMM": return d.monthShort ?? ""
        case "MM": return pad(d.month, 2)
        case "M": return pad(d.month, 1)
        case "DDDD": return pad(d.ordinal, 3)
        case "DDD": return pad(d.ordinal, 1)
        case "Do": return ordinal(Int(d.day))
        case "DD": return pad(d.day, 2)
        case "D": return pad(d.day, 1)
        case "dddd": return d.weekdayLong ?? ""
        case "ddd": return d.weekdayShort ?? ""
        case "dd": return String((d.weekdayShort ?? "").prefix(2))
        case "d", "e": return String(weekday)
        case "E": return String(Int(d.weekday))
        case "HH": return pad(d.hour, 2)
        case "H": return pad(d.hour, 1)
        case "hh": return pad(Double((Int(d.hour) + 11) % 12 + 1), 2)
        case "h": return pad(Double((Int(d.hour) + 11) % 12 + 1), 1)
        case "kk": return pad(d.hour == 0 ? 24 : d.hour, 2)
        case "k": return pad(d.hour == 0 ? 24 : d.hour, 1)
        case "mm": return pad(d.minute, 2)
        case "m": return pad(d.minute, 1)
        case "ss": return pad(d.second, 2)
        case "s": return pad(d.second, 1)
        case "SSS": return pad(d.millisecond, 3)
        case "SS": return pad(Double(Int(d.millisecond) / 10), 2)
        case "S": return pad(Double(Int(d.millisecond) / 100), 1)
        case "A": return d.hour < 12 ? "AM" : "PM"
        case "a": return d.hour < 12 ? "am" : "pm"
        case "ZZ": return offset(d.offsetMinutes, separator: "")
        case "Z": return offset(d.offsetMinutes, separator: ":")
        case "X": return JSNumberFormatting.string((d.toMillis() / 1000).rounded(.down))
        case "x": return JSNumberFormatting.string(d.toMillis())
        case "Q": return pad(d.quarter, 1)
        case "WW", "ww": return pad(d.weekNumber, 2)
        case "W", "w": return pad(d.weekNumber, 1)
        case "GGGG", "gggg": return pad(d.weekYear, 4)
        default: return token
        }
    }

    /// `moment(value)` / `moment.tz(value, zone)`: ISO 8601 and RFC 2822 text, else `new Date(text)`;
    /// nil when invalid.
    static func parse(_ value: JSONValue, zone: LuxonZone) -> LuxonDateTime? {
        switch value {
        case .number(let n):
            return n.isFinite ? LuxonDateTime.fromMillis(n, zone: zone) : nil
        case .string(let s):
            let options = LuxonDateTime.ParseOptions(zone: zone)
            let iso = LuxonDateTime.fromISO(s, options: options)
            if iso.isValid { return iso }
            let rfc = LuxonDateTime.fromRFC2822(s, options: options)
            if rfc.isValid { return rfc }
            if let ms = JSDateParser.parse(s, localZone: zone) { return LuxonDateTime.fromMillis(ms, zone: zone) }
            return nil
        default:
            return nil
        }
    }
}
