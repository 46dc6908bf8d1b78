import Foundation

/// A cron expression with seconds: `second minute hour day-of-month month day-of-week` (a 5-field
/// expression gets second 0). Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`,
/// lists, month and weekday names; weekday 7 is Sunday. When both day fields are restricted a
/// day matches either of them (Vixie cron's rule, as the `cron` package n8n uses).
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public let seconds: Set<Int>
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday … 6.
    public let daysOfWeek: Set<Int>
    let domRestricted: Bool
    let dowRestricted: Bool
    public let description: String

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(_ text: String) throws(ParseError) {
        description = text
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if fields.count == 5 { fields.insert("0", at: 0) }
        guard fields.count == 6 else {
            throw ParseError(description: "cron expression \"\(text)\": expected 5 or 6 fields, found \(fields.count)")
        }
        seconds = try Self.field(fields[0], 0...59, "second", names: [], text: text)
        minutes = try Self.field(fields[1], 0...59, "minute", names: [], text: text)
        hours = try Self.field(fields[2], 0...23, "hour", names: [], text: text)
        daysOfMonth = try Self.field(fields[3], 1...31, "day of month", names: [], text: text)
        months = try Self.field(fields[4], 1...12, "month", names: Self.monthNames, nameBase: 1, text: text)
        var dow = try Self.field(fields[5], 0...7, "day of week", names: Self.dayNames, text: text)
        if dow.remove(7) != nil { dow.insert(0) }
        daysOfWeek = dow
        domRestricted = !(fields[3] == "*" || fields[3] == "?")
        dowRestricted = !(fields[5] == "*" || fields[5] == "?")
    }

    /// Whether a local date (day of month, month 1-12, weekday 0-6) is a firing day.
    func matchesDay(day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (domRestricted, dowRestricted) {
        case (true, true): return daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        case (true, false): return daysOfMonth.contains(day)
        case (false, true): return daysOfWeek.contains(weekday)
        case (false, false): return true
        }
    }

    static func field(
        _ text: String, _ range: ClosedRange<Int>, _ name: String, names: [String], nameBase: Int = 0, text whole: String
    ) throws(ParseError) -> Set<Int> {
        func fail(_ why: String) -> ParseError {
            ParseError(description: "cron expression \"\(whole)\": \(name) field \"\(text)\": \(why)")
        }
        func number(_ s: Substring) throws(ParseError) -> Int {
            if let n = Int(s) { return n }
            if let i = names.firstIndex(of: s.uppercased()) { return i + nameBase }
            throw fail("\"\(s)\" is not a number")
        }
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stepSplit = part.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var step = 1
            if stepSplit.count == 2 {
                guard let s = Int(stepSplit[1]), s > 0 else { throw fail("bad step \"\(stepSplit[1])\"") }
                step = s
            }
            let base = stepSplit[0]
            var lower = range.lowerBound, upper = range.upperBound
            if base == "*" || base == "?" {
            } else if let dash = base.firstIndex(of: "-") {
                lower = try number(base[..<dash])
                upper = try number(base[base.index(after: dash)...])
            } else {
                lower = try number(base)
                upper = stepSplit.count == 2 ? range.upperBound : lower
            }
            guard range.contains(lower), range.contains(upper), lower <= upper else {
                throw fail("values must be within \(range.lowerBound)-\(range.upperBound)")
            }
            out.formUnion(stride(from: lower, through: upper, by: step))
        }
        return out
    }
}
