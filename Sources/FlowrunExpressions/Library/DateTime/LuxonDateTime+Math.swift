/// Calendar math: `set`, `plus`/`minus`, `startOf`/`endOf` and `diff`, following Luxon.
extension LuxonDateTime {
    /// Units accepted by `set`, `startOf`, `get` (Luxon's DateTime `normalizeUnit`).
    package enum FieldUnit: String, Sendable {
        case year, quarter, month, week, day, hour, minute, second, millisecond
        case weekday, weekNumber, weekYear, ordinal

        package init?(normalizing text: String) {
            let table: [String: FieldUnit] = [
                "year": .year, "years": .year, "quarter": .quarter, "quarters": .quarter,
                "month": .month, "months": .month, "week": .week, "weeks": .week, "day": .day, "days": .day,
                "hour": .hour, "hours": .hour, "minute": .minute, "minutes": .minute,
                "second": .second, "seconds": .second, "millisecond": .millisecond, "milliseconds": .millisecond,
                "weekday": .weekday, "weekdays": .weekday, "weeknumber": .weekNumber, "weeksnumber": .weekNumber,
                "weeknumbers": .weekNumber, "weekyear": .weekYear, "weekyears": .weekYear, "ordinal": .ordinal,
            ]
            guard let unit = table[text.lowercased()] else { return nil }
            self = unit
        }
    }

    /// `set({...})` with already-normalized fields; fields absent keep their value.
    package func setting(_ fields: [String: Int]) -> LuxonDateTime {
        guard isValid else { return self }
        var civil = c
        if fields["weekYear"] != nil || fields["weekNumber"] != nil || fields["weekday"] != nil {
            let week = c.isoWeek
            let (y, m, d) = CivilTime.fromWeek(
                weekYear: fields["weekYear"] ?? week.weekYear,
                weekNumber: fields["weekNumber"] ?? week.weekNumber,
                weekday: fields["weekday"] ?? c.weekday
            )
            civil.year = y
            civil.month = m
            civil.day = d
        } else if let ordinal = fields["ordinal"] {
            let y = fields["year"] ?? c.year
            let (yy, m, d) = CivilTime.civil(fromDays: CivilTime.days(fromYear: y, month: 1, day: 1) + ordinal - 1)
            civil.year = yy
            civil.month = m
            civil.day = d
        } else {
            civil.year = fields["year"] ?? civil.year
            civil.month = fields["month"] ?? civil.month
            if let day = fields["day"] {
                civil.day = day
            } else {
                civil.day = min(CivilTime.daysInMonth(year: civil.year, month: civil.month), civil.day)
            }
        }
        civil.hour = fields["hour"] ?? civil.hour
        civil.minute = fields["minute"] ?? civil.minute
        civil.second = fields["second"] ?? civil.second
        civil.millisecond = fields["millisecond"] ?? civil.millisecond
        return LuxonDateTime.fromCivil(civil, zone: zone, guess: offset, locale: locale)
    }

    /// `plus(duration)`: calendar units move the wall clock (days clamp to the month's end), time
    /// units move the instant, as Luxon's `adjustTime`.
    package func plus(_ duration: LuxonDuration) -> LuxonDateTime {
        guard isValid else { return self }
        guard duration.isValid else { return LuxonDateTime(invalid: "invalid duration", explanation: nil) }
        let years = duration.get(.years), quarters = duration.get(.quarters), months = duration.get(.months)
        let weeks = duration.get(.weeks), days = duration.get(.days)
        var civil = c
        civil.year = c.year + Int(years.rounded(.towardZero))
        civil.month = c.month + Int(months.rounded(.towardZero)) + Int(quarters.rounded(.towardZero)) * 3
        civil.day = min(c.day, CivilTime.daysInMonth(year: civil.year, month: civil.month))
            + Int(days.rounded(.towardZero)) + Int(weeks.rounded(.towardZero)) * 7
        let millisToAdd = LuxonDuration([
            .years: years - years.rounded(.towardZero),
            .quarters: quarters - quarters.rounded(.towardZero),
            .months: months - months.rounded(.towardZero),
            .weeks: weeks - weeks.rounded(.towardZero),
            .days: days - days.rounded(.towardZero),
            .hours: duration.get(.hours), .minutes: duration.get(.minutes),
            .seconds: duration.get(.seconds), .milliseconds: duration.get(.milliseconds),
        ]).as(.milliseconds)
        var (ts, o) = LuxonDateTime.fixOffset(localTS: civil.localMillis, guess: offset, zone: zone)
        if millisToAdd != 0 {
            ts += millisToAdd
            o = zone.offset(atMillis: ts)
        }
        return LuxonDateTime(ts: ts, zone: zone, offset: o, locale: locale)
    }

    package func minus(_ duration: LuxonDuration) -> LuxonDateTime { plus(duration.negate()) }

