public import Foundation

/// When a schedule fires: a fixed interval, or a cron expression with an optional "every N
/// hours/days/weeks/months" recurrence counted from the last firing (n8n's `recurrencyRules`).
///
/// `nextFire` is a pure function of its arguments: the timer service keeps the last firing and
/// asks again after each tick, so tests check it with fixed instants.
public struct ScheduleRule: Sendable, Hashable {
    public enum Unit: String, Sendable, Hashable { case hours, days, weeks, months }

    public struct Recurrence: Sendable, Hashable {
        public var unit: Unit
        public var interval: Int
        public init(unit: Unit, interval: Int) {
            self.unit = unit
            self.interval = interval
        }
    }

    public enum Timing: Sendable, Hashable {
        /// Every `seconds`, counted from activation (n8n's `setInterval` timers).
        case interval(seconds: Int)
        case cron(CronExpression, recurrence: Recurrence?)
    }

    public var timing: Timing

    public init(_ timing: Timing) { self.timing = timing }

    /// The first firing strictly after `after`, or nil when none falls in the next five years.
    ///
    /// - Parameters:
    ///   - lastFire: the previous firing of this rule (nil before the first one); recurrences count
    ///     from it, intervals add to it.
    ///   - timeZone: the workflow's time zone; wall times that a daylight-saving change skips fire
    ///     at the same offset after the change (02:30 → 03:30), repeated ones fire once (the first).
    public func nextFire(after: Date, lastFire: Date?, timeZone: TimeZone) -> Date? {
        switch timing {
        case .interval(let seconds):
            let step = TimeInterval(max(1, seconds))
            guard let last = lastFire else { return after.addingTimeInterval(step) }
            var next = last.addingTimeInterval(step)
            if next <= after {
                let missed = ((after.timeIntervalSince(next)) / step).rounded(.down) + 1
                next = next.addingTimeInterval(missed * step)
            }
            return next
        case .cron(let cron, let recurrence):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var cursor = after
            for _ in 0..<5000 {
                guard let candidate = Self.nextCron(cron, after: cursor, calendar: calendar) else { return nil }
                if let recurrence, let lastFire, !Self.recurs(recurrence, candidate: candidate, last: lastFire, calendar: calendar) {
                    cursor = candidate
                    continue
                }
                return candidate
            }
            return nil
        }
    }

    /// n8n's recurrence check without its year-wrap slip: at least `interval` hour/day/week/month
    /// boundaries since the last firing (weeks: or the same week, so several weekdays fire).
    static func recurs(_ r: Recurrence, candidate: Date, last: Date, calendar: Calendar) -> Bool {
        func index(_ date: Date) -> Int {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .yearForWeekOfYear, .weekOfYear], from: date)
            switch r.unit {
            case .hours:
                return dayNumber(c, calendar: calendar) * 24 + (c.hour ?? 0)
            case .days:
                return dayNumber(c, calendar: calendar)
            case .weeks:
                var sunday = calendar
                sunday.firstWeekday = 1
                let start = sunday.dateInterval(of: .weekOfYear, for: date)?.start ?? date
                return dayNumber(sunday.dateComponents([.year, .month, .day], from: start), calendar: calendar) / 7
            case .months:
                return (c.year ?? 0) * 12 + (c.month ?? 1) - 1
            }
        }
        let distance = index(candidate) - index(last)
        if r.unit == .weeks, distance == 0 { return true }
        return distance >= r.interval
    }

    /// Days since 1970-01-01 of a local calendar date (proleptic Gregorian).
    static func dayNumber(_ c: DateComponents, calendar: Calendar) -> Int {
        let y = c.year ?? 1970, m = c.month ?? 1, d = c.day ?? 1
        let a = (14 - m) / 12
        let yy = y + 4800 - a, mm = m + 12 * a - 3
        let jdn = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045
        return jdn - 2_440_588
    }

    /// The first instant after `after` whose local wall time matches `cron`.
    static func nextCron(_ cron: CronExpression, after: Date, calendar: Calendar) -> Date? {
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: after)
        let startSecondOfDay = (start.hour ?? 0) * 3600 + (start.minute ?? 0) * 60 + (start.second ?? 0)
        guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day, hour: 12)) else {
            return nil
        }
        let hours = cron.hours.sorted(), minutes = cron.minutes.sorted(), seconds = cron.seconds.sorted()
        for offset in 0..<(366 * 5) {
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if cron.matchesDay(day: c.day ?? 1, month: c.month ?? 1, weekday: (c.weekday ?? 1) - 1) {
                for h in hours {
                    // Two hours of slack on the first day: a daylight-saving change can move wall times.
                    if offset == 0, h * 3600 + 3599 < startSecondOfDay - 7200 { continue }
                    for m in minutes {
                        for s in seconds {
                            if offset == 0, h * 3600 + m * 60 + s < startSecondOfDay - 7200 { continue }
                            var wanted = DateComponents(year: c.year, month: c.month, day: c.day, hour: h, minute: m, second: s)
                            wanted.timeZone = calendar.timeZone
                            guard let date = calendar.date(from: wanted), date > after else { continue }
                            // A skipped wall time resolves past the gap; only keep it on its own day.
                            if calendar.component(.day, from: date) != c.day { continue }
                            return date
                        }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }
}
