import Foundation

/// Luxon's constructors and regex parsers: ISO 8601, SQL, RFC 2822, HTTP, millis, objects.
extension LuxonDateTime {
    /// Options shared by the string parsers.
    package struct ParseOptions: Sendable {
        /// The zone used when the text has no offset, and the output zone unless `setZone`.
        package var zone: LuxonZone
        /// Keep the offset found in the text as the DateTime's zone.
        package var setZone: Bool = false
        package var locale: String = "en-US"
        /// The clock for inputs without a date (`"18:49"` is today).
        package var nowMillis: Double

        package init(zone: LuxonZone, setZone: Bool = false, locale: String = "en-US", nowMillis: Double = LuxonDateTime.systemNowMillis()) {
            self.zone = zone
            self.setZone = setZone
            self.locale = locale
            self.nowMillis = nowMillis
        }
    }

    /// The wall clock, for callers without an evaluation context.
    package static func systemNowMillis() -> Double { (Date().timeIntervalSince1970 * 1000).rounded(.down) }

    package static func fromMillis(_ ms: Double, zone: LuxonZone, locale: String = "en-US") -> LuxonDateTime {
        guard ms.isFinite else {
            return LuxonDateTime(invalid: "invalid input", explanation: nil)
        }
        return LuxonDateTime(ts: ms, zone: zone, locale: locale)
    }

    /// `DateTime.fromObject` / `DateTime.local(y, m, d, …)`: missing higher units come from `now`,
    /// missing lower units are their minimum.
    package static func fromObject(_ fields: [String: Int], zone: LuxonZone, nowMillis: Double, locale: String = "en-US") -> LuxonDateTime {
        guard zone.isValid else {
            return LuxonDateTime(invalid: "unsupported zone", explanation: "the zone \"\(zone.name)\" is not supported")
        }
        let guess = zone.offset(atMillis: nowMillis)
        let now = CivilTime(utcMillis: nowMillis + Double(guess) * 60_000)
        if fields["ordinal"] != nil || fields["weekNumber"] != nil || fields["weekYear"] != nil
            || (fields["weekday"] != nil && fields["year"] == nil && fields["month"] == nil && fields["day"] == nil) {
            let base = LuxonDateTime(ts: nowMillis, zone: zone, locale: locale).startOf(.days)
            var set = fields
            if set["hour"] == nil { set["hour"] = 0 }
            return base.setting(set)
        }
        let order = ["year", "month", "day", "hour", "minute", "second", "millisecond"]
        let nowValues = [now.year, now.month, now.day, now.hour, now.minute, now.second, now.millisecond]
        let defaults = [1970, 1, 1, 0, 0, 0, 0]
        var values = [Int](repeating: 0, count: 7)
        var foundFirst = false
        for (index, key) in order.enumerated() {
            if let v = fields[key] {
                foundFirst = true
                values[index] = v
            } else {
                values[index] = foundFirst ? defaults[index] : nowValues[index]
            }
        }
        let civil = CivilTime(year: values[0], month: values[1], day: values[2], hour: values[3],
                              minute: values[4], second: values[5], millisecond: values[6])
        if let invalid = validate(civil) { return invalid }
        let dt = fromCivil(civil, zone: zone, guess: guess, locale: locale)
        if let weekday = fields["weekday"], dt.isValid, dt.c.weekday != weekday {
            return LuxonDateTime(invalid: "mismatched weekday", explanation: "you can't specify both a weekday of \(weekday) and a date of \(dt.toISO() ?? "")")
        }
        return dt
    }

    /// Fraction digits as milliseconds (Luxon's `parseMillis`: `"5"` is 500, `"123456"` is 123).
    static func parseMillis(_ fraction: String?) -> Double {
        guard let fraction, !fraction.isEmpty, let value = Double("0." + fraction) else { return 0 }
        return (value * 1000).rounded(.down)
    }

