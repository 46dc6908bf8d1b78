import FlowrunCore
import FlowrunExpressions
import Foundation

extension DateTimeNode {
    /// Date & Time v2 `parseDate`: timestamps (seconds below 1e12, else milliseconds), ISO text
    /// (date-only at start of day) in `zone` (UTC when nil), a From Format, or other date text.
    static func parseDate(_ input: DateParameter.Value, zone: String?, fromFormat: String?, context: ExecutionContext, itemIndex: Int) throws -> LuxonDateTime {
        let value: JSONValue?
        switch input {
        case .dateTime(let dt):
            return zone.map { dt.setZone(LuxonZone.named($0)) } ?? dt
        case .json(let v):
            value = v
        }
        let luxonZone = LuxonZone.named(zone ?? "UTC")
        func fail(_ message: String) -> NodeError { context.error(message, itemIndex: itemIndex) }
        guard let value, !value.isNull else { throw fail("Invalid date type") }
        let parsed: LuxonDateTime
        let numeric: Double? = {
            if case .number(let n) = value { return n }
            if case .string(let s) = value, fromFormat == nil, !s.trimmingCharacters(in: .whitespaces).isEmpty {
                let n = JS.number(value)
                return n.isNaN ? nil : n
            }
            return nil
        }()
        if let ts = numeric {
            guard ts.isFinite else { throw fail("Invalid numeric timestamp") }
            parsed = LuxonDateTime.fromMillis(ts < 1e12 ? ts * 1000 : ts, zone: LuxonZone.named(zone ?? context.timeZone))
        } else if case .string(let raw) = value {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { throw fail("Empty date string") }
            let options = LuxonDateTime.ParseOptions(zone: luxonZone, nowMillis: context.nowMilliseconds())
            if let fromFormat, !fromFormat.isEmpty {
                parsed = LuxonDateTime.fromFormat(text, format: fromFormat, options: .init(zone: luxonZone, setZone: true, nowMillis: context.nowMilliseconds()))
            } else if text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil {
                parsed = LuxonDateTime.fromISO(text, options: options).startOf(.days)
            } else {
                let iso = LuxonDateTime.fromISO(text, options: options)
                if iso.isValid {
                    parsed = iso
                } else if let ms = JSDateParser.parse(text, localZone: luxonZone) {
                    parsed = LuxonDateTime.fromMillis(ms, zone: luxonZone)
                } else {
                    throw fail("Invalid date format")
                }
            }
        } else {
            throw fail("Invalid date type")
        }
        guard parsed.isValid else { throw fail("Invalid date format") }
        return parsed
    }

    private static func unit(_ name: String, _ context: ExecutionContext, _ i: Int) throws -> LuxonDuration.Unit {
        guard let u = LuxonDuration.Unit(normalizing: name) else { throw context.error("Invalid unit \(name)", itemIndex: i) }
        return u
    }

    /// Date & Time v2 (Luxon).
    func executeV2(_ item: Item, index i: Int, context: ExecutionContext) throws -> Item {
        let options = try p.options.value(for: i, in: context) ?? .object([:])
        let includeInput = (try p.options.value(for: 0, in: context))?["includeInputFields"]?.boolValue ?? false
        var json: JSONObject = includeInput ? item.json : [:]
        let zone = context.timeZone
        let field = try p.outputFieldName.value(for: i, in: context)
        switch operation {
        case "getCurrentDate":
            let tz = options["timezone"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? zone
            let luxonZone = LuxonZone.named(tz)
            guard luxonZone.isValid else { throw context.error("The timezone \(tz) is not valid. Please check the timezone.", itemIndex: i) }
            let now = LuxonDateTime.fromMillis(context.nowMilliseconds(), zone: luxonZone)
            json[field] = .string((try p.includeTime.value(for: i, in: context) ? now : now.startOf(.days)).toString())
        case "addToDate", "subtractFromDate":
            let date = try Self.parseDate(try p.magnitude.value(for: i, in: context), zone: zone, fromFormat: nil, context: context, itemIndex: i)
            let d = LuxonDuration([try Self.unit(try p.timeUnit.value(for: i, in: context), context, i): try p.duration.value(for: i, in: context)])
            json[field] = .string((operation == "addToDate" ? date.plus(d) : date.minus(d)).toString())
        case "formatDate":
            let input = try p.date.value(for: i, in: context)
            var value: JSONValue? = .string("")
            if case .json(let v) = input { value = v }
            if value == nil || value == .null {
                json[field] = value ?? .null
                if value == nil { json.removeValue(forKey: field) }
            } else {
                let useZone = options["timezone"]?.boolValue ?? false
                let fromFormat = options["fromFormat"]?.stringValue
                let date = try Self.parseDate(input, zone: useZone ? zone : nil, fromFormat: fromFormat, context: context, itemIndex: i)
                var format = try p.format.value(for: i, in: context)
                if format == "custom" { format = try p.customFormat.value(for: i, in: context) }
                json[field] = .string(date.toFormat(format))
            }
        case "roundDate":
            let date = try Self.parseDate(try p.date.value(for: i, in: context), zone: zone, fromFormat: nil, context: context, itemIndex: i)
            if try p.mode.value(for: i, in: context) == "roundDown" {
                json[field] = .string(date.startOf(try Self.unit(try p.toNearest.value(for: i, in: context), context, i)).toString())
            } else {
                let u = try Self.unit(try p.to.value(for: i, in: context), context, i)
                json[field] = .string(date.plus(LuxonDuration([u: 1])).startOf(u).toString())
            }
        case "getTimeBetweenDates":
            let start = try Self.parseDate(try p.startDate.value(for: i, in: context), zone: zone, fromFormat: nil, context: context, itemIndex: i)
            let end = try Self.parseDate(try p.endDate.value(for: i, in: context), zone: zone, fromFormat: nil, context: context, itemIndex: i)
            let unitNames: [String]
            switch try p.units.value(for: i, in: context) {
            case .array(let a)?: unitNames = a.map { JS.string($0) }
            case .string(let s)?: unitNames = [s]
            default: unitNames = ["day"]
            }
            let units = try unitNames.map { try Self.unit($0, context, i) }
            let duration = end.diff(start, units)
            if options["isoString"]?.boolValue ?? false {
                json[field] = duration.toISO().map(JSONValue.string) ?? .null
            } else {
                var o = JSONObject()
                for (u, v) in duration.orderedValues { o[u.name] = .number(v) }
                json[field] = .object(o)
            }
        case "extractDate":
            let date = try Self.parseDate(try p.date.value(for: i, in: context), zone: zone, fromFormat: nil, context: context, itemIndex: i)
            let part = try p.part.value(for: i, in: context)
            let value: Double
            switch part {
            case "year": value = date.year
            case "month": value = date.month
            case "week": value = date.weekNumber
            case "day": value = date.day
            case "hour": value = date.hour
            case "minute": value = date.minute
            case "second": value = date.second
            case "millisecond": value = date.millisecond
            case "quarter": value = date.quarter
            case "weekday": value = date.weekday
            default: throw context.error("Invalid part \(part)", itemIndex: i)
            }
            json[field] = .number(value)
        default:
            throw context.error("The operation \"\(operation)\" is not known", itemIndex: i)
        }
        return Item(json: json, binary: includeInput ? item.binary : nil, pairedItem: [PairedItem(item: i)])
    }
}
