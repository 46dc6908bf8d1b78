/// Output: ISO strings, Luxon format tokens, locale presets and relative times (English).
extension LuxonDateTime {
    /// Options of `toISO` / `toISOTime`.
    package struct ISOOptions: Sendable {
        package var extended = true
        package var suppressSeconds = false
        package var suppressMilliseconds = false
        package var includeOffset = true
        package var extendedZone = false
        package var includePrefix = false
        /// `year` … `millisecond`.
        package var precision: FieldUnit = .millisecond
        package init() {}
    }

    package func toISODate(extended: Bool = true, precision: FieldUnit = .day) -> String? {
        guard isValid else { return nil }
        let long = c.year > 9999 || c.year < 0
        var s = long && c.year >= 0 ? "+" : ""
        s += luxonPad(c.year, long ? 6 : 4)
        if precision == .year { return s }
        s += (extended ? "-" : "") + luxonPad(c.month, 2)
        if precision == .month { return s }
        s += (extended ? "-" : "") + luxonPad(c.day, 2)
        return s
    }

    /// The time part of `toISO` (Luxon's `toISOTime` helper).
    func isoTimePart(_ o: ISOOptions) -> String {
        let showSeconds = !o.suppressSeconds || c.millisecond != 0 || c.second != 0
        var s = ""
        switch o.precision {
        case .day, .month, .year, .quarter, .week, .weekday, .weekNumber, .weekYear, .ordinal:
            break
        default:
            s += luxonPad(c.hour, 2)
            if o.precision == .hour { break }
            s += (o.extended ? ":" : "") + luxonPad(c.minute, 2)
            if o.precision == .minute { break }
            if showSeconds { s += (o.extended ? ":" : "") + luxonPad(c.second, 2) }
            if o.precision == .second { break }
            if showSeconds && (!o.suppressMilliseconds || c.millisecond != 0) {
                s += "." + luxonPad(c.millisecond, 3)
            }
        }
        if o.includeOffset {
            if zone.isOffsetFixed && offset == 0 && !o.extendedZone {
                s += "Z"
            } else {
                s += LuxonZone.formatOffset(offset, style: o.extended ? .short : .techie)
            }
        }
        if o.extendedZone { s += "[\(zone.name)]" }
        return s
    }

    /// `toISO(opts)`, nil when invalid.
    package func toISO(_ options: ISOOptions = ISOOptions()) -> String? {
        guard isValid else { return nil }
        let date = toISODate(extended: options.extended, precision: options.precision == .year || options.precision == .month ? options.precision : .day) ?? ""
        if options.precision == .year || options.precision == .month || options.precision == .day { return date }
        return date + "T" + isoTimePart(options)
    }

    package func toISOTime(_ options: ISOOptions = ISOOptions()) -> String? {
        guard isValid else { return nil }
        return (options.includePrefix ? "T" : "") + isoTimePart(options)
    }

    /// `toString()`: the ISO string, or `Invalid DateTime`.
    package func toString() -> String { toISO() ?? "Invalid DateTime" }

    package func toSQLDate() -> String? { toISODate() }

    package func toSQLTime(includeOffset: Bool = true, includeZone: Bool = false, includeOffsetSpace: Bool = true) -> String? {
        guard isValid else { return nil }
        var format = "HH:mm:ss.SSS"
        if includeZone || includeOffset {
            if includeOffsetSpace { format += " " }
            format += includeZone ? "z" : "ZZ"
        }
        return toFormat(format, allowZ: true)
    }

    package func toSQL() -> String? {
        guard isValid, let date = toSQLDate(), let time = toSQLTime() else { return nil }
        return date + " " + time
    }

    package func toHTTP() -> String? {
        guard isValid else { return nil }
        return toUTC().setLocale("en-US").toFormat("EEE, dd LLL yyyy HH:mm:ss 'GMT'", allowZ: true)
    }

    package func toRFC2822() -> String? {
        guard isValid else { return nil }
        return setLocale("en-US").toFormat("EEE, dd LLL yyyy HH:mm:ss ZZZ", allowZ: false)
    }

    /// Splits a Luxon format into literal and token runs (`Formatter.parseFormat`).
    static func parseFormat(_ format: String) -> [(literal: Bool, value: String)] {
        var splits: [(Bool, String)] = []
        var current: Character?
        var currentFull = ""
        var bracketed = false
        func isWhitespace(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy(\.isWhitespace) }
        for ch in format {
            if ch == "'" {
                if !currentFull.isEmpty || bracketed {
                    splits.append((bracketed || isWhitespace(currentFull), currentFull.isEmpty ? "'" : currentFull))
                }
                current = nil
                currentFull = ""
                bracketed.toggle()
            } else if bracketed {
                currentFull.append(ch)
            } else if ch == current {
                currentFull.append(ch)
            } else {
                if !currentFull.isEmpty { splits.append((isWhitespace(currentFull), currentFull)) }
                currentFull = String(ch)
                current = ch
            }
        }
        if !currentFull.isEmpty { splits.append((bracketed || isWhitespace(currentFull), currentFull)) }
        return splits
    }

