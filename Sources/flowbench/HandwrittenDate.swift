import Foundation

/// The hand-written baseline for the date suite: parse an ISO instant and format it in UTC with
/// Foundation, as a Swift programmer would without flowrun.
enum HandwrittenDate {
    // The benchmark runs on one thread; these formatters are never shared across tasks.
    nonisolated(unsafe) private static let parser: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
    private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }()

    static func format(_ iso: String) -> String {
        guard let date = parser.date(from: iso) else { return "Invalid DateTime" }
        return formatter.string(from: date)
    }
}
