import FlowrunExpressions
import Foundation
import PostgresNIO

/// Converts result cells (PostgresNIO's binary format) to the JSON n8n's pg driver produces:
/// int2/int4/oid and floats as numbers, int8 and numeric as strings (numbers with
/// `largeNumbersAsNumbers`, n8n's `largeNumbersOutput: numbers`), bool, json/jsonb parsed,
/// timestamps and dates as ISO strings (`2024-01-02T03:04:05.000Z`, as a JavaScript Date
/// serialises), bytea as a Node Buffer's JSON, arrays element by element, unknown types as text.
enum PostgresValueDecoding {
    static func json(_ cell: PostgresCell, largeNumbersAsNumbers: Bool) -> JSONValue {
        guard let bytes = cell.bytes else { return .null }
        if cell.format == .text {
            return .string(String(buffer: bytes))
        }
        return value(bytes, type: cell.dataType.rawValue, largeNumbers: largeNumbersAsNumbers)
    }

    static func value(_ buffer: ByteBuffer, type oid: UInt32, largeNumbers: Bool) -> JSONValue {
        var b = buffer
        switch oid {
        case 16: // bool
            return .bool((b.readInteger(as: UInt8.self) ?? 0) != 0)
        case 21: return b.readInteger(as: Int16.self).map { .number(Double($0)) } ?? .null
        case 23: return b.readInteger(as: Int32.self).map { .number(Double($0)) } ?? .null
        case 26: return b.readInteger(as: UInt32.self).map { .number(Double($0)) } ?? .null
        case 20: // int8
            guard let v = b.readInteger(as: Int64.self) else { return .null }
            return largeNumbers ? .number(Double(v)) : .string(String(v))
        case 700: return b.readInteger(as: UInt32.self).map { .number(Double(Float(bitPattern: $0))) } ?? .null
        case 701: return b.readInteger(as: UInt64.self).map { .number(Double(bitPattern: $0)) } ?? .null
        case 1700: // numeric
            let text = numericString(&b)
            if largeNumbers, let d = Double(text) { return .number(d) }
            return .string(text)
        case 114: // json
            let text = String(buffer: b)
            return (try? JSONValue(parsing: text)) ?? .string(text)
        case 3802: // jsonb: version byte, then text
            _ = b.readInteger(as: UInt8.self)
            let text = String(buffer: b)
            return (try? JSONValue(parsing: text)) ?? .string(text)
        case 1114, 1184: // timestamp, timestamptz: microseconds since 2000-01-01
            guard let micros = b.readInteger(as: Int64.self) else { return .null }
            if micros == .max { return .string("infinity") }
            if micros == .min { return .string("-infinity") }
            return .string(isoString(millisecondsSince1970: Double(micros) / 1000 + 946_684_800_000))
        case 1082: // date: days since 2000-01-01
            guard let days = b.readInteger(as: Int32.self) else { return .null }
            if days == .max { return .string("infinity") }
            if days == .min { return .string("-infinity") }
            return .string(isoString(millisecondsSince1970: (Double(days) * 86_400 + 946_684_800) * 1000))
        case 1083: // time
            guard let micros = b.readInteger(as: Int64.self) else { return .null }
            return .string(timeString(micros))
        case 1266: // timetz: time + zone offset seconds west of UTC
            guard let micros = b.readInteger(as: Int64.self), let west = b.readInteger(as: Int32.self) else { return .null }
            let east = -Int(west)
            let sign = east < 0 ? "-" : "+"
            let h = abs(east) / 3600, m = (abs(east) % 3600) / 60
            return .string(timeString(micros) + sign + pad(h, 2) + (m == 0 ? "" : ":" + pad(m, 2)))
        case 1186: // interval
            return interval(&b)
        case 2950: // uuid
            guard let bytes = b.readBytes(length: 16) else { return .null }
            let hex = bytes.map { String(format: "%02x", $0) }.joined()
            let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
                String(hex[hex.index(hex.startIndex, offsetBy: r.lowerBound)..<hex.index(hex.startIndex, offsetBy: r.upperBound)])
            }
            return .string(parts.joined(separator: "-"))
        case 17: // bytea: a Node Buffer serialises as {type: "Buffer", data: [...]}
            let bytes = b.readBytes(length: b.readableBytes) ?? []
            return .object(["type": "Buffer", "data": .array(bytes.map { .number(Double($0)) })])
        case 1000, 1005, 1007, 1016, 1021, 1022, 1231, 1009, 1015, 1014, 1002, 199, 3807, 1115, 1185, 1182, 2951, 1001, 1183, 1270, 1187:
            return array(&b, largeNumbers: largeNumbers)
        default:
            // Arrays of other element types share the binary array layout; other scalars
            // (enums, citext, name, text…) are sent as UTF-8 text.
            if let text = b.getString(at: b.readerIndex, length: b.readableBytes), !text.contains("\u{0}") {
                return .string(text)
            }
            return .string("\\x" + (b.readBytes(length: b.readableBytes) ?? []).map { String(format: "%02x", $0) }.joined())
        }
    }

    private static func array(_ b: inout ByteBuffer, largeNumbers: Bool) -> JSONValue {
        guard let dims = b.readInteger(as: Int32.self), let _ = b.readInteger(as: Int32.self),
              let elementType = b.readInteger(as: UInt32.self)
        else { return .null }
        if dims == 0 { return .array([]) }
        var sizes: [Int] = []
        for _ in 0..<dims {
            guard let size = b.readInteger(as: Int32.self), b.readInteger(as: Int32.self) != nil else { return .null }
            sizes.append(Int(size))
        }
        func read(_ level: Int) -> JSONValue {
            var out: [JSONValue] = []
            for _ in 0..<sizes[level] {
                if level + 1 < sizes.count {
                    out.append(read(level + 1))
                    continue
                }
                guard let length = b.readInteger(as: Int32.self) else { break }
                if length < 0 { out.append(.null); continue }
                guard let slice = b.readSlice(length: Int(length)) else { break }
                out.append(value(slice, type: elementType, largeNumbers: largeNumbers))
            }
            return .array(out)
        }
        return read(0)
    }

    /// Postgres's binary numeric (base-10000 digits) as the exact decimal text Postgres prints.
    static func numericString(_ b: inout ByteBuffer) -> String {
        guard let ndigits = b.readInteger(as: Int16.self), let weight = b.readInteger(as: Int16.self),
              let sign = b.readInteger(as: UInt16.self), let dscale = b.readInteger(as: Int16.self)
        else { return "NaN" }
        if sign == 0xC000 { return "NaN" }
        if sign == 0xD000 { return "Infinity" }
        if sign == 0xF000 { return "-Infinity" }
        var digits: [Int] = []
        for _ in 0..<max(0, Int(ndigits)) { digits.append(Int(b.readInteger(as: Int16.self) ?? 0)) }
        var integer = ""
        if weight < 0 {
            integer = "0"
        } else {
            for i in 0...Int(weight) {
                let d = i < digits.count ? digits[i] : 0
                integer += i == 0 ? String(d) : pad(d, 4)
            }
        }
        var fraction = ""
        if dscale > 0 {
            var i = Int(weight) + 1
            while fraction.count < Int(dscale) {
                let d = (i >= 0 && i < digits.count) ? digits[i] : 0
                fraction += pad(d, 4)
                i += 1
            }
            fraction = String(fraction.prefix(Int(dscale)))
        }
        let text = fraction.isEmpty ? integer : integer + "." + fraction
        return sign == 0x4000 ? "-" + text : text
    }

    private static func interval(_ b: inout ByteBuffer) -> JSONValue {
        guard let micros = b.readInteger(as: Int64.self), let days = b.readInteger(as: Int32.self),
              let months = b.readInteger(as: Int32.self)
        else { return .null }
        var o = JSONObject()
        if months / 12 != 0 { o["years"] = .number(Double(months / 12)) }
        if months % 12 != 0 { o["months"] = .number(Double(months % 12)) }
        if days != 0 { o["days"] = .number(Double(days)) }
        let totalSeconds = micros / 1_000_000
        if totalSeconds / 3600 != 0 { o["hours"] = .number(Double(totalSeconds / 3600)) }
        if (totalSeconds % 3600) / 60 != 0 { o["minutes"] = .number(Double((totalSeconds % 3600) / 60)) }
        if totalSeconds % 60 != 0 { o["seconds"] = .number(Double(totalSeconds % 60)) }
        let ms = Double(micros % 1_000_000) / 1000
        if ms != 0 { o["milliseconds"] = .number(ms) }
        return .object(o)
    }

    private static func timeString(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000, fraction = micros % 1_000_000
        var text = pad(Int(seconds / 3600), 2) + ":" + pad(Int((seconds % 3600) / 60), 2) + ":" + pad(Int(seconds % 60), 2)
        if fraction != 0 {
            var f = pad(Int(fraction), 6)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text
    }

    /// JavaScript's `Date.prototype.toISOString()`.
    static func isoString(millisecondsSince1970 ms: Double) -> String {
        let totalMs = Int64(ms.rounded(.down))
        var days = totalMs >= 0 ? totalMs / 86_400_000 : (totalMs - 86_399_999) / 86_400_000
        let msOfDay = totalMs - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let yearText = (0...9999).contains(year) ? pad(Int(year), 4) : (year < 0 ? "-" : "+") + pad(Int(abs(year)), 6)
        return yearText + "-" + pad(Int(month), 2) + "-" + pad(Int(day), 2) + "T"
            + pad(Int(msOfDay / 3_600_000), 2) + ":" + pad(Int((msOfDay / 60_000) % 60), 2) + ":"
            + pad(Int((msOfDay / 1000) % 60), 2) + "." + pad(Int(msOfDay % 1000), 3) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
