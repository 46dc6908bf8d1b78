/// The `DateTime` and `Duration` globals (static members) and Duration instance members.
package enum LuxonGlobals {
    static func arg(_ args: [ExtensionValue], _ i: Int) -> ExtensionValue { i < args.count ? args[i] : .undefined }

    /// Options `{ zone, setZone, locale }` of the DateTime constructors.
    static func parseOptions(_ value: ExtensionValue, _ ctx: ExtensionContext) -> LuxonDateTime.ParseOptions {
        var options = ctx.parseOptions
        guard case .object = value else { return options }
        if !value["zone"].isNullish { options.zone = DateTimeMembers.zone(value["zone"], ctx) }
        options.setZone = value["setZone"].isTruthy
        if case .string(let locale) = value["locale"] { options.locale = locale }
        return options
    }

    static func withLocale(_ dt: LuxonDateTime, _ options: LuxonDateTime.ParseOptions) -> LuxonDateTime {
        options.locale == "en-US" ? dt : dt.setLocale(options.locale)
    }

    /// `DateTime.local(y, m, …)` / `DateTime.utc(…)` positional arguments (a trailing options object allowed).
    static func positional(_ args: [ExtensionValue], zone: LuxonZone, _ ctx: ExtensionContext) throws -> LuxonDateTime {
        var list = args
        var options = ctx.parseOptions
        options.zone = zone
        if let last = list.last, case .object = last {
            options = parseOptions(last, ctx)
            if last["zone"].isNullish { options.zone = zone }
            list.removeLast()
        }
        if list.isEmpty { return withLocale(LuxonDateTime.fromMillis(ctx.nowMillis, zone: options.zone), options) }
        let keys = ["year", "month", "day", "hour", "minute", "second", "millisecond"]
        var fields: [String: Int] = [:]
        for (index, value) in list.prefix(7).enumerated() where !value.isNullish {
            guard let n = DateExtensions.numericValue(value) else { throw ExtensionError("Invalid unit value \(value.jsString)", kind: .javaScript) }
            fields[keys[index]] = Int(n)
        }
        return withLocale(LuxonDateTime.fromObject(fields, zone: options.zone, nowMillis: ctx.nowMillis), options)
    }

    /// Static members of `DateTime` that are not functions (`DateTime.DATE_MED` …).
    package static func dateTimeConstant(_ name: String) -> ExtensionValue? {
        guard let preset = LuxonDateTime.presets[name] else { return nil }
        return .object(preset.fields.map { (key: $0.0, value: ExtensionValue.string($0.1)) })
    }

    package static let dateTimeStaticNames: Set<String> = [
        "now", "local", "utc", "fromISO", "fromFormat", "fromMillis", "fromSeconds", "fromJSDate", "fromSQL",
        "fromRFC2822", "fromHTTP", "fromObject", "fromString", "fromFormatExplain", "invalid", "isDateTime", "max", "min",
        "expandFormat", "parseFormatForOpts",
    ]

    /// Calls `DateTime.<name>(…)`; nil when there is no such static function.
    package static func callDateTime(_ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "now": return .dateTime(ctx.now)
        case "local": return .dateTime(try positional(args, zone: ctx.zone, ctx))
        case "utc": return .dateTime(try positional(args, zone: .utc, ctx))
        case "fromISO":
            let options = parseOptions(arg(args, 1), ctx)
            return .dateTime(withLocale(LuxonDateTime.fromISO(try text(arg(args, 0), "fromISO"), options: options), options))
        case "fromSQL":
            let options = parseOptions(arg(args, 1), ctx)
            return .dateTime(withLocale(LuxonDateTime.fromSQL(try text(arg(args, 0), "fromSQL"), options: options), options))
        case "fromRFC2822":
            let options = parseOptions(arg(args, 1), ctx)
            return .dateTime(withLocale(LuxonDateTime.fromRFC2822(try text(arg(args, 0), "fromRFC2822"), options: options), options))
        case "fromHTTP":
            let options = parseOptions(arg(args, 1), ctx)
            return .dateTime(withLocale(LuxonDateTime.fromHTTP(try text(arg(args, 0), "fromHTTP"), options: options), options))
        case "fromFormat", "fromString":
            let options = parseOptions(arg(args, 2), ctx)
            guard case .string(let input) = arg(args, 0), case .string(let format) = arg(args, 1) else {
                throw ExtensionError("fromFormat requires an input string and a format", kind: .javaScript)
            }
            return .dateTime(withLocale(LuxonDateTime.fromFormat(input, format: format, options: options), options))
        case "fromMillis":
            guard case .number(let ms) = arg(args, 0) else {
                throw ExtensionError("fromMillis requires a numerical input, but received a \(arg(args, 0).typeOf) with value \(arg(args, 0).jsString)", kind: .javaScript)
            }
            let options = parseOptions(arg(args, 1), ctx)
            if ms < -8.64e15 || ms > 8.64e15 { return .dateTime(LuxonDateTime(invalid: "Timestamp out of range", explanation: nil)) }
            return .dateTime(withLocale(LuxonDateTime.fromMillis(ms, zone: options.zone), options))
        case "fromSeconds":
            guard case .number(let s) = arg(args, 0) else {
                throw ExtensionError("fromSeconds requires a numerical input", kind: .javaScript)
            }
            let options = parseOptions(arg(args, 1), ctx)
            return .dateTime(withLocale(LuxonDateTime.fromMillis(s * 1000, zone: options.zone), options))
        case "fromJSDate":
            let options = parseOptions(arg(args, 1), ctx)
            switch arg(args, 0) {
            case .date(let ms):
                guard ms.isFinite else { return .dateTime(LuxonDateTime(invalid: "invalid input", explanation: nil)) }
                return .dateTime(withLocale(LuxonDateTime.fromMillis(ms, zone: options.zone), options))
            default:
                throw ExtensionError("fromJSDate requires a Date argument", kind: .javaScript)
            }
        case "fromObject":
            let options = parseOptions(arg(args, 1), ctx)
            let fields = try DateTimeMembers.fields(arg(args, 0))
            return .dateTime(withLocale(LuxonDateTime.fromObject(fields, zone: options.zone, nowMillis: ctx.nowMillis), options))
        case "invalid":
            return .dateTime(LuxonDateTime(invalid: arg(args, 0).jsString, explanation: arg(args, 1).isNullish ? nil : arg(args, 1).jsString))
        case "isDateTime":
            if case .dateTime = arg(args, 0) { return .bool(true) }
            return .bool(false)
        case "max", "min":
            var best: LuxonDateTime?
            for value in args {
                guard case .dateTime(let dt) = value else { throw ExtensionError("max/min requires all arguments be DateTimes", kind: .javaScript) }
                if let current = best {
                    if name == "max" ? dt.valueOf > current.valueOf : dt.valueOf < current.valueOf { best = dt }
                } else {
                    best = dt
                }
            }
            return best.map(ExtensionValue.dateTime) ?? .undefined
        default:
            return nil
        }
    }

    static func text(_ value: ExtensionValue, _ function: String) throws -> String {
        switch value {
        case .string(let s): return s
        case .date(let ms): return ExtensionValue.isoString(ms: ms) ?? "Invalid Date"
        default: return value.jsString
        }
    }

    package static let durationStaticNames: Set<String> = ["fromObject", "fromMillis", "fromISO", "fromISOTime", "fromDurationLike", "isDuration", "invalid"]

    /// Calls `Duration.<name>(…)`; nil when there is no such static function.
    package static func callDuration(_ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "fromObject":
            let value = arg(args, 0)
            guard case .object(let pairs) = value else {
                throw ExtensionError("Duration.fromObject: argument expected to be an object, got \(value.isNullish ? "null" : value.typeOf)", kind: .javaScript)
            }
            return .duration(try DateExtensions.durationFromObject(pairs))
        case "fromMillis":
            return .duration(try DateExtensions.durationFromObject([("milliseconds", arg(args, 0))]))
        case "fromISO":
            return .duration(LuxonDuration.fromISO(arg(args, 0).jsString))
        case "fromDurationLike":
            return .duration(try DateExtensions.durationLike(arg(args, 0)))
        case "isDuration":
            if case .duration = arg(args, 0) { return .bool(true) }
            return .bool(false)
        case "invalid":
            return .duration(LuxonDuration(invalid: arg(args, 0).jsString, explanation: nil))
        default:
            return nil
        }
    }

    /// A property of a Duration value.
    package static func durationProperty(_ d: LuxonDuration, _ name: String) -> ExtensionValue? {
        if let unit = LuxonDuration.Unit.allCases.first(where: { $0.name == name }) { return .number(d.get(unit)) }
        switch name {
        case "isValid": return .bool(d.isValid)
        case "invalidReason": return d.invalidReason.map(ExtensionValue.string) ?? .null
        case "invalidExplanation": return d.invalidExplanation.map(ExtensionValue.string) ?? .null
        case "locale": return d.isValid ? .string("en-US") : .null
        case "values": return .object(d.orderedValues.map { (key: $0.0.name, value: ExtensionValue.number($0.1)) })
        default: return nil
        }
    }

    package static let durationMethodNames: Set<String> = [
        "as", "shiftTo", "shiftToAll", "toISO", "toHuman", "toObject", "toMillis", "valueOf", "toJSON", "toString",
        "get", "plus", "minus", "negate", "normalize", "rescale", "set", "equals", "removeZeros", "reconfigure", "toFormat",
    ]

    /// Calls a Duration method; nil when there is no such method.
    package static func callDurationMethod(_ d: LuxonDuration, _ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "as": return .number(d.as(try DateExtensions.durationUnit(arg(args, 0).jsString)))
        case "shiftTo": return .duration(d.shiftTo(try args.map { try DateExtensions.durationUnit($0.jsString) }))
        case "shiftToAll": return .duration(d.shiftTo([.years, .months, .weeks, .days, .hours, .minutes, .seconds, .milliseconds]))
        case "toISO", "toJSON", "toString": return d.toISO().map(ExtensionValue.string) ?? (name == "toString" ? .string("Invalid Duration") : .null)
        case "toHuman":
            let showZeros = !(DateTimeMembers.option(args, 0, "showZeros").typeOf == "boolean" && !DateTimeMembers.option(args, 0, "showZeros").isTruthy)
            return .string(d.toHuman(showZeros: showZeros))
        case "toObject": return .object(d.isValid ? d.orderedValues.map { (key: $0.0.name, value: ExtensionValue.number($0.1)) } : [])
        case "toMillis", "valueOf": return .number(d.toMillis())
        case "get": return .number(d.get(try DateExtensions.durationUnit(arg(args, 0).jsString)))
        case "plus": return .duration(d.plus(try DateExtensions.durationLike(arg(args, 0))))
        case "minus": return .duration(d.minus(try DateExtensions.durationLike(arg(args, 0))))
        case "negate": return .duration(d.negate())
        case "normalize": return .duration(d.normalize())
        case "rescale": return .duration(d.rescale())
        case "toFormat": return .string(d.toFormat(arg(args, 0).jsString))
        case "removeZeros": return .duration(LuxonDuration(d.values.filter { $0.value != 0 }))
        case "reconfigure": return .duration(d)
        case "set":
            guard case .object(let pairs) = arg(args, 0) else { return .duration(d) }
            return .duration(d.setting(try DateExtensions.durationFromObject(pairs).values))
        case "equals":
            guard case .duration(let other) = arg(args, 0) else { return .bool(false) }
            return .bool(d.isValid && other.isValid && Dictionary(uniqueKeysWithValues: LuxonDuration.Unit.allCases.map { ($0, d.get($0)) })
                == Dictionary(uniqueKeysWithValues: LuxonDuration.Unit.allCases.map { ($0, other.get($0)) }))
        default:
            return nil
        }
    }
}
