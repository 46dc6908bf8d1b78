/// n8n's date extensions (`date-extensions.ts`) on Luxon DateTimes and JS Dates; a JS Date in
/// gives a JS Date out.
enum DateExtensions {
    static let durationUnits = ["milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years"]
    static let dateParts = ["day", "week", "month", "year", "hour", "minute", "second", "millisecond", "weekNumber", "yearDayNumber", "weekday"]
    static let durationMap = [
        "day": "days", "month": "months", "year": "years", "week": "weeks", "hour": "hours", "minute": "minutes",
        "second": "seconds", "millisecond": "milliseconds", "ms": "milliseconds", "sec": "seconds", "secs": "seconds",
        "hr": "hours", "hrs": "hours", "min": "minutes", "mins": "minutes",
    ]
    static let dateTimeUnitMap = [
        "days": "day", "months": "month", "years": "year", "hours": "hour", "minutes": "minute", "seconds": "second",
        "milliseconds": "millisecond", "hrs": "hour", "hr": "hour", "mins": "minute", "min": "minute", "secs": "second",
        "sec": "second", "ms": "millisecond",
    ]

    /// The receiver as a DateTime (`DateTime.fromJSDate` in the workflow zone for Dates).
    static func dateTime(_ value: ExtensionValue, _ ctx: ExtensionContext) -> LuxonDateTime {
        switch value {
        case .dateTime(let dt): return dt
        case .date(let ms): return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        default: return LuxonDateTime(invalid: "invalid input", explanation: nil)
        }
    }

    /// Wraps a result like the receiver: Dates stay Dates.
    static func wrap(_ result: LuxonDateTime, like receiver: ExtensionValue) -> ExtensionValue {
        if case .date = receiver { return .date(result.isValid ? result.ts : .nan) }
        return .dateTime(result)
    }

    static func durationUnit(_ text: String) throws -> LuxonDuration.Unit {
        guard let unit = LuxonDuration.Unit(normalizing: text) else { throw ExtensionError("Invalid unit \(text)", kind: .javaScript) }
        return unit
    }

    /// Luxon's `Duration.fromDurationLike`.
    static func durationLike(_ value: ExtensionValue) throws -> LuxonDuration {
        switch value {
        case .number(let ms): return .fromMillis(ms)
        case .duration(let d): return d
        case .object(let pairs): return try durationFromObject(pairs)
        default:
            let shown = value.jsString
            throw ExtensionError("Unknown duration argument \(shown) of type \(value.typeOf)", kind: .javaScript)
        }
    }

    /// `Duration.fromObject({...})` with Luxon's unit and value checks.
    static func durationFromObject(_ pairs: [(key: String, value: ExtensionValue)]) throws -> LuxonDuration {
        var values: [LuxonDuration.Unit: Double] = [:]
        for (key, value) in pairs {
            if value.isNullish { continue }
            let unit = try durationUnit(key)
            guard let number = numericValue(value) else { throw ExtensionError("Invalid unit value \(value.jsString)", kind: .javaScript) }
            values[unit] = number
        }
        return LuxonDuration(values)
    }

    /// Luxon's `asNumber`: numbers, booleans and numeric strings.
    static func numericValue(_ value: ExtensionValue) -> Double? {
        switch value {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let n = JSNumberParsing.number(s)
            return n.isNaN ? nil : n
        default: return nil
        }
    }

    /// `plus(n, unit)` / `plus(durationLike)` shared by plus and minus.
    static func shifted(_ v: ExtensionValue, _ args: [ExtensionValue], _ ctx: ExtensionContext, sign: Double) throws -> ExtensionValue {
        let dt = dateTime(v, ctx)
        var duration: LuxonDuration
        if args.count == 1 {
            duration = try durationLike(args[0])
        } else {
            let amount = args.first.flatMap { $0.isNullish ? nil : $0 } ?? .number(0)
            let unitText = args.count > 1 && !args[1].isNullish ? args[1].jsString : "minutes"
            duration = try durationFromObject([(durationMap[unitText] ?? unitText, amount)])
        }
        if sign < 0 { duration = duration.negate() }
        return wrap(dt.plus(duration), like: v)
    }

    /// n8n's `convertToDateTime` for `isBetween`: strings go through `new Date(...)`.
    static func convert(_ value: ExtensionValue, _ ctx: ExtensionContext) -> LuxonDateTime? {
        switch value {
        case .string(let s):
            guard let ms = JSDateParser.parse(s, localZone: ctx.zone) else { return nil }
            return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        case .date(let ms): return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        case .dateTime(let dt): return dt
        default: return nil
        }
    }

