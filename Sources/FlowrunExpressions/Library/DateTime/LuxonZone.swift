import Foundation

/// A Luxon time zone: a fixed UTC offset (UTC itself included) or an IANA zone with its rules.
///
/// Luxon treats the names `UTC` and `GMT` (any case) as the fixed zero-offset zone, which is why a
/// workflow zone of `"UTC"` prints ISO strings ending in `Z`.
package enum LuxonZone: Sendable, Equatable {
    /// A fixed offset from UTC in minutes (`0` is UTC).
    case fixed(minutes: Int)
    /// An IANA zone such as `America/New_York`.
    case iana(TimeZone)
    /// A name that is not a zone; DateTimes in it are invalid.
    case invalid(String)

    /// The UTC zone.
    package static let utc = LuxonZone.fixed(minutes: 0)

    /// Luxon's `normalizeZone` for a zone name: `UTC`/`GMT`, `UTC+3`, `UTC-05:30`, or an IANA name.
    package static func named(_ name: String) -> LuxonZone {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower == "utc" || lower == "gmt" || lower == "z" { return .utc }
        if lower.hasPrefix("utc") || lower.hasPrefix("gmt") {
            if let minutes = parseSignedOffset(String(lower.dropFirst(3))) { return .fixed(minutes: minutes) }
        }
        if let zone = TimeZone(identifier: trimmed), !trimmed.isEmpty {
            return .iana(zone)
        }
        return .invalid(trimmed)
    }

    /// Parses `+3`, `-05:30`, `+0530` into minutes.
    static func parseSignedOffset(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let body = text.dropFirst()
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        var hours: Int?
        var minutes = 0
        if parts.count == 2 {
            hours = Int(parts[0])
            guard let m = Int(parts[1]) else { return nil }
            minutes = m
        } else if body.count == 4, let all = Int(body) {
            hours = all / 100
            minutes = all % 100
        } else {
            hours = Int(body)
        }
        guard let h = hours, h <= 23, minutes < 60 else { return nil }
        let total = h * 60 + minutes
        return sign == "-" ? -total : total
    }

    /// Whether DateTimes in this zone can exist.
    package var isValid: Bool {
        if case .invalid = self { return false }
        return true
    }

    /// Luxon's `isUniversal`: the offset never changes.
    package var isOffsetFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// The zone's name as Luxon reports it (`UTC`, `UTC+5:30`, `America/New_York`).
    package var name: String {
        switch self {
        case .fixed(let minutes):
            return minutes == 0 ? "UTC" : "UTC" + LuxonZone.formatOffset(minutes, style: .narrow)
        case .iana(let zone):
            return zone.identifier
        case .invalid(let name):
            return name
        }
    }

    /// The offset from UTC in minutes at an instant given in epoch milliseconds.
    package func offset(atMillis ms: Double) -> Int {
        switch self {
        case .fixed(let minutes):
            return minutes
        case .iana(let zone):
            guard ms.isFinite else { return 0 }
            let seconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: (ms / 1000).rounded(.down)))
            return Int((Double(seconds) / 60).rounded(.towardZero))
        case .invalid:
            return 0
        }
    }

    /// Short or long offset name (`EST`, `Eastern Standard Time`); fixed zones print as offsets.
    package func offsetName(atMillis ms: Double, long: Bool) -> String {
        switch self {
        case .fixed(let minutes):
            return minutes == 0 ? (long ? "Coordinated Universal Time" : "UTC") : "GMT" + LuxonZone.formatOffset(minutes, style: .narrow)
        case .iana(let zone):
            let date = Date(timeIntervalSince1970: ms / 1000)
            let style: NSTimeZone.NameStyle
            let dst = zone.isDaylightSavingTime(for: date)
            if long {
                style = dst ? .daylightSaving : .standard
            } else {
                style = dst ? .shortDaylightSaving : .shortStandard
            }
            if let name = zone.localizedName(for: style, locale: Locale(identifier: "en_US")) { return name }
            return "GMT" + LuxonZone.formatOffset(offset(atMillis: ms), style: .narrow)
        case .invalid:
            return ""
        }
    }

    /// The three offset spellings Luxon uses.
    package enum OffsetStyle: Sendable { case short, narrow, techie }

    /// Luxon's `formatOffset`: `+05:30` (short), `+5:30` (narrow), `+0530` (techie).
    package static func formatOffset(_ offset: Int, style: OffsetStyle) -> String {
        let hours = abs(offset) / 60
        let minutes = abs(offset) % 60
        let sign = offset >= 0 ? "+" : "-"
        switch style {
        case .short: return "\(sign)\(luxonPad(hours, 2)):\(luxonPad(minutes, 2))"
        case .narrow: return "\(sign)\(hours)" + (minutes > 0 ? ":\(minutes)" : "")
        case .techie: return "\(sign)\(luxonPad(hours, 2))\(luxonPad(minutes, 2))"
        }
    }

    package static func == (lhs: LuxonZone, rhs: LuxonZone) -> Bool {
        switch (lhs, rhs) {
        case let (.fixed(a), .fixed(b)): return a == b
        case let (.iana(a), .iana(b)): return a.identifier == b.identifier
        case let (.invalid(a), .invalid(b)): return a == b
        default: return false
        }
    }
}

/// Luxon's `padStart`: zero-pads the absolute value and keeps a leading minus.
func luxonPad(_ value: Int, _ width: Int) -> String {
    let digits = String(abs(value))
    let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + padded : padded
}
