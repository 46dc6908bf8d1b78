/// n8n's global convenience functions (`extended-functions.ts`): `min`, `max`, `average`, `not`,
/// `numberList`, `zip` and their `$` aliases, plus `$ifEmpty`. (`$if` is a syntax rewrite the
/// compiler does: `$if(a, b, c)` is `a ? b : c`, with `c` defaulting to `false`.)
package enum ConvenienceFunctions {
    package static let names: Set<String> = [
        "min", "max", "not", "average", "numberList", "zip", "$min", "$max", "$average", "$not", "$ifEmpty",
    ]

    /// The error n8n raises at compile time for `$if` with fewer than two arguments.
    package static let ifArityMessage = "$if requires at least 2 parameters: test, value_if_true[, and value_if_false]"

    /// JavaScript `ToNumber` for the values extensions see (objects are NaN unless they are Dates).
    static func toNumber(_ value: ExtensionValue) -> Double {
        switch value {
        case .undefined: return .nan
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let n): return n
        case .string(let s): return JSNumberParsing.number(s)
        case .date(let ms): return ms
        case .dateTime(let dt): return dt.valueOf
        case .duration(let d): return d.toMillis()
        case .array(let items):
            if items.isEmpty { return 0 }
            if items.count == 1 { return toNumber(.string(items[0].isNullish ? "" : items[0].jsString)) }
            return .nan
        case .object, .opaque, .interval: return .nan
        }
    }

    /// Calls a convenience function; nil when `name` is not one.
    package static func call(_ name: String, _ args: [ExtensionValue]) throws -> ExtensionValue? {
        switch name {
        case "min", "$min":
            var result = Double.infinity
            for n in args.map(toNumber) {
                if n.isNaN { return .number(.nan) }
                if n < result || (n == 0 && result == 0 && n.sign == .minus) { result = n }
            }
            return .number(result)
        case "max", "$max":
            var result = -Double.infinity
            for n in args.map(toNumber) {
                if n.isNaN { return .number(.nan) }
                if n > result || (n == 0 && result == 0 && n.sign == .plus) { result = n }
            }
            return .number(result)
        case "not", "$not":
            return .bool(!(args.first?.isTruthy ?? false))
        case "average", "$average":
            return .number(try ArrayExtensions.average(args))
        case "numberList":
            let start = toNumber(args.first ?? .undefined)
            let end = toNumber(args.count > 1 ? args[1] : .undefined)
            let size = abs(start - end) + 1
            guard size.isFinite, size >= 0 else { throw ExtensionError("Invalid array length", kind: .javaScript) }
            guard size <= 10_000_000 else { throw ExtensionError("numberList(): the list would be too long", kind: .expressionError) }
            var current = start
            var list: [ExtensionValue] = []
            list.reserveCapacity(Int(size))
            for _ in 0..<Int(size) {
                list.append(.number(current))
                current += start < end ? 1 : -1
            }
            return .array(list)
        case "zip":
            guard args.count >= 2, case .array(let keys) = args[0], case .array(let values) = args[1] else {
                throw ExtensionError("keys and values must be arrays")
            }
            guard keys.count == values.count else { throw ExtensionError("keys and values not of equal length") }
            var result: [(key: String, value: ExtensionValue)] = []
            for (key, value) in zip(keys, values) {
                let k = key.jsString
                if let index = result.firstIndex(where: { $0.key == k }) { result[index].value = value } else { result.append((k, value)) }
            }
            return .object(result)
        case "$ifEmpty":
            guard args.count == 2 else {
                throw ExtensionError("expected two arguments (value, defaultValue) for this function", kind: .expressionError)
            }
            let value = args[0]
            switch value {
            case .undefined, .null: return args[1]
            case .string(let s) where s.isEmpty: return args[1]
            case .array(let items) where items.isEmpty: return args[1]
            case .object(let pairs) where pairs.isEmpty: return args[1]
            default: return value
            }
        default:
            return nil
        }
    }
}