    /// The `toDateTime` helper of date-extensions: DateTime as is, strings parsed, Dates converted.
    static func anyToDateTime(_ value: ExtensionValue, _ ctx: ExtensionContext) throws -> LuxonDateTime {
        switch value {
        case .dateTime(let dt): return dt
        case .string(let s): return try StringExtensions.toDateTime(s, format: nil, ctx)
        case .date(let ms): return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        default: throw ExtensionError("cannot convert to Luxon DateTime")
        }
    }

    static func diffTo(_ v: ExtensionValue, other: ExtensionValue, unit: ExtensionValue, _ ctx: ExtensionContext) throws -> ExtensionValue {
        var units: [String]
        switch unit {
        case .undefined: units = ["days"]
        case .array(let list): units = list.map(\.jsString)
        default: units = [unit.jsString]
        }
        if units.isEmpty { units = ["days"] }
        if let bad = units.first(where: { !dateParts.contains($0) && !durationUnits.contains($0) }) {
            throw ExtensionError("Unsupported unit '\(bad)'. Supported: \(durationUnits.map { "'\($0)'" }.joined(separator: ", ")).")
        }
        guard case .dateTime(let dt) = v else { return .undefined }
        let otherDateTime = try anyToDateTime(other, ctx)
        let luxonUnits = try units.map(durationUnit)
        let result = dt.diff(otherDateTime, luxonUnits)
        if units.count > 1 {
            return .object(result.orderedValues.map { (key: $0.0.name, value: ExtensionValue.number($0.1)) })
        }
        return .number(result.as(luxonUnits[0]))
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "beginningOf": { v, args, ctx in
            let raw = args.first.flatMap { $0.isNullish ? nil : $0.jsString } ?? "week"
            let unit = try durationUnit(dateTimeUnitMap[raw] ?? raw)
            return wrap(dateTime(v, ctx).startOf(unit), like: v)
        },
        "endOfMonth": { v, _, ctx in wrap(dateTime(v, ctx).endOf(.months), like: v) },
        "extract": { v, args, ctx in
            var part = args.first.flatMap { $0.isNullish ? nil : $0.jsString } ?? "week"
            if part == "yearDayNumber" {
                let local = dateTime(v, ctx).setZone(ctx.zone)
                return .number(local.ordinal)
            }
            if part == "week" { part = "weekNumber" }
            let dt = dateTime(v, ctx)
            return DateTimeMembers.property(dt, dateTimeUnitMap[part] ?? part) ?? .undefined
        },
        "isBetween": { v, args, ctx in
            guard args.count == 2 else { throw ExtensionError("isBetween(): expected exactly two args") }
            guard let first = convert(args[0], ctx), let second = convert(args[1], ctx) else { return .undefined }
            let me = dateTime(v, ctx).valueOf
            if first.valueOf > second.valueOf { return .bool(second.valueOf < me && me < first.valueOf) }
            return .bool(second.valueOf > me && me > first.valueOf)
        },
        "isDst": { v, _, ctx in .bool(dateTime(v, ctx).isInDST) },
        "isInLast": { v, args, ctx in
            let amount = args.first.flatMap { $0.isNullish ? nil : $0 } ?? .number(0)
            let unitText = args.count > 1 && !args[1].isNullish ? args[1].jsString : "minutes"
            let duration = try durationFromObject([(durationMap[unitText] ?? unitText, amount)])
            let now = ctx.now
            let past = now.minus(duration)
            let me = dateTime(v, ctx).valueOf
            return .bool(past.valueOf <= me && me <= now.valueOf)
        },
        "isWeekend": { v, _, ctx in .bool([6.0, 7.0].contains(dateTime(v, ctx).weekday)) },
        "minus": { v, args, ctx in try shifted(v, args, ctx, sign: -1) },
        "plus": { v, args, ctx in try shifted(v, args, ctx, sign: 1) },
        "format": { v, args, ctx in
            var dt = dateTime(v, ctx)
            if args.count > 1, case .string(let locale) = args[1]["locale"] { dt = dt.setLocale(locale) }
            let format = args.first.map { $0.isNullish ? "undefined" : $0.jsString } ?? "undefined"
            return .string(dt.toFormat(format))
        },
        "toDateTime": { v, _, ctx in .dateTime(try anyToDateTime(v, ctx)) },
        "diffTo": { v, args, ctx in
            try diffTo(v, other: args.first ?? .undefined, unit: args.count > 1 ? args[1] : .undefined, ctx)
        },
        "diffToNow": { v, args, ctx in
            try diffTo(v, other: .dateTime(ctx.now), unit: args.first ?? .undefined, ctx)
        },
        "toInt": { v, _, ctx in .number(dateTime(v, ctx).toMillis()) },
        "toFloat": { v, _, ctx in .number(dateTime(v, ctx).toMillis()) },
        "toBoolean": { _, _, _ in .undefined },
        "isEmpty": { _, _, _ in .bool(false) },
        "isNotEmpty": { _, _, _ in .bool(true) },
    ]
}
