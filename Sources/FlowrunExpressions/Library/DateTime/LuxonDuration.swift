import Foundation

/// A Luxon `Duration` with the casual conversion matrix (a month is 30 days, a year 365).
///
/// Only units that were set are present, as in Luxon's `values` object.
package struct LuxonDuration: Sendable, Equatable {
    package enum Unit: Int, CaseIterable, Sendable, Comparable {
        case years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds

        package var name: String {
            ["years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds"][rawValue]
        }

        package static func < (lhs: Unit, rhs: Unit) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Luxon's `Duration.normalizeUnit` (singular or plural, any case).
        package init?(normalizing text: String) {
            var lower = text.lowercased()
            if !lower.hasSuffix("s") { lower += "s" }
            guard let unit = Unit.allCases.first(where: { $0.name == lower }) else { return nil }
            self = unit
        }
    }

    /// Set units and their values.
    package private(set) var values: [Unit: Double] = [:]
    package private(set) var invalidReason: String?
    package private(set) var invalidExplanation: String?

    package init(_ values: [Unit: Double] = [:]) { self.values = values }

    package init(invalid reason: String, explanation: String?) {
        invalidReason = reason
        invalidExplanation = explanation
    }

    package static func fromMillis(_ ms: Double) -> LuxonDuration { LuxonDuration([.milliseconds: ms]) }

    package var isValid: Bool { invalidReason == nil }

    /// The value of one unit (0 when not set, NaN when invalid).
    package func get(_ unit: Unit) -> Double {
        guard isValid else { return .nan }
        return values[unit] ?? 0
    }

    /// Set units in Luxon's order.
    package var orderedValues: [(Unit, Double)] {
        Unit.allCases.compactMap { unit in values[unit].map { (unit, $0) } }
    }

    static func factor(_ from: Unit, _ to: Unit) -> Double {
        let msPer: [Unit: Double] = [
            .weeks: 7 * 86_400_000, .days: 86_400_000, .hours: 3_600_000, .minutes: 60_000, .seconds: 1000, .milliseconds: 1,
        ]
        switch from {
        case .years:
            switch to {
            case .quarters: return 4
            case .months: return 12
            case .weeks: return 52
            default: return 365 * 86_400_000 / msPer[to]!
            }
        case .quarters:
            switch to {
            case .months: return 3
            case .weeks: return 13
            default: return 91 * 86_400_000 / msPer[to]!
            }
        case .months:
            switch to {
            case .weeks: return 4
            default: return 30 * 86_400_000 / msPer[to]!
            }
        default:
            return msPer[from]! / msPer[to]!
        }
    }

    package func toMillis() -> Double {
        guard isValid else { return .nan }
        var sum = values[.milliseconds] ?? 0
        for unit in Unit.allCases.reversed().dropFirst() {
            if let v = values[unit], v != 0 { sum += v * LuxonDuration.factor(unit, .milliseconds) }
        }
        return sum
    }

    static func normalizeValues(_ vals: inout [Unit: Double]) {
        let factor: Double = LuxonDuration(vals).toMillis() < 0 ? -1 : 1
        var previous: Unit?
        for current in Unit.allCases.reversed() where vals[current] != nil {
            if let prev = previous {
                let previousVal = vals[prev]! * factor
                let conv = LuxonDuration.factor(current, prev)
                let rollUp = (previousVal / conv).rounded(.down)
                vals[current]! += rollUp * factor
                vals[prev]! -= rollUp * conv * factor
            }
            previous = current
        }
        previous = nil
        for current in Unit.allCases where vals[current] != nil {
            if let prev = previous {
                let fraction = vals[prev]!.truncatingRemainder(dividingBy: 1)
                vals[prev]! -= fraction
                vals[current]! += fraction * LuxonDuration.factor(prev, current)
            }
            previous = current
        }
    }

    /// Luxon's `shiftTo(...units)`.
    package func shiftTo(_ units: [Unit]) -> LuxonDuration {
        guard isValid, !units.isEmpty else { return self }
        var built: [Unit: Double] = [:]
        var accumulated: [(Unit, Double)] = []
        var lastUnit: Unit = units[0]
        for k in Unit.allCases {
            if units.contains(k) {
                lastUnit = k
                var own = 0.0
                for index in accumulated.indices {
                    own += LuxonDuration.factor(accumulated[index].0, k) * accumulated[index].1
                    accumulated[index].1 = 0
                }
                if let v = values[k] { own += v }
                let i = own.rounded(.towardZero)
                built[k] = i
                accumulated.append((k, (own * 1000 - i * 1000) / 1000))
            } else if let v = values[k] {
                accumulated.append((k, v))
            }
        }
        for (key, value) in accumulated where value != 0 {
            built[lastUnit]! += key == lastUnit ? value : value / LuxonDuration.factor(lastUnit, key)
        }
        LuxonDuration.normalizeValues(&built)
        return LuxonDuration(built)
    }

    /// Luxon's `as(unit)`.
    package func `as`(_ unit: Unit) -> Double {
        isValid ? shiftTo([unit]).get(unit) : .nan
    }

    package func negate() -> LuxonDuration {
        guard isValid else { return self }
        return LuxonDuration(values.mapValues { $0 == 0 ? 0 : -$0 })
    }

    package func plus(_ other: LuxonDuration) -> LuxonDuration {
        guard isValid else { return self }
        var result: [Unit: Double] = [:]
        for unit in Unit.allCases where values[unit] != nil || other.values[unit] != nil {
            result[unit] = other.get(unit) + get(unit)
        }
        return LuxonDuration(result)
    }

    package func minus(_ other: LuxonDuration) -> LuxonDuration { plus(other.negate()) }

    package func normalize() -> LuxonDuration {
        guard isValid else { return self }
        var vals = values
        LuxonDuration.normalizeValues(&vals)
        return LuxonDuration(vals)
    }

    /// `set(values)`: overrides the given units.
    package func setting(_ newValues: [Unit: Double]) -> LuxonDuration {
        guard isValid else { return self }
        return LuxonDuration(values.merging(newValues) { $1 })
    }

    /// `rescale()`: normalized, shifted to all units, zeros removed.
    package func rescale() -> LuxonDuration {
        guard isValid else { return self }
        let all = normalize().shiftTo([.years, .months, .weeks, .days, .hours, .minutes, .seconds, .milliseconds])
        return LuxonDuration(all.values.filter { $0.value != 0 })
    }

    /// ISO 8601 duration (`P1DT2H`), nil when invalid.
    package func toISO() -> String? {
        guard isValid else { return nil }
        func n(_ v: Double) -> String { JSNumberFormatting.string(v) }
        var s = "P"
        let y = get(.years), q = get(.quarters), mo = get(.months), w = get(.weeks), d = get(.days)
        let h = get(.hours), mi = get(.minutes), sec = get(.seconds), ms = get(.milliseconds)
        if y != 0 { s += n(y) + "Y" }
        if mo != 0 || q != 0 { s += n(mo + q * 3) + "M" }
        if w != 0 { s += n(w) + "W" }
        if d != 0 { s += n(d) + "D" }
        if h != 0 || mi != 0 || sec != 0 || ms != 0 { s += "T" }
        if h != 0 { s += n(h) + "H" }
        if mi != 0 { s += n(mi) + "M" }
        if sec != 0 || ms != 0 { s += n(((sec + ms / 1000) * 1000).rounded() / 1000) + "S" }
        if s == "P" { s += "T0S" }
        return s
    }

    /// `toHuman()` in English: `1 day, 5 hours`.
    package func toHuman(showZeros: Bool = true) -> String {
        guard isValid else { return "Invalid Duration" }
        var parts: [String] = []
        for unit in Unit.allCases where unit != .quarters {
            var value = values[unit]
            if unit == .months, let q = values[.quarters], q != 0 { value = (value ?? 0) + q * 3 }
            guard let v = value, v != 0 || showZeros else { continue }
            let singular = String(unit.name.dropLast())
            let number = IntlNumberFormat.format(v, locale: "en-US")
            parts.append("\(number) \(abs(v) == 1 ? singular : unit.name)")
        }
        return parts.joined(separator: ", ")
    }

    /// Luxon's ISO duration parser (`P3Y6M1W4DT12H30M5S`).
    package static func fromISO(_ text: String) -> LuxonDuration {
        let pattern = #"^-?P(?:(?:(-?\d{1,20}(?:\.\d{1,20})?)Y)?(?:(-?\d{1,20}(?:\.\d{1,20})?)M)?(?:(-?\d{1,20}(?:\.\d{1,20})?)W)?(?:(-?\d{1,20}(?:\.\d{1,20})?)D)?(?:T(?:(-?\d{1,20}(?:\.\d{1,20})?)H)?(?:(-?\d{1,20}(?:\.\d{1,20})?)M)?(?:(-?\d{1,20})(?:[.,](-?\d{1,20}))?S)?)?)$"#
        guard let groups = LuxonRegex.match(pattern, text) else {
            return LuxonDuration(invalid: "unparsable", explanation: "the input \"\(text)\" can't be parsed as ISO 8601")
        }
        let negative = text.hasPrefix("-")
        var vals: [Unit: Double] = [:]
        let units: [Unit] = [.years, .months, .weeks, .days, .hours, .minutes, .seconds]
        for (index, unit) in units.enumerated() {
            if let g = groups[index + 1], let v = Double(g) {
                vals[unit] = negative && v != 0 ? -v : v
            }
        }
        if let fraction = groups[8] {
            let ms = LuxonDateTime.parseMillis(fraction)
            let secondsNegative = groups[7]?.hasPrefix("-") ?? false
            vals[.milliseconds] = secondsNegative || (negative && ms != 0) ? -ms : ms
        }
        return LuxonDuration(vals)
    }
}

extension LuxonDuration {
    /// `toFormat(fmt)`: `S s m h d w M y` tokens, repeated for zero padding, quoted literals kept.
    package func toFormat(_ format: String) -> String {
        guard isValid else { return "Invalid Duration" }
        func unit(_ token: String) -> Unit? {
            switch token.first {
            case "S": return .milliseconds
            case "s": return .seconds
            case "m": return .minutes
            case "h": return .hours
            case "d": return .days
            case "w": return .weeks
            case "M": return .months
            case "y": return .years
            default: return nil
            }
        }
        let tokens = LuxonDateTime.parseFormat(format)
        let units = tokens.compactMap { $0.literal ? nil : unit($0.value) }
        let collapsed = shiftTo(units)
        var out = ""
        for token in tokens {
            if !token.literal, let u = unit(token.value) {
                let value = collapsed.get(u)
                out += value.isFinite ? luxonPad(Int(value.rounded(.down)), token.value.count) : JSNumberFormatting.string(value)
            } else {
                out += token.value
            }
        }
        return out
    }
}
