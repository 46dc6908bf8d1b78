/// A Luxon `DateTime`: an instant in epoch milliseconds seen in a zone, or an invalid DateTime
/// with its reason. Immutable; every operation returns a new value, as in Luxon.
package struct LuxonDateTime: Sendable {
    /// Epoch milliseconds (NaN when invalid).
    package private(set) var ts: Double
    package private(set) var zone: LuxonZone
    /// Offset from UTC in minutes at `ts` in `zone`.
    package private(set) var offset: Int
    /// Wall-clock fields in `zone`.
    package private(set) var c: CivilTime
    /// Luxon's `invalidReason`; nil for a valid DateTime.
    package private(set) var invalidReason: String?
    package private(set) var invalidExplanation: String?
    /// The locale tag (`en-US` unless `setLocale` changed it).
    package var locale: String = "en-US"

    /// A valid DateTime at `ts` in `zone`; `offset` may be passed when already known.
    package init(ts: Double, zone: LuxonZone, offset: Int? = nil, locale: String = "en-US") {
        guard zone.isValid else {
            self = LuxonDateTime(invalid: "unsupported zone", explanation: "the zone \"\(zone.name)\" is not supported")
            return
        }
        guard ts.isFinite, abs(ts) <= 8.64e15 else {
            self = LuxonDateTime(invalid: "invalid input", explanation: nil)
            return
        }
        self.ts = ts
        self.zone = zone
        let o = offset ?? zone.offset(atMillis: ts)
        self.offset = o
        self.c = CivilTime(utcMillis: ts + Double(o) * 60_000)
        self.locale = locale
    }

    /// An invalid DateTime (Luxon's `DateTime.invalid(reason, explanation)`).
    package init(invalid reason: String, explanation: String?) {
        ts = .nan
        zone = .utc
        offset = 0
        c = CivilTime(year: 1970, month: 1, day: 1)
        invalidReason = reason
        invalidExplanation = explanation
    }

    package var isValid: Bool { invalidReason == nil }

    // MARK: Getters (Luxon returns NaN for invalid DateTimes)

    package var year: Double { isValid ? Double(c.year) : .nan }
    package var month: Double { isValid ? Double(c.month) : .nan }
    package var day: Double { isValid ? Double(c.day) : .nan }
    package var hour: Double { isValid ? Double(c.hour) : .nan }
    package var minute: Double { isValid ? Double(c.minute) : .nan }
    package var second: Double { isValid ? Double(c.second) : .nan }
    package var millisecond: Double { isValid ? Double(c.millisecond) : .nan }
    package var weekday: Double { isValid ? Double(c.weekday) : .nan }
    package var ordinal: Double { isValid ? Double(c.ordinal) : .nan }
    package var quarter: Double { isValid ? Double(c.quarter) : .nan }
    package var weekNumber: Double { isValid ? Double(c.isoWeek.weekNumber) : .nan }
    package var weekYear: Double { isValid ? Double(c.isoWeek.weekYear) : .nan }
    package var daysInMonth: Double { isValid ? Double(CivilTime.daysInMonth(year: c.year, month: c.month)) : .nan }
    package var daysInYear: Double { isValid ? Double(CivilTime.daysInYear(c.year)) : .nan }
    package var weeksInWeekYear: Double { isValid ? Double(CivilTime.weeksInWeekYear(c.isoWeek.weekYear)) : .nan }
    package var isInLeapYear: Bool { isValid && CivilTime.isLeapYear(c.year) }
    package var offsetMinutes: Double { isValid ? Double(offset) : .nan }
    package var zoneName: String? { isValid ? zone.name : nil }
    package var isOffsetFixed: Bool? { isValid ? zone.isOffsetFixed : nil }

    package var monthLong: String? { isValid ? LuxonLocale.months(locale, .long)[c.month - 1] : nil }
    package var monthShort: String? { isValid ? LuxonLocale.months(locale, .short)[c.month - 1] : nil }
    package var weekdayLong: String? { isValid ? LuxonLocale.weekdays(locale, .long)[c.weekday - 1] : nil }
    package var weekdayShort: String? { isValid ? LuxonLocale.weekdays(locale, .short)[c.weekday - 1] : nil }
    package var offsetNameShort: String? { isValid ? zone.offsetName(atMillis: ts, long: false) : nil }
    package var offsetNameLong: String? { isValid ? zone.offsetName(atMillis: ts, long: true) : nil }

    /// Luxon's `isInDST`: the offset is above the January or May offset of the same year.
    package var isInDST: Bool {
        guard isValid, !zone.isOffsetFixed else { return false }
        let january = setting(["month": 1, "day": 1])
        let may = setting(["month": 5])
        return offset > january.offset || offset > may.offset
    }

    package func toMillis() -> Double { isValid ? ts : .nan }
    package func toSeconds() -> Double { isValid ? ts / 1000 : .nan }
    package func toUnixInteger() -> Double { isValid ? (ts / 1000).rounded(.down) : .nan }
    /// What `valueOf()`, `+dt` and comparisons see.
    package var valueOf: Double { toMillis() }

    // MARK: Construction helpers

    /// Luxon's `fixOffset`: the epoch ms and offset of wall-clock `localTS` in `zone`, starting from
    /// the guess `o`. Times in a DST gap move forward.
    static func fixOffset(localTS: Double, guess o: Int, zone: LuxonZone) -> (Double, Int) {
        var utcGuess = localTS - Double(o) * 60_000
        let o2 = zone.offset(atMillis: utcGuess)
        if o == o2 { return (utcGuess, o) }
        utcGuess -= Double(o2 - o) * 60_000
        let o3 = zone.offset(atMillis: utcGuess)
        if o2 == o3 { return (utcGuess, o2) }
        return (localTS - Double(min(o2, o3)) * 60_000, max(o2, o3))
    }

    /// A DateTime from wall-clock fields in `zone` (Luxon's `objToTS` + constructor).
    static func fromCivil(_ civil: CivilTime, zone: LuxonZone, guess: Int? = nil, locale: String = "en-US") -> LuxonDateTime {
        guard zone.isValid else {
            return LuxonDateTime(invalid: "unsupported zone", explanation: "the zone \"\(zone.name)\" is not supported")
        }
        let local = civil.localMillis
        let o = guess ?? zone.offset(atMillis: local)
        let (ts, offset) = fixOffset(localTS: local, guess: o, zone: zone)
        return LuxonDateTime(ts: ts, zone: zone, offset: offset, locale: locale)
    }

    /// Checks Luxon's ranges for Gregorian and time fields; returns the invalid DateTime if any is out.
    static func validate(_ civil: CivilTime) -> LuxonDateTime? {
        func bad(_ unit: String, _ value: Int) -> LuxonDateTime {
            LuxonDateTime(invalid: "unit out of range", explanation: "you specified \(value) (of type number) as a \(unit), which is invalid")
        }
        if civil.month < 1 || civil.month > 12 { return bad("month", civil.month) }
        if civil.day < 1 || civil.day > CivilTime.daysInMonth(year: civil.year, month: civil.month) { return bad("day", civil.day) }
        let isEndOfDay = civil.hour == 24 && civil.minute == 0 && civil.second == 0 && civil.millisecond == 0
        if civil.hour < 0 || civil.hour > 23, !isEndOfDay { return bad("hour", civil.hour) }
        if civil.minute < 0 || civil.minute > 59 { return bad("minute", civil.minute) }
        if civil.second < 0 || civil.second > 59 { return bad("second", civil.second) }
        if civil.millisecond < 0 || civil.millisecond > 999 { return bad("millisecond", civil.millisecond) }
        return nil
    }

    // MARK: Zones

    /// `setZone(zone, {keepLocalTime})`.
    package func setZone(_ newZone: LuxonZone, keepLocalTime: Bool = false) -> LuxonDateTime {
        guard isValid else { return self }
        guard newZone.isValid else {
            return LuxonDateTime(invalid: "unsupported zone", explanation: "the zone \"\(newZone.name)\" is not supported")
        }
        if newZone == zone { return self }
        if keepLocalTime {
            let (newTS, o) = LuxonDateTime.fixOffset(localTS: c.localMillis, guess: newZone.offset(atMillis: ts), zone: newZone)
            return LuxonDateTime(ts: newTS, zone: newZone, offset: o, locale: locale)
        }
        return LuxonDateTime(ts: ts, zone: newZone, locale: locale)
    }

    package func toUTC(offsetMinutes: Int = 0, keepLocalTime: Bool = false) -> LuxonDateTime {
        setZone(.fixed(minutes: offsetMinutes), keepLocalTime: keepLocalTime)
    }

    package func setLocale(_ tag: String) -> LuxonDateTime {
        var copy = self
        copy.locale = tag
        return copy
    }

    /// Same instant, same zone, same locale.
    package func equals(_ other: LuxonDateTime) -> Bool {
        isValid && other.isValid && ts == other.ts && zone == other.zone && locale == other.locale
    }
}
