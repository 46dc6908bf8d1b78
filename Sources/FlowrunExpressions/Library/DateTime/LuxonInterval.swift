/// A Luxon `Interval`: the half-open span `[start, end)` between two DateTimes.
package struct LuxonInterval: Sendable {
    package private(set) var start: LuxonDateTime
    package private(set) var end: LuxonDateTime
    package private(set) var invalidReason: String?
    package private(set) var invalidExplanation: String?

    package var isValid: Bool { invalidReason == nil }

    package init(invalid reason: String, explanation: String? = nil) {
        start = LuxonDateTime(invalid: reason, explanation: explanation)
        end = start
        invalidReason = reason
        invalidExplanation = explanation
    }

    /// `Interval.fromDateTimes(start, end)`.
    package static func fromDateTimes(_ start: LuxonDateTime, _ end: LuxonDateTime) -> LuxonInterval {
        if !start.isValid { return LuxonInterval(invalid: "missing or invalid start") }
        if !end.isValid { return LuxonInterval(invalid: "missing or invalid end") }
        if end.ts < start.ts {
            return LuxonInterval(invalid: "end before start",
                                 explanation: "The end of an interval must be after its start, but you had start=\(start.toISO() ?? "") and end=\(end.toISO() ?? "")")
        }
        var interval = LuxonInterval(invalid: "")
        interval.start = start
        interval.end = end
        interval.invalidReason = nil
        interval.invalidExplanation = nil
        return interval
    }

    package static func after(_ start: LuxonDateTime, _ duration: LuxonDuration) -> LuxonInterval {
        fromDateTimes(start, start.plus(duration))
    }

    package static func before(_ end: LuxonDateTime, _ duration: LuxonDuration) -> LuxonInterval {
        fromDateTimes(end.minus(duration), end)
    }

    /// `Interval.fromISO("start/end")`, either side may be a duration.
    package static func fromISO(_ text: String, options: LuxonDateTime.ParseOptions) -> LuxonInterval {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return LuxonInterval(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as ISO 8601") }
        let start = LuxonDateTime.fromISO(parts[0], options: options)
        let end = LuxonDateTime.fromISO(parts[1], options: options)
        if start.isValid && end.isValid { return fromDateTimes(start, end) }
        if start.isValid {
            let duration = LuxonDuration.fromISO(parts[1])
            if duration.isValid { return after(start, duration) }
        } else if end.isValid {
            let duration = LuxonDuration.fromISO(parts[0])
            if duration.isValid { return before(end, duration) }
        }
        return LuxonInterval(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as ISO 8601")
    }

    package func toDuration(_ units: [LuxonDuration.Unit] = [.milliseconds]) -> LuxonDuration {
        guard isValid else { return LuxonDuration(invalid: invalidReason ?? "invalid", explanation: nil) }
        return end.diff(start, units)
    }

    package func length(_ unit: LuxonDuration.Unit = .milliseconds) -> Double {
        isValid ? toDuration([unit]).get(unit) : .nan
    }

    /// `count(unit)`: how many calendar units the interval touches.
    package func count(_ unit: LuxonDuration.Unit = .milliseconds) -> Double {
        guard isValid else { return .nan }
        let s = start.startOf(unit)
        let e = end.startOf(unit)
        return e.diff(s, [unit]).get(unit).rounded(.down) + (e.ts != end.ts ? 1 : 0)
    }

    package func isEmpty() -> Bool { start.ts == end.ts }
    package func contains(_ dt: LuxonDateTime) -> Bool { isValid && start.ts <= dt.ts && end.ts > dt.ts }
    package func isAfter(_ dt: LuxonDateTime) -> Bool { isValid && start.ts > dt.ts }
    package func isBefore(_ dt: LuxonDateTime) -> Bool { isValid && end.ts <= dt.ts }
    package func overlaps(_ other: LuxonInterval) -> Bool { end.ts > other.start.ts && start.ts < other.end.ts }
    package func engulfs(_ other: LuxonInterval) -> Bool { isValid && start.ts <= other.start.ts && end.ts >= other.end.ts }
    package func hasSame(_ unit: LuxonDuration.Unit) -> Bool {
        isValid && (isEmpty() || start.hasSame(end.minus(LuxonDuration.fromMillis(1)), unit))
    }

    package func equals(_ other: LuxonInterval) -> Bool {
        isValid && other.isValid && start.equals(other.start) && end.equals(other.end)
    }

    package func intersection(_ other: LuxonInterval) -> LuxonInterval? {
        guard isValid else { return self }
        let s = start.ts > other.start.ts ? start : other.start
        let e = end.ts < other.end.ts ? end : other.end
        return s.ts >= e.ts ? nil : LuxonInterval.fromDateTimes(s, e)
    }

    package func union(_ other: LuxonInterval) -> LuxonInterval {
        guard isValid else { return self }
        let s = start.ts < other.start.ts ? start : other.start
        let e = end.ts > other.end.ts ? end : other.end
        return LuxonInterval.fromDateTimes(s, e)
    }

    /// `splitBy(duration)`.
    package func splitBy(_ duration: LuxonDuration) -> [LuxonInterval] {
        guard isValid, duration.isValid, duration.as(.milliseconds) != 0 else { return [] }
        var results: [LuxonInterval] = []
        var s = start
        var index = 1.0
        while s.ts < end.ts, results.count < 100_000 {
            let added = start.plus(LuxonDuration(duration.values.mapValues { $0 * index }))
            let next = added.ts > end.ts ? end : added
            results.append(LuxonInterval.fromDateTimes(s, next))
            s = next
            index += 1
        }
        return results
    }

    package func divideEqually(_ parts: Int) -> [LuxonInterval] {
        guard isValid, parts > 0 else { return [] }
        return Array(splitBy(LuxonDuration.fromMillis(length() / Double(parts))).prefix(parts))
    }

    package func toISO() -> String {
        guard isValid else { return "Invalid Interval" }
        return "\(start.toISO() ?? "")/\(end.toISO() ?? "")"
    }

    package func toISODate() -> String? {
        guard isValid else { return nil }
        return "\(start.toISODate() ?? "")/\(end.toISODate() ?? "")"
    }

    package func toString() -> String {
        guard isValid else { return "Invalid Interval" }
        return "[\(start.toISO() ?? "") – \(end.toISO() ?? ""))"
    }

    package func toFormat(_ format: String, separator: String = " – ") -> String {
        guard isValid else { return "Invalid Interval" }
        return start.toFormat(format) + separator + end.toFormat(format)
    }
}
