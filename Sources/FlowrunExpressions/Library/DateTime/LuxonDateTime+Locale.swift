/// `toLocaleString` with Luxon's presets (`DateTime.DATE_MED` …), rendered as Node's `en-US`
/// `Intl.DateTimeFormat` does, plus `toRelative`.
extension LuxonDateTime {
    /// A subset of `Intl.DateTimeFormat` options.
    package struct LocaleFormat: Sendable, Equatable {
        package var weekday: String?
        package var year: String?
        package var month: String?
        package var day: String?
        package var hour: String?
        package var minute: String?
        package var second: String?
        package var timeZoneName: String?
        package var hour12: Bool = true

        package init(weekday: String? = nil, year: String? = nil, month: String? = nil, day: String? = nil,
                     hour: String? = nil, minute: String? = nil, second: String? = nil, timeZoneName: String? = nil, hour12: Bool = true) {
            self.weekday = weekday
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
            self.timeZoneName = timeZoneName
            self.hour12 = hour12
        }

        /// The JavaScript object Luxon exposes as `DateTime.DATE_MED` etc.
        package var fields: [(String, String)] {
            var out: [(String, String)] = []
            if let v = weekday { out.append(("weekday", v)) }
            if let v = year { out.append(("year", v)) }
            if let v = month { out.append(("month", v)) }
            if let v = day { out.append(("day", v)) }
            if let v = hour { out.append(("hour", v)) }
            if let v = minute { out.append(("minute", v)) }
            if let v = second { out.append(("second", v)) }
            if let v = timeZoneName { out.append(("timeZoneName", v)) }
            if !hour12, hour != nil { out.append(("hourCycle", "h23")) }
            return out
        }
    }

    /// Luxon's named presets.
    package static let presets: [String: LocaleFormat] = {
        let n = "numeric", s = "short", l = "long", d2 = "2-digit"
        var p: [String: LocaleFormat] = [:]
        p["DATE_SHORT"] = LocaleFormat(year: n, month: n, day: n)
        p["DATE_MED"] = LocaleFormat(year: n, month: s, day: n)
        p["DATE_MED_WITH_WEEKDAY"] = LocaleFormat(weekday: s, year: n, month: s, day: n)
        p["DATE_FULL"] = LocaleFormat(year: n, month: l, day: n)
        p["DATE_HUGE"] = LocaleFormat(weekday: l, year: n, month: l, day: n)
        p["TIME_SIMPLE"] = LocaleFormat(hour: n, minute: d2)
        p["TIME_WITH_SECONDS"] = LocaleFormat(hour: n, minute: d2, second: d2)
        p["TIME_WITH_SHORT_OFFSET"] = LocaleFormat(hour: n, minute: d2, second: d2, timeZoneName: s)
        p["TIME_WITH_LONG_OFFSET"] = LocaleFormat(hour: n, minute: d2, second: d2, timeZoneName: l)
        p["TIME_24_SIMPLE"] = LocaleFormat(hour: n, minute: d2, hour12: false)
        p["TIME_24_WITH_SECONDS"] = LocaleFormat(hour: n, minute: d2, second: d2, hour12: false)
        p["TIME_24_WITH_SHORT_OFFSET"] = LocaleFormat(hour: n, minute: d2, second: d2, timeZoneName: s, hour12: false)
        p["TIME_24_WITH_LONG_OFFSET"] = LocaleFormat(hour: n, minute: d2, second: d2, timeZoneName: l, hour12: false)
        p["DATETIME_SHORT"] = LocaleFormat(year: n, month: n, day: n, hour: n, minute: d2)
        p["DATETIME_SHORT_WITH_SECONDS"] = LocaleFormat(year: n, month: n, day: n, hour: n, minute: d2, second: d2)
        p["DATETIME_MED"] = LocaleFormat(year: n, month: s, day: n, hour: n, minute: d2)
        p["DATETIME_MED_WITH_SECONDS"] = LocaleFormat(year: n, month: s, day: n, hour: n, minute: d2, second: d2)
        p["DATETIME_MED_WITH_WEEKDAY"] = LocaleFormat(weekday: s, year: n, month: s, day: n, hour: n, minute: d2)
        p["DATETIME_FULL"] = LocaleFormat(year: n, month: l, day: n, hour: n, minute: d2, timeZoneName: s)
        p["DATETIME_FULL_WITH_SECONDS"] = LocaleFormat(year: n, month: l, day: n, hour: n, minute: d2, second: d2, timeZoneName: s)
        p["DATETIME_HUGE"] = LocaleFormat(weekday: l, year: n, month: l, day: n, hour: n, minute: d2, timeZoneName: l)
        p["DATETIME_HUGE_WITH_SECONDS"] = LocaleFormat(weekday: l, year: n, month: l, day: n, hour: n, minute: d2, second: d2, timeZoneName: l)
        return p
    }()

    static let macroPresets: [String: LocaleFormat] = [
        "D": presets["DATE_SHORT"]!, "DD": presets["DATE_MED"]!, "DDD": presets["DATE_FULL"]!, "DDDD": presets["DATE_HUGE"]!,
        "t": presets["TIME_SIMPLE"]!, "tt": presets["TIME_WITH_SECONDS"]!, "ttt": presets["TIME_WITH_SHORT_OFFSET"]!,
        "tttt": presets["TIME_WITH_LONG_OFFSET"]!, "T": presets["TIME_24_SIMPLE"]!, "TT": presets["TIME_24_WITH_SECONDS"]!,
        "TTT": presets["TIME_24_WITH_SHORT_OFFSET"]!, "TTTT": presets["TIME_24_WITH_LONG_OFFSET"]!,
        "f": presets["DATETIME_SHORT"]!, "ff": presets["DATETIME_MED"]!, "fff": presets["DATETIME_FULL"]!,
        "ffff": presets["DATETIME_HUGE"]!, "F": presets["DATETIME_SHORT_WITH_SECONDS"]!,
        "FF": presets["DATETIME_MED_WITH_SECONDS"]!, "FFF": presets["DATETIME_FULL_WITH_SECONDS"]!,
        "FFFF": presets["DATETIME_HUGE_WITH_SECONDS"]!,
    ]

