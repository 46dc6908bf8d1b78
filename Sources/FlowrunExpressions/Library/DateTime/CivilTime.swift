/// Wall-clock fields of a DateTime in its zone (Luxon's `c` object), with proleptic Gregorian
/// calendar arithmetic that matches JavaScript's `Date.UTC`.
package struct CivilTime: Sendable, Equatable {
    package var year: Int
    package var month: Int
    package var day: Int
    package var hour: Int = 0
    package var minute: Int = 0
    package var second: Int = 0
    package var millisecond: Int = 0

    package init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    static let msPerDay = 86_400_000.0

    /// The fields of `ms` epoch milliseconds read on a UTC clock (JavaScript's `getUTC*`).
    init(utcMillis ms: Double) {
        let days = (ms / CivilTime.msPerDay).rounded(.down)
        var rest = ms - days * CivilTime.msPerDay
        let (y, m, d) = CivilTime.civil(fromDays: Int(days))
        year = y
        month = m
        day = d
        hour = Int(rest / 3_600_000)
        rest -= Double(hour) * 3_600_000
        minute = Int(rest / 60_000)
        rest -= Double(minute) * 60_000
        second = Int(rest / 1000)
        rest -= Double(second) * 1000
        millisecond = Int(rest.rounded(.down))
    }

    /// Luxon's `objToLocalTS`: these fields read as UTC, overflowing fields roll over as in `Date.UTC`.
    var localMillis: Double {
        let monthIndex = month - 1
        let y = year + Int((Double(monthIndex) / 12).rounded(.down))
        let m = ((monthIndex % 12) + 12) % 12 + 1
        let days = CivilTime.days(fromYear: y, month: m, day: 1) + (day - 1)
        return Double(days) * CivilTime.msPerDay + Double(hour) * 3_600_000 + Double(minute) * 60_000
            + Double(second) * 1000 + Double(millisecond)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        let m = ((month - 1) % 12 + 12) % 12 + 1
        let y = year + Int((Double(month - 1) / 12).rounded(.down))
        switch m {
        case 2: return isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysInYear(_ year: Int) -> Int { isLeapYear(year) ? 366 : 365 }

    /// ISO weekday, Monday = 1 … Sunday = 7.
    var weekday: Int {
        let days = CivilTime.days(fromYear: year, month: month, day: day)
        let w = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday (4)
        return w + 1
    }

    /// Day of the year, 1-based.
    var ordinal: Int {
        CivilTime.days(fromYear: year, month: month, day: day) - CivilTime.days(fromYear: year, month: 1, day: 1) + 1
    }

    static func weeksInWeekYear(_ year: Int) -> Int {
        func p(_ y: Int) -> Int {
            let v = (y + Int((Double(y) / 4).rounded(.down)) - Int((Double(y) / 100).rounded(.down))
                + Int((Double(y) / 400).rounded(.down))) % 7
            return (v + 7) % 7
        }
        return p(year) == 4 || p(year - 1) == 3 ? 53 : 52
    }

    /// ISO week-numbering year and week number.
    var isoWeek: (weekYear: Int, weekNumber: Int) {
        let number = (ordinal - weekday + 10) / 7
        if number < 1 {
            return (year - 1, CivilTime.weeksInWeekYear(year - 1))
        }
        if number > CivilTime.weeksInWeekYear(year) {
            return (year + 1, 1)
        }
        return (year, number)
    }

    /// The Gregorian date of an ISO week date.
    static func fromWeek(weekYear: Int, weekNumber: Int, weekday: Int) -> (Int, Int, Int) {
        let jan4 = CivilTime(year: weekYear, month: 1, day: 4)
        let weekOneMonday = CivilTime.days(fromYear: weekYear, month: 1, day: 4) - (jan4.weekday - 1)
        return civil(fromDays: weekOneMonday + (weekNumber - 1) * 7 + (weekday - 1))
    }

    var quarter: Int { (month - 1) / 3 + 1 }
}