    /// Luxon's `parseDataToDateTime`: fields plus an optional zone found in the text.
    static func fromParsed(_ fields: [String: Int]?, parsedZone: LuxonZone?, options: ParseOptions, format: String, text: String) -> LuxonDateTime {
        guard let fields, !fields.isEmpty || parsedZone != nil else {
            return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as \(format)")
        }
        let interpretation = parsedZone ?? options.zone
        let inst = fromFieldsStrict(fields, zone: interpretation, locale: options.locale, nowMillis: options.nowMillis)
        return options.setZone ? inst : inst.setZone(options.zone)
    }

    /// Builds a DateTime from parsed fields: gregorian, ISO week or ordinal date, all validated.
    static func fromFieldsStrict(_ f: [String: Int], zone: LuxonZone, locale: String, nowMillis: Double) -> LuxonDateTime {
        guard zone.isValid else {
            return LuxonDateTime(invalid: "unsupported zone", explanation: "the zone \"\(zone.name)\" is not supported")
        }
        var civil: CivilTime
        if let weekYear = f["weekYear"], let weekNumber = f["weekNumber"] {
            guard weekNumber >= 1, weekNumber <= CivilTime.weeksInWeekYear(weekYear) else {
                return LuxonDateTime(invalid: "unit out of range", explanation: "you specified \(weekNumber) (of type number) as a weekNumber, which is invalid")
            }
            let (y, m, d) = CivilTime.fromWeek(weekYear: weekYear, weekNumber: weekNumber, weekday: f["weekday"] ?? 1)
            civil = CivilTime(year: y, month: m, day: d)
        } else if let year = f["year"], let ordinal = f["ordinal"], f["month"] == nil {
            guard ordinal >= 1, ordinal <= CivilTime.daysInYear(year) else {
                return LuxonDateTime(invalid: "unit out of range", explanation: "you specified \(ordinal) (of type number) as a ordinal, which is invalid")
            }
            let (y, m, d) = CivilTime.civil(fromDays: CivilTime.days(fromYear: year, month: 1, day: 1) + ordinal - 1)
            civil = CivilTime(year: y, month: m, day: d)
        } else if let year = f["year"] {
            civil = CivilTime(year: year, month: f["month"] ?? 1, day: f["day"] ?? 1)
        } else {
            return fromFieldsTimeOnly(f, zone: zone, locale: locale, nowMillis: nowMillis)
        }
        civil.hour = f["hour"] ?? 0
        civil.minute = f["minute"] ?? 0
        civil.second = f["second"] ?? 0
        civil.millisecond = f["millisecond"] ?? 0
        if let invalid = validate(civil) { return invalid }
        let dt = fromCivil(civil, zone: zone, guess: zone.offset(atMillis: nowMillis), locale: locale)
        if let weekday = f["weekday"], f["weekNumber"] == nil, dt.isValid, dt.c.weekday != weekday {
            return LuxonDateTime(invalid: "mismatched weekday", explanation: "you can't specify both a weekday of \(weekday) and a date of \(dt.toISO() ?? "")")
        }
        return dt
    }

    /// Time-only input (`"18:49"`) is today in the zone, as Luxon's `fromObject` with a clock.
    static func fromFieldsTimeOnly(_ f: [String: Int], zone: LuxonZone, locale: String, nowMillis: Double) -> LuxonDateTime {
        let today = LuxonDateTime(ts: nowMillis, zone: zone, locale: locale)
        var civil = today.c
        if let month = f["month"] { civil.month = month }
        if let day = f["day"] { civil.day = day }
        civil.hour = f["hour"] ?? 0
        civil.minute = f["minute"] ?? 0
        civil.second = f["second"] ?? 0
        civil.millisecond = f["millisecond"] ?? 0
        if let invalid = validate(civil) { return invalid }
        return fromCivil(civil, zone: zone, locale: locale)
    }

    // MARK: ISO 8601