    /// `toLocaleString(format)` as Node's `en-US` output (narrow no-break space before AM/PM).
    package func toLocaleString(_ format: LocaleFormat = LuxonDateTime.presets["DATE_SHORT"]!) -> String {
        guard isValid else { return "Invalid DateTime" }
        var datePart = ""
        let monthText: String? = format.month.map { style in
            switch style {
            case "long": return LuxonLocale.months(locale, .long)[c.month - 1]
            case "short": return LuxonLocale.months(locale, .short)[c.month - 1]
            case "narrow": return LuxonLocale.months(locale, .narrow)[c.month - 1]
            case "2-digit": return luxonPad(c.month, 2)
            default: return String(c.month)
            }
        }
        let dayText = format.day.map { $0 == "2-digit" ? luxonPad(c.day, 2) : String(c.day) }
        let yearText = format.year.map { $0 == "2-digit" ? luxonPad(c.year % 100, 2) : String(c.year) }
        let weekdayText = format.weekday.map { LuxonLocale.weekdays(locale, $0 == "long" ? .long : ($0 == "narrow" ? .narrow : .short))[c.weekday - 1] }
        let textualMonth = format.month == "long" || format.month == "short" || format.month == "narrow"
        if textualMonth {
            var md = monthText ?? ""
            if let dayText { md += " " + dayText }
            datePart = md
            if let yearText { datePart += (dayText != nil ? ", " : " ") + yearText }
        } else {
            datePart = [monthText, dayText, yearText].compactMap { $0 }.joined(separator: "/")
        }
        if let weekdayText { datePart = datePart.isEmpty ? weekdayText : weekdayText + ", " + datePart }

        var timePart = ""
        if format.hour != nil || format.minute != nil {
            var pieces: [String] = []
            if format.hour != nil {
                pieces.append(format.hour12 ? String(c.hour % 12 == 0 ? 12 : c.hour % 12)
                    : (format.hour == "2-digit" || format.minute != nil ? luxonPad(c.hour, 2) : String(c.hour)))
            }
            if format.minute != nil { pieces.append(luxonPad(c.minute, 2)) }
            if format.second != nil { pieces.append(luxonPad(c.second, 2)) }
            timePart = pieces.joined(separator: ":")
            if format.hour12, format.hour != nil { timePart += "\u{202F}" + (c.hour < 12 ? "AM" : "PM") }
            if let tz = format.timeZoneName { timePart += " " + zone.offsetName(atMillis: ts, long: tz == "long") }
        }
        if datePart.isEmpty { return timePart }
        if timePart.isEmpty { return datePart }
        let joiner = format.month == "long" ? " at " : ", "
        return datePart + joiner + timePart
    }

    /// `toRelative({base})` in English: `in 2 days`, `3 hours ago`.
    package func toRelative(base: LuxonDateTime, unit: LuxonDuration.Unit? = nil) -> String? {
        guard isValid, base.isValid else { return nil }
        func format(_ count: Double, _ unit: LuxonDuration.Unit) -> String {
            let truncated = count.rounded(.towardZero)
            let isNegative = count < 0 || (count == 0 && count.sign == .minus)
            let magnitude = abs(truncated)
            let name = String(unit.name.dropLast())
            let text = "\(JSNumberFormatting.string(magnitude)) \(magnitude == 1 ? name : unit.name)"
            return isNegative ? "\(text) ago" : "in \(text)"
        }
        if let unit { return format(diff(base, [unit]).get(unit), unit) }
        let units: [LuxonDuration.Unit] = [.years, .months, .days, .hours, .minutes, .seconds]
        for u in units {
            let count = diff(base, [u]).get(u)
            if abs(count) >= 1 { return format(count, u) }
        }
        let last = units.last ?? .seconds
        let sign: Double = base.ts > ts ? -0.0 : 0
        return format(sign, last)
    }

    /// `toRelativeCalendar({base})` in English: `today`, `tomorrow`, `last month`, `in 3 days`.
    package func toRelativeCalendar(base: LuxonDateTime, unit: LuxonDuration.Unit? = nil) -> String? {
        guard isValid, base.isValid else { return nil }
        func count(_ u: LuxonDuration.Unit) -> Double {
            startOf(u).diff(base.startOf(u), [u]).get(u).rounded()
        }
        func format(_ value: Double, _ u: LuxonDuration.Unit) -> String {
            let singular = String(u.name.dropLast())
            switch (u, value) {
            case (.days, -1): return "yesterday"
            case (.days, 0): return "today"
            case (.days, 1): return "tomorrow"
            case (_, -1): return "last \(singular)"
            case (_, 0): return "this \(singular)"
            case (_, 1): return "next \(singular)"
            default:
                let magnitude = abs(value)
                let text = "\(JSNumberFormatting.string(magnitude)) \(magnitude == 1 ? singular : u.name)"
                return value < 0 ? "\(text) ago" : "in \(text)"
            }
        }
        if let unit { return format(count(unit), unit) }
        for u in [LuxonDuration.Unit.years, .months, .days] {
            let c = count(u)
            if abs(c) >= 1 { return format(c, u) }
        }
        return format(0, .days)
    }
}