    /// `startOf(unit)`.
    package func startOf(_ unit: LuxonDuration.Unit) -> LuxonDateTime {
        guard isValid else { return self }
        var fields: [String: Int] = [:]
        switch unit {
        case .years:
            fields = ["month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "millisecond": 0]
        case .quarters, .months:
            fields = ["day": 1, "hour": 0, "minute": 0, "second": 0, "millisecond": 0]
        case .weeks, .days:
            fields = ["hour": 0, "minute": 0, "second": 0, "millisecond": 0]
        case .hours:
            fields = ["minute": 0, "second": 0, "millisecond": 0]
        case .minutes:
            fields = ["second": 0, "millisecond": 0]
        case .seconds:
            fields = ["millisecond": 0]
        case .milliseconds:
            break
        }
        if unit == .weeks { fields["weekday"] = 1 }
        if unit == .quarters { fields["month"] = (c.quarter - 1) * 3 + 1 }
        return setting(fields)
    }

    /// `endOf(unit)`: one unit later, back to its start, minus a millisecond.
    package func endOf(_ unit: LuxonDuration.Unit) -> LuxonDateTime {
        guard isValid else { return self }
        return plus(LuxonDuration([unit: 1])).startOf(unit).minus(LuxonDuration.fromMillis(1))
    }

    /// `hasSame(other, unit)`.
    package func hasSame(_ other: LuxonDateTime, _ unit: LuxonDuration.Unit) -> Bool {
        guard isValid, other.isValid else { return false }
        let adjusted = setZone(other.zone, keepLocalTime: true)
        return adjusted.startOf(unit).ts <= other.ts && other.ts <= adjusted.endOf(unit).ts
    }

    /// `diff(other, units)`: `this - other` in the given units, Luxon's algorithm (calendar units
    /// first, walking a cursor, then the remaining milliseconds).
    package func diff(_ other: LuxonDateTime, _ units: [LuxonDuration.Unit]) -> LuxonDuration {
        guard isValid, other.isValid else {
            return LuxonDuration(invalid: "created by diffing an invalid DateTime", explanation: nil)
        }
        let units = units.isEmpty ? [.milliseconds] : units
        let otherIsLater = other.ts > ts
        let earlier = otherIsLater ? self : other
        let later = otherIsLater ? other : self
        let diffed = LuxonDateTime.diffOrdered(earlier, later, units)
        return otherIsLater ? diffed.negate() : diffed
    }

    private static func dayDiff(_ earlier: LuxonDateTime, _ later: LuxonDateTime) -> Double {
        func utcDayStart(_ dt: LuxonDateTime) -> Double {
            dt.toUTC(keepLocalTime: true).startOf(.days).ts
        }
        let ms = utcDayStart(later) - utcDayStart(earlier)
        return LuxonDuration.fromMillis(ms).as(.days).rounded(.down)
    }

    private static func diffOrdered(_ earlier: LuxonDateTime, _ later: LuxonDateTime, _ units: [LuxonDuration.Unit]) -> LuxonDuration {
        var results: [LuxonDuration.Unit: Double] = [:]
        var cursor = earlier
        var highWater = earlier
        var highWaterIsCursor = true
        var lowestOrder: LuxonDuration.Unit?
        let differs: [(LuxonDuration.Unit, (LuxonDateTime, LuxonDateTime) -> Double)] = [
            (.years, { a, b in Double(b.c.year - a.c.year) }),
            (.quarters, { a, b in Double(b.c.quarter - a.c.quarter + (b.c.year - a.c.year) * 4) }),
            (.months, { a, b in Double(b.c.month - a.c.month + (b.c.year - a.c.year) * 12) }),
            (.weeks, { a, b in
                let days = dayDiff(a, b)
                return (days - days.truncatingRemainder(dividingBy: 7)) / 7
            }),
            (.days, { a, b in dayDiff(a, b) }),
        ]
        for (unit, differ) in differs where units.contains(unit) {
            lowestOrder = unit
            results[unit] = differ(cursor, later)
            highWater = earlier.plus(LuxonDuration(results))
            if highWater.ts > later.ts {
                results[unit]! -= 1
                cursor = earlier.plus(LuxonDuration(results))
                highWaterIsCursor = false
                if cursor.ts > later.ts {
                    highWater = cursor
                    results[unit]! -= 1
                    cursor = earlier.plus(LuxonDuration(results))
                }
            } else {
                cursor = highWater
                highWaterIsCursor = true
            }
        }
        let remainingMillis = later.ts - cursor.ts
        let lowerOrderUnits = units.filter { [.hours, .minutes, .seconds, .milliseconds].contains($0) }
        if lowerOrderUnits.isEmpty, let lowest = lowestOrder {
            if highWater.ts < later.ts {
                highWater = cursor.plus(LuxonDuration([lowest: 1]))
                highWaterIsCursor = false
            }
            if !highWaterIsCursor {
                results[lowest] = (results[lowest] ?? 0) + remainingMillis / (highWater.ts - cursor.ts)
            }
        }
        let duration = LuxonDuration(results)
        if !lowerOrderUnits.isEmpty {
            return LuxonDuration.fromMillis(remainingMillis).shiftTo(lowerOrderUnits).plus(duration)
        }
        return duration
    }
}