    static let ianaPattern = #"[A-Za-z_+-]{1,256}(?::?\/[A-Za-z0-9_+-]{1,256}(?:\/[A-Za-z0-9_+-]{1,256})?)?"#
    static let offsetPattern = #"(?:([Zz])|([+-]\d\d)(?::?(\d\d))?)"#
    static var isoExtendedZone: String { "(?:\(offsetPattern)?(?:\\[(\(ianaPattern))\\])?)?" }
    static let isoTimeBase = #"(\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d{1,30}))?)?)?"#
    static var isoTime: String { isoTimeBase + isoExtendedZone }
    static var isoTimeExtension: String { "(?:[Tt]\(isoTime))?" }

    /// Reads time + offset + IANA groups starting at `cursor` into `fields`; returns the zone.
    static func extractTimeAndZone(_ g: [String?], _ cursor: Int, into fields: inout [String: Int]) -> LuxonZone? {
        fields["hour"] = g[cursor].flatMap { Int($0) } ?? 0
        fields["minute"] = g[cursor + 1].flatMap { Int($0) } ?? 0
        fields["second"] = g[cursor + 2].flatMap { Int($0) } ?? 0
        fields["millisecond"] = Int(parseMillis(g[cursor + 3]))
        var zone: LuxonZone?
        if g[cursor + 4] != nil || g[cursor + 5] != nil {
            let hours = Int(g[cursor + 5] ?? "0") ?? 0
            let minutes = Int(g[cursor + 6] ?? "0") ?? 0
            let sign = (g[cursor + 5]?.hasPrefix("-") ?? false) ? -1 : 1
            zone = .fixed(minutes: hours * 60 + sign * minutes)
        }
        if let iana = g[cursor + 7] { zone = LuxonZone.named(iana) }
        return zone
    }

    /// `DateTime.fromISO(text, opts)`.
    package static func fromISO(_ text: String, options: ParseOptions) -> LuxonDateTime {
        var fields: [String: Int] = [:]
        var zone: LuxonZone?
        if let g = LuxonRegex.match("^([+-]\\d{6}|\\d{4})(?:-?(\\d\\d)(?:-?(\\d\\d))?)?\(isoTimeExtension)$", text) {
            fields["year"] = Int(g[1]!.replacingOccurrences(of: "+", with: ""))
            fields["month"] = g[2].flatMap { Int($0) } ?? 1
            fields["day"] = g[3].flatMap { Int($0) } ?? 1
            zone = extractTimeAndZone(g, 4, into: &fields)
        } else if let g = LuxonRegex.match("^(\\d{4})-?W(\\d\\d)(?:-?(\\d))?\(isoTimeExtension)$", text) {
            fields["weekYear"] = Int(g[1]!)
            fields["weekNumber"] = Int(g[2]!)
            fields["weekday"] = g[3].flatMap { Int($0) } ?? 1
            zone = extractTimeAndZone(g, 4, into: &fields)
        } else if let g = LuxonRegex.match("^(\\d{4})-?(\\d{3})\(isoTimeExtension)$", text) {
            fields["year"] = Int(g[1]!)
            fields["ordinal"] = Int(g[2]!)
            zone = extractTimeAndZone(g, 3, into: &fields)
        } else if let g = LuxonRegex.match("^\(isoTime)$", text) {
            zone = extractTimeAndZone(g, 1, into: &fields)
        } else {
            return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as ISO 8601")
        }
        return fromParsed(fields, parsedZone: zone, options: options, format: "ISO 8601", text: text)
    }

    /// `DateTime.fromSQL(text, opts)`.
    package static func fromSQL(_ text: String, options: ParseOptions) -> LuxonDateTime {
        let sqlTime = "\(isoTimeBase) ?(?:\(offsetPattern)|(\(ianaPattern)))?"
        var fields: [String: Int] = [:]
        var zone: LuxonZone?
        if let g = LuxonRegex.match("^(\\d{4})-(\\d\\d)-(\\d\\d)(?: \(sqlTime))?$", text) {
            fields["year"] = Int(g[1]!)
            fields["month"] = Int(g[2]!)
            fields["day"] = Int(g[3]!)
            zone = extractTimeAndZone(g, 4, into: &fields)
        } else if let g = LuxonRegex.match("^\(sqlTime)$", text) {
            zone = extractTimeAndZone(g, 1, into: &fields)
        } else {
            return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as SQL")
        }
        return fromParsed(fields, parsedZone: zone, options: options, format: "SQL", text: text)
    }

