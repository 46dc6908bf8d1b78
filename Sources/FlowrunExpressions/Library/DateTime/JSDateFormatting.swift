/// The string forms of a JavaScript `Date` (Node, `en-US`), with local time in the workflow zone.
package enum JSDateFormatting {
    static func local(_ ms: Double, _ zone: LuxonZone) -> LuxonDateTime { LuxonDateTime.fromMillis(ms, zone: zone) }

    /// `date.toString()`: `Sat Mar 30 2024 14:49:00 GMT-0400 (Eastern Daylight Time)`.
    package static func toString(_ ms: Double, zone: LuxonZone) -> String {
        guard ms.isFinite else { return "Invalid Date" }
        let dt = local(ms, zone)
        return dt.toFormat("EEE MMM dd yyyy HH:mm:ss 'GMT'ZZZ") + " (\(longZoneName(dt)))"
    }

    /// `date.toDateString()`: `Sat Mar 30 2024`.
    package static func toDateString(_ ms: Double, zone: LuxonZone) -> String {
        guard ms.isFinite else { return "Invalid Date" }
        return local(ms, zone).toFormat("EEE MMM dd yyyy")
    }

    /// `date.toTimeString()`: `14:49:00 GMT-0400 (Eastern Daylight Time)`.
    package static func toTimeString(_ ms: Double, zone: LuxonZone) -> String {
        guard ms.isFinite else { return "Invalid Date" }
        let dt = local(ms, zone)
        return dt.toFormat("HH:mm:ss 'GMT'ZZZ") + " (\(longZoneName(dt)))"
    }

    /// `date.toUTCString()`: `Sat, 30 Mar 2024 18:49:00 GMT`.
    package static func toUTCString(_ ms: Double) -> String {
        guard ms.isFinite else { return "Invalid Date" }
        return local(ms, .utc).toFormat("EEE, dd MMM yyyy HH:mm:ss 'GMT'")
    }

    /// `date.toISOString()`; nil where JavaScript throws `RangeError: Invalid time value`.
    package static func toISOString(_ ms: Double) -> String? { ExtensionValue.isoString(ms: ms) }

    /// `toLocaleDateString()` / `toLocaleTimeString()` / `toLocaleString()` in `en-US`.
    package static func toLocaleString(_ ms: Double, zone: LuxonZone, date: Bool = true, time: Bool = true) -> String {
        guard ms.isFinite else { return "Invalid Date" }
        var format = LuxonDateTime.LocaleFormat()
        if date {
            format.year = "numeric"
            format.month = "numeric"
            format.day = "numeric"
        }
        if time {
            format.hour = "numeric"
            format.minute = "2-digit"
            format.second = "2-digit"
        }
        return local(ms, zone).toLocaleString(format)
    }

    static func longZoneName(_ dt: LuxonDateTime) -> String {
        if case .fixed(let minutes) = dt.zone {
            return minutes == 0 ? "Coordinated Universal Time" : "GMT" + LuxonZone.formatOffset(minutes, style: .short)
        }
        return dt.offsetNameLong ?? ""
    }

    /// Local calendar fields of a Date (`getFullYear()`, `getMonth()` + 1, … `getDay()` 0 = Sunday).
    package static func localFields(_ ms: Double, zone: LuxonZone) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int, weekday: Int, offsetMinutes: Int)? {
        guard ms.isFinite else { return nil }
        let dt = local(ms, zone)
        return (dt.c.year, dt.c.month, dt.c.day, dt.c.hour, dt.c.minute, dt.c.second, dt.c.millisecond, dt.c.weekday % 7, dt.offset)
    }

    /// `new Date(y, m0, d, h, mi, s, ms)` / `setHours(...)`: local fields (overflow rolls over, month
    /// 0-based as in JavaScript) to epoch ms; times in a DST gap move forward.
    package static func makeLocal(year: Double, monthIndex: Double, day: Double = 1, hour: Double = 0, minute: Double = 0,
                                  second: Double = 0, millisecond: Double = 0, zone: LuxonZone) -> Double {
        let parts = [year, monthIndex, day, hour, minute, second, millisecond]
        guard parts.allSatisfy(\.isFinite) else { return .nan }
        var y = Int(year.rounded(.towardZero))
        if y >= 0 && y <= 99 { y += 1900 }
        let civil = CivilTime(year: y, month: Int(monthIndex.rounded(.towardZero)) + 1, day: Int(day.rounded(.towardZero)),
                              hour: Int(hour.rounded(.towardZero)), minute: Int(minute.rounded(.towardZero)),
                              second: Int(second.rounded(.towardZero)), millisecond: Int(millisecond.rounded(.towardZero)))
        let localMs = civil.localMillis
        let (ts, _) = LuxonDateTime.fixOffset(localTS: localMs, guess: zone.offset(atMillis: localMs), zone: zone)
        return abs(ts) > 8.64e15 ? .nan : ts
    }
}