    /// `toFormat(fmt)` with Luxon's token table.
    package func toFormat(_ format: String, allowZ: Bool = false) -> String {
        guard isValid else { return "Invalid DateTime" }
        var out = ""
        for (literal, value) in LuxonDateTime.parseFormat(format) {
            out += literal ? value : token(value, allowZ: allowZ)
        }
        return out
    }

    private func token(_ t: String, allowZ: Bool) -> String {
        func num(_ v: Int, _ p: Int = 0) -> String { luxonPad(v, p) }
        func formatOffset(_ style: LuxonZone.OffsetStyle) -> String {
            if zone.isOffsetFixed && offset == 0 && allowZ { return "Z" }
            return LuxonZone.formatOffset(offset, style: style)
        }
        let h12 = c.hour % 12 == 0 ? 12 : c.hour % 12
        let week = c.isoWeek
        switch t {
        case "S": return num(c.millisecond)
        case "u", "SSS": return num(c.millisecond, 3)
        case "s": return num(c.second)
        case "ss": return num(c.second, 2)
        case "uu": return num(c.millisecond / 10, 2)
        case "uuu": return num(c.millisecond / 100)
        case "m": return num(c.minute)
        case "mm": return num(c.minute, 2)
        case "h": return num(h12)
        case "hh": return num(h12, 2)
        case "H": return num(c.hour)
        case "HH": return num(c.hour, 2)
        case "Z": return formatOffset(.narrow)
        case "ZZ": return formatOffset(.short)
        case "ZZZ": return formatOffset(.techie)
        case "ZZZZ": return zone.offsetName(atMillis: ts, long: false)
        case "ZZZZZ": return zone.offsetName(atMillis: ts, long: true)
        case "z": return zone.name
        case "a": return LuxonLocale.meridiems(locale)[c.hour < 12 ? 0 : 1]
        case "d": return num(c.day)
        case "dd": return num(c.day, 2)
        case "c", "E": return num(c.weekday)
        case "ccc", "EEE": return LuxonLocale.weekdays(locale, .short)[c.weekday - 1]
        case "cccc", "EEEE": return LuxonLocale.weekdays(locale, .long)[c.weekday - 1]
        case "ccccc", "EEEEE": return LuxonLocale.weekdays(locale, .narrow)[c.weekday - 1]
        case "L", "M": return num(c.month)
        case "LL", "MM": return num(c.month, 2)
        case "LLL", "MMM": return LuxonLocale.months(locale, .short)[c.month - 1]
        case "LLLL", "MMMM": return LuxonLocale.months(locale, .long)[c.month - 1]
        case "LLLLL", "MMMMM": return LuxonLocale.months(locale, .narrow)[c.month - 1]
        case "y": return num(c.year)
        case "yy": return num(Int(String(String(c.year).suffix(2))) ?? 0, 2)
        case "yyyy": return num(c.year, 4)
        case "yyyyyy": return num(c.year, 6)
        case "G": return LuxonLocale.eras(.short)[c.year > 0 ? 1 : 0]
        case "GG": return LuxonLocale.eras(.long)[c.year > 0 ? 1 : 0]
        case "GGGGG": return LuxonLocale.eras(.narrow)[c.year > 0 ? 1 : 0]
        case "kk": return num(Int(String(String(week.weekYear).suffix(2))) ?? 0, 2)
        case "kkkk": return num(week.weekYear, 4)
        case "W", "n": return num(week.weekNumber)
        case "WW", "nn": return num(week.weekNumber, 2)
        case "ii": return num(Int(String(String(week.weekYear).suffix(2))) ?? 0, 2)
        case "iiii": return num(week.weekYear, 4)
        case "o": return num(c.ordinal)
        case "ooo": return num(c.ordinal, 3)
        case "q": return num(c.quarter)
        case "qq": return num(c.quarter, 2)
        case "X": return JSNumberFormatting.string((ts / 1000).rounded(.down))
        case "x": return JSNumberFormatting.string(ts)
        default:
            if let preset = LuxonDateTime.macroPresets[t] { return toLocaleString(preset) }
            return t
        }
    }
}
