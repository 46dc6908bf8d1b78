import FlowrunExpressions
import Foundation

/// n8n's `tryToParseDateTime`: ISO, HTTP, RFC 2822, SQL, then `Date.parse`, in that order.
enum DateParsing {
    /// The parsed date, nil when the value is not a date.
    static func parse(_ value: JSONValue, zone zoneName: String) -> LuxonDateTime? {
        let zone = LuxonZone.named(zoneName)
        let text = JS.string(value).trimmingCharacters(in: .whitespacesAndNewlines)
        let options = LuxonDateTime.ParseOptions(zone: zone, setZone: true)
        let iso = LuxonDateTime.fromISO(text, options: options)
        if iso.isValid { return iso }
        let http = LuxonDateTime.fromHTTP(text, options: options)
        if http.isValid { return http }
        let rfc = LuxonDateTime.fromRFC2822(text, options: options)
        if rfc.isValid { return rfc }
        let sql = LuxonDateTime.fromSQL(text, options: options)
        if sql.isValid { return sql }
        if let ms = JSDateParser.parse(text, localZone: zone) {
            let dt = LuxonDateTime.fromMillis(ms, zone: zone)
            if dt.isValid { return dt }
        }
        return nil
    }

    /// `new Date(value).getTime()` for a string, the number itself for a number; nil when invalid.
    static func jsDateMillis(_ value: JSONValue?, zone zoneName: String) -> Double? {
        switch value {
        case .number(let n)?: return n.isNaN ? nil : n
        case .string(let s)?: return JSDateParser.parse(s, localZone: LuxonZone.named(zoneName))
        default: return nil
        }
    }
}

