/// n8n's number extensions (`number-extensions.ts`).
enum NumberExtensions {
    static func number(_ value: ExtensionValue) -> Double {
        if case .number(let n) = value { return n }
        return .nan
    }

    static func isInteger(_ n: Double) -> Bool { n.isFinite && n.rounded(.towardZero) == n }

    /// `+value.toFixed(decimalPlaces)`.
    static func round(_ n: Double, _ places: Double) -> Double {
        let digits = places.isFinite ? Int(places.rounded(.towardZero)) : 0
        return JSNumberParsing.number(IntlNumberFormat.toFixed(n, digits))
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "ceil": { v, _, _ in .number(number(v).rounded(.up)) },
        "floor": { v, _, _ in .number(number(v).rounded(.down)) },
        "format": { v, args, _ in
            var locale = "en-US"
            if let first = args.first {
                if case .string(let s) = first { locale = s }
                if case .array(let list) = first, case .string(let s)? = list.first { locale = s }
            }
            var options = IntlNumberFormat.Options()
            if args.count > 1, case .object = args[1] {
                let o = args[1]
                if case .string(let s) = o["style"] { options.style = s }
                if case .string(let s) = o["currency"] { options.currency = s }
                if case .string(let s) = o["currencyDisplay"] { options.currencyDisplay = s }
                if case .number(let n) = o["minimumFractionDigits"] { options.minimumFractionDigits = Int(n) }
                if case .number(let n) = o["maximumFractionDigits"] { options.maximumFractionDigits = Int(n) }
                if case .number(let n) = o["minimumIntegerDigits"] { options.minimumIntegerDigits = Int(n) }
                if case .bool(let b) = o["useGrouping"] { options.useGrouping = b }
                if options.style == "currency", options.currency == nil {
                    throw ExtensionError("Currency code is required with currency style.")
                }
                if let min = options.minimumFractionDigits, let max = options.maximumFractionDigits, min > max {
                    throw ExtensionError("maximumFractionDigits value is out of range.")
                }
            }
            return .string(IntlNumberFormat.format(number(v), locale: locale, options: options))
        },
        "round": { v, args, _ in
            var places = 0.0
            if let first = args.first, case .number(let p) = first { places = p }
            if places < 0 || places > 100 { throw ExtensionError("toFixed() digits argument must be between 0 and 100") }
            return .number(round(number(v), places))
        },
        "abs": { v, _, _ in .number(abs(number(v))) },
        "isInteger": { v, _, _ in .bool(isInteger(number(v))) },
        "isEven": { v, _, _ in
            let n = number(v)
            guard isInteger(n) else { throw ExtensionError("isEven() is only callable on integers") }
            return .bool(n.truncatingRemainder(dividingBy: 2) == 0)
        },
        "isOdd": { v, _, _ in
            let n = number(v)
            guard isInteger(n) else { throw ExtensionError("isOdd() is only callable on integers") }
            return .bool(abs(n).truncatingRemainder(dividingBy: 2) == 1)
        },
        "toBoolean": { v, _, _ in .bool(number(v) != 0) },
        "toInt": { v, _, _ in .number(round(number(v), 0)) },
        "toFloat": { v, _, _ in .number(number(v)) },
        "toDateTime": { v, args, ctx in
            var format = "ms"
            if let first = args.first, !first.isNullish { format = first.jsString }
            return .dateTime(try toDateTime(number(v), format: format, ctx))
        },
    ]

    /// `toDateTime(format)` for timestamps: `ms`, `s`, `us` or Excel serial days.
    static func toDateTime(_ n: Double, format: String, _ ctx: ExtensionContext) throws -> LuxonDateTime {
        switch format {
        case "excel":
            return LuxonDateTime.fromMillis((n - (25567 + 2)) * 86_400 * 1000, zone: ctx.zone)
        case "s":
            return LuxonDateTime.fromMillis(n * 1000, zone: ctx.zone)
        case "us":
            return LuxonDateTime.fromMillis(n / 1000, zone: ctx.zone)
        case "ms":
            return LuxonDateTime.fromMillis(n, zone: ctx.zone)
        default:
            throw ExtensionError("Unsupported format '\(format)'. toDateTime() supports 'ms', 's', 'us' and 'excel'.")
        }
    }
}