    static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func fieldsFromStrings(weekday: String?, year: String, month: String, day: String, hour: String, minute: String, second: String?) -> [String: Int] {
        var y = Int(year) ?? 0
        if year.count == 2 { y = untruncateYear(y) }
        var result: [String: Int] = [
            "year": y, "month": (shortMonths.firstIndex(of: month) ?? -1) + 1, "day": Int(day.trimmingCharacters(in: .whitespaces)) ?? 0,
            "hour": Int(hour) ?? 0, "minute": Int(minute) ?? 0,
        ]
        if let second { result["second"] = Int(second) }
        if let weekday {
            let list = weekday.count > 3 ? LuxonLocale.englishWeekdays : LuxonLocale.englishWeekdays.map { String($0.prefix(3)) }
            result["weekday"] = (list.firstIndex(of: weekday) ?? -1) + 1
        }
        return result
    }

    static func untruncateYear(_ year: Int) -> Int {
        if year > 99 { return year }
        return year > 60 ? 1900 + year : 2000 + year
    }

    /// `DateTime.fromRFC2822(text, opts)`.
    package static func fromRFC2822(_ text: String, options: ParseOptions) -> LuxonDateTime {
        var s = LuxonRegex.replaceAll(#"\([^()]*\)|[\n\t]"#, in: text, with: " ")
        s = LuxonRegex.replaceAll(#"(\s\s+)"#, in: s, with: " ").trimmingCharacters(in: .whitespaces)
        let pattern = #"^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s)?(\d{1,2})\s(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s(\d{2,4})\s(\d\d):(\d\d)(?::(\d\d))?\s(?:(UT|GMT|[ECMP][SD]T)|([Zz])|(?:([+-]\d\d)(\d\d)))$"#
        guard let g = LuxonRegex.match(pattern, s) else {
            return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as RFC 2822")
        }
        let fields = fieldsFromStrings(weekday: g[1], year: g[4]!, month: g[3]!, day: g[2]!, hour: g[5]!, minute: g[6]!, second: g[7])
        var offset = 0
        if let obs = g[8] {
            offset = ["UT": 0, "GMT": 0, "EDT": -240, "EST": -300, "CDT": -300, "CST": -360, "MDT": -360, "MST": -420, "PDT": -420, "PST": -480][obs] ?? 0
        } else if g[9] == nil, let h = g[10].flatMap({ Int($0) }) {
            let m = g[11].flatMap { Int($0) } ?? 0
            offset = h * 60 + (h < 0 || g[10]!.hasPrefix("-") ? -m : m)
        }
        return fromParsed(fields, parsedZone: .fixed(minutes: offset), options: options, format: "RFC 2822", text: text)
    }

    /// `DateTime.fromHTTP(text, opts)`: RFC 1123, RFC 850 and asctime.
    package static func fromHTTP(_ text: String, options: ParseOptions) -> LuxonDateTime {
        let months = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
        if let g = LuxonRegex.match("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d\\d) \(months) (\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d) GMT$", text)
            ?? LuxonRegex.match("^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-\(months)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d) GMT$", text) {
            let fields = fieldsFromStrings(weekday: g[1], year: g[4]!, month: g[3]!, day: g[2]!, hour: g[5]!, minute: g[6]!, second: g[7])
            return fromParsed(fields, parsedZone: .utc, options: options, format: "HTTP", text: text)
        }
        if let g = LuxonRegex.match("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \(months) ( \\d|\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4})$", text) {
            let fields = fieldsFromStrings(weekday: g[1], year: g[7]!, month: g[2]!, day: g[3]!, hour: g[4]!, minute: g[5]!, second: g[6])
            return fromParsed(fields, parsedZone: .utc, options: options, format: "HTTP", text: text)
        }
        return LuxonDateTime(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as HTTP")
    }
}
