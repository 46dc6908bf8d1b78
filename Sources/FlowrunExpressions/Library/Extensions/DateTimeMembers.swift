/// Properties and methods of Luxon DateTime values as expressions see them (`$now.year`,
/// `dt.toFormat('…')`, `dt.setZone('UTC')` …).
package enum DateTimeMembers {
    static func number(_ d: Double) -> ExtensionValue { .number(d) }
    static func string(_ s: String?) -> ExtensionValue { s.map(ExtensionValue.string) ?? .null }

    /// A property of a DateTime, or nil when it has none of that name (not a method either).
    package static func property(_ dt: LuxonDateTime, _ name: String) -> ExtensionValue? {
        switch name {
        case "year": return number(dt.year)
        case "month": return number(dt.month)
        case "day": return number(dt.day)
        case "hour": return number(dt.hour)
        case "minute": return number(dt.minute)
        case "second": return number(dt.second)
        case "millisecond": return number(dt.millisecond)
        case "weekday", "localWeekday": return number(dt.weekday)
        case "weekNumber", "localWeekNumber": return number(dt.weekNumber)
        case "weekYear", "localWeekYear": return number(dt.weekYear)
        case "ordinal": return number(dt.ordinal)
        case "quarter": return number(dt.quarter)
        case "daysInMonth": return number(dt.daysInMonth)
        case "daysInYear": return number(dt.daysInYear)
        case "weeksInWeekYear", "weeksInLocalWeekYear": return number(dt.weeksInWeekYear)
        case "isInLeapYear": return .bool(dt.isInLeapYear)
        case "isValid": return .bool(dt.isValid)
        case "invalidReason": return string(dt.invalidReason)
        case "invalidExplanation": return string(dt.invalidExplanation)
        case "offset": return number(dt.offsetMinutes)
        case "offsetNameShort": return string(dt.offsetNameShort)
        case "offsetNameLong": return string(dt.offsetNameLong)
        case "isOffsetFixed": return dt.isOffsetFixed.map(ExtensionValue.bool) ?? .null
        case "isInDST": return .bool(dt.isInDST)
        case "zoneName": return string(dt.zoneName)
        case "zone": return dt.isValid ? .object([("name", .string(dt.zone.name)), ("type", .string(dt.zone.isOffsetFixed ? "fixed" : "iana")), ("isValid", .bool(true))]) : .null
        case "locale": return dt.isValid ? .string(dt.locale) : .null
        case "numberingSystem": return dt.isValid ? .string("latn") : .null
        case "outputCalendar": return dt.isValid ? .string("gregory") : .null
        case "monthLong": return string(dt.monthLong)
        case "monthShort": return string(dt.monthShort)
        case "weekdayLong": return string(dt.weekdayLong)
        case "weekdayShort": return string(dt.weekdayShort)
        case "ts": return number(dt.ts)
        case "isWeekend": return nil
        default: return nil
        }
    }

    /// Names of the DateTime methods (for `typeof dt.toISO === 'function'` and native lookups).
    package static let methodNames: Set<String> = [
        "toISO", "toISODate", "toISOTime", "toISOWeekDate", "toFormat", "toLocaleString", "toMillis", "toSeconds",
        "toUnixInteger", "valueOf", "toString", "toJSON", "toJSDate", "toObject", "toSQL", "toSQLDate", "toSQLTime",
        "toHTTP", "toRFC2822", "toRelative", "toRelativeCalendar", "toUTC", "toLocal", "setZone", "setLocale",
        "reconfigure", "set", "get", "plus", "minus", "startOf", "endOf", "diff", "diffNow", "hasSame", "equals",
        "toBSON", "resolvedLocaleOptions", "until",
    ]

    static func arg(_ args: [ExtensionValue], _ i: Int) -> ExtensionValue { i < args.count ? args[i] : .undefined }

    static func option(_ args: [ExtensionValue], _ i: Int, _ key: String) -> ExtensionValue {
        let o = arg(args, i)
        if case .object = o { return o[key] }
        return .undefined
    }

    static func isoOptions(_ args: [ExtensionValue]) throws -> LuxonDateTime.ISOOptions {
        var o = LuxonDateTime.ISOOptions()
        if case .string(let f) = option(args, 0, "format") { o.extended = f != "basic" }
        o.suppressSeconds = option(args, 0, "suppressSeconds").isTruthy
        o.suppressMilliseconds = option(args, 0, "suppressMilliseconds").isTruthy
        if case .bool(let b) = option(args, 0, "includeOffset") { o.includeOffset = b }
        o.extendedZone = option(args, 0, "extendedZone").isTruthy
        o.includePrefix = option(args, 0, "includePrefix").isTruthy
        if case .string(let p) = option(args, 0, "precision") {
            guard let unit = LuxonDateTime.FieldUnit(normalizing: p) else { throw ExtensionError("Invalid unit \(p)", kind: .javaScript) }
            o.precision = unit
        }
        return o
    }

    /// A zone argument: a name, or a zone object with a `name`.
    static func zone(_ value: ExtensionValue, _ ctx: ExtensionContext) -> LuxonZone {
        switch value {
        case .undefined, .null: return ctx.zone
        case .string(let s):
            let lower = s.lowercased()
            if lower == "local" || lower == "system" || lower == "default" { return ctx.zone }
            return LuxonZone.named(s)
        case .number(let n): return .fixed(minutes: Int(n))
        case .object: return zone(value["name"], ctx)
        default: return .invalid(value.jsString)
        }
    }

    /// Field names of `set({...})`/`fromObject`, normalized; throws Luxon's errors.
    static func fields(_ value: ExtensionValue) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (key, v) in ArrayExtensions.spread(value) where !v.isNullish {
            guard let unit = LuxonDateTime.FieldUnit(normalizing: key) else { throw ExtensionError("Invalid unit \(key)", kind: .javaScript) }
            guard let n = DateExtensions.numericValue(v) else { throw ExtensionError("Invalid unit value \(v.jsString)", kind: .javaScript) }
            out[unit == .week ? "weekNumber" : unit.rawValue] = Int(n)
        }
        return out
    }

    static func dateTimeArgument(_ value: ExtensionValue, _ ctx: ExtensionContext) throws -> LuxonDateTime {
        switch value {
        case .dateTime(let dt): return dt
        case .date(let ms): return LuxonDateTime.fromMillis(ms, zone: ctx.zone)
        default: throw ExtensionError("Expected a DateTime, got \(value.jsString)", kind: .javaScript)
        }
    }

    static func units(_ value: ExtensionValue, default fallback: LuxonDuration.Unit) throws -> [LuxonDuration.Unit] {
        switch value {
        case .undefined: return [fallback]
        case .array(let list): return try list.map { try DateExtensions.durationUnit($0.jsString) }
        default: return [try DateExtensions.durationUnit(value.jsString)]
        }
    }

    static func localeFormat(_ value: ExtensionValue) -> LuxonDateTime.LocaleFormat {
        var f = LuxonDateTime.LocaleFormat()
        guard case .object = value else { return LuxonDateTime.presets["DATE_SHORT"]! }
        func s(_ key: String) -> String? { if case .string(let v) = value[key] { return v }; return nil }
        f.weekday = s("weekday"); f.year = s("year"); f.month = s("month"); f.day = s("day")
        f.hour = s("hour"); f.minute = s("minute"); f.second = s("second"); f.timeZoneName = s("timeZoneName")
        switch s("dateStyle") {
        case "short": f.year = "2-digit"; f.month = "numeric"; f.day = "numeric"
        case "medium": f.year = "numeric"; f.month = "short"; f.day = "numeric"
        case "long": f.year = "numeric"; f.month = "long"; f.day = "numeric"
        case "full": f.weekday = "long"; f.year = "numeric"; f.month = "long"; f.day = "numeric"
        default: break
        }
        switch s("timeStyle") {
        case "short": f.hour = "numeric"; f.minute = "2-digit"
        case "medium": f.hour = "numeric"; f.minute = "2-digit"; f.second = "2-digit"
        case "long": f.hour = "numeric"; f.minute = "2-digit"; f.second = "2-digit"; f.timeZoneName = "short"
        case "full": f.hour = "numeric"; f.minute = "2-digit"; f.second = "2-digit"; f.timeZoneName = "long"
        default: break
        }
        if case .bool(let b) = value["hour12"] { f.hour12 = b }
        if let cycle = s("hourCycle") { f.hour12 = cycle == "h11" || cycle == "h12" }
        return f
    }

    /// Calls a DateTime method; nil when there is no such method.
    package static func call(_ dt: LuxonDateTime, _ name: String, _ args: [ExtensionValue], _ ctx: ExtensionContext) throws -> ExtensionValue? {
        switch name {
        case "toISO": return string(dt.toISO(try isoOptions(args)))
        case "toISODate":
            let basic = option(args, 0, "format").jsString == "basic"
            return string(dt.toISODate(extended: !basic))
        case "toISOTime": return string(dt.toISOTime(try isoOptions(args)))
        case "toISOWeekDate": return string(dt.isValid ? dt.toFormat("kkkk-'W'WW-c") : nil)
        case "toFormat":
            var d = dt
            if case .string(let locale) = option(args, 1, "locale") { d = d.setLocale(locale) }
            return .string(d.toFormat(arg(args, 0).jsString))
        case "toLocaleString":
            var d = dt
            if case .string(let locale) = option(args, 1, "locale") { d = d.setLocale(locale) }
            return .string(d.toLocaleString(localeFormat(arg(args, 0))))
        case "toMillis", "valueOf": return number(dt.toMillis())
        case "toSeconds": return number(dt.toSeconds())
        case "toUnixInteger": return number(dt.toUnixInteger())
        case "toString": return .string(dt.toString())
        case "toJSON", "toBSON": return string(dt.toISO())
        case "toJSDate": return .date(dt.toMillis())
        case "toObject":
            guard dt.isValid else { return .object([]) }
            var pairs: [(key: String, value: ExtensionValue)] = [
                ("year", number(dt.year)), ("month", number(dt.month)), ("day", number(dt.day)), ("hour", number(dt.hour)),
                ("minute", number(dt.minute)), ("second", number(dt.second)), ("millisecond", number(dt.millisecond)),
            ]
            if option(args, 0, "includeConfig").isTruthy {
                pairs += [("locale", .string(dt.locale)), ("numberingSystem", .string("latn")), ("outputCalendar", .string("gregory"))]
            }
            return .object(pairs)
        case "toSQL": return string(dt.toSQL())
        case "toSQLDate": return string(dt.toSQLDate())
        case "toSQLTime": return string(dt.toSQLTime())
        case "toHTTP": return string(dt.toHTTP())
        case "toRFC2822": return string(dt.toRFC2822())
        case "toRelative", "toRelativeCalendar":
            let base = try option(args, 0, "base").isNullish ? ctx.now.setZone(dt.zone) : dateTimeArgument(option(args, 0, "base"), ctx)
            var unit: LuxonDuration.Unit?
            if case .string(let u) = option(args, 0, "unit") { unit = try DateExtensions.durationUnit(u) }
            if name == "toRelativeCalendar" { return string(dt.toRelativeCalendar(base: base, unit: unit)) }
            return string(dt.toRelative(base: base, unit: unit))
        case "toUTC":
            let minutes = arg(args, 0).isNullish ? 0 : Int(DateExtensions.numericValue(arg(args, 0)) ?? 0)
            return .dateTime(dt.toUTC(offsetMinutes: minutes, keepLocalTime: option(args, 1, "keepLocalTime").isTruthy))
        case "toLocal": return .dateTime(dt.setZone(ctx.zone))
        case "setZone":
            return .dateTime(dt.setZone(zone(arg(args, 0), ctx), keepLocalTime: option(args, 1, "keepLocalTime").isTruthy || option(args, 1, "keepCalendarTime").isTruthy))
        case "setLocale":
            return .dateTime(dt.setLocale(arg(args, 0).jsString))
        case "reconfigure":
            if case .string(let locale) = option(args, 0, "locale") { return .dateTime(dt.setLocale(locale)) }
            return .dateTime(dt)
        case "set": return .dateTime(dt.setting(try fields(arg(args, 0))))
        case "get": return property(dt, arg(args, 0).jsString) ?? .undefined
        case "plus": return .dateTime(dt.plus(try DateExtensions.durationLike(arg(args, 0))))
        case "minus": return .dateTime(dt.minus(try DateExtensions.durationLike(arg(args, 0))))
        case "startOf": return .dateTime(dt.startOf(try DateExtensions.durationUnit(arg(args, 0).jsString)))
        case "endOf": return .dateTime(dt.endOf(try DateExtensions.durationUnit(arg(args, 0).jsString)))
        case "diff":
            return .duration(dt.diff(try dateTimeArgument(arg(args, 0), ctx), try units(arg(args, 1), default: .milliseconds)))
        case "diffNow":
            return .duration(dt.diff(ctx.now, try units(arg(args, 0), default: .milliseconds)))
        case "hasSame":
            return .bool(dt.hasSame(try dateTimeArgument(arg(args, 0), ctx), try DateExtensions.durationUnit(arg(args, 1).jsString)))
        case "equals":
            guard case .dateTime(let other) = arg(args, 0) else { return .bool(false) }
            return .bool(dt.equals(other))
        case "until":
            return .interval(.fromDateTimes(dt, try dateTimeArgument(arg(args, 0), ctx)))
        case "resolvedLocaleOptions":
            return .object([("locale", .string(dt.locale)), ("numberingSystem", .string("latn")), ("outputCalendar", .string("gregory"))])
        default: return nil
        }
    }
}
