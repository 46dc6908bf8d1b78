/// JavaScript's abstract operations: ToBoolean, ToNumber, ToString, ToPrimitive, equality.
extension JSValue {
    package var isNullish: Bool {
        switch self {
        case .undefined, .null: return true
        default: return false
        }
    }

    package var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// ToBoolean.
    package var truthy: Bool {
        switch self {
        case .undefined, .null: return false
        case .bool(let b): return b
        case .number(let n): return !(n == 0 || n.isNaN)
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    /// `typeof value`.
    package var typeOf: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "object"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .function: return "function"
        default: return "object"
        }
    }

    /// Whether the value is an object (not a primitive).
    package var isObject: Bool {
        switch self {
        case .undefined, .null, .bool, .number, .string: return false
        default: return true
        }
    }

    /// ToPrimitive. `hintString` prefers `toString` (template literals, `String(x)`); otherwise the
    /// default hint, which for a `Date` is also string and for everything else number-first.
    package func toPrimitive(hintString: Bool = false, hintNumber: Bool = false, zone: LuxonZone = .utc) -> JSValue {
        switch self {
        case .date(let d) where hintNumber: return .number(d.milliseconds)
        case .undefined, .null, .bool, .number, .string: return self
        case .dateTime(let dt): return hintString ? .string(dt.toString()) : .number(dt.valueOf)
        case .duration(let d): return hintString ? .string(d.toISO() ?? "Invalid Duration") : .number(d.toMillis())
        case .date(let d): return .string(JSDateFormatting.toString(d.milliseconds, zone: zone))
        default: return .string(toJSString(zone: zone))
        }
    }

    /// ToNumber.
    package func toNumber(zone: LuxonZone = .utc) -> Double {
        switch self {
        case .undefined: return .nan
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let n): return n
        case .string(let s): return JSNumberParsing.number(s)
        case .date(let d): return d.milliseconds
        case .dateTime(let dt): return dt.valueOf
        case .duration(let d): return d.toMillis()
        default: return toPrimitive(zone: zone).toNumber(zone: zone)
        }
    }

    /// ToString, as `String(value)` (a `Date` prints in `zone`).
    package func toJSString(zone: LuxonZone = .utc) -> String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSNumberFormatting.string(n)
        case .string(let s): return s
        case .array(let a): return JSValue.join(a, separator: ",", zone: zone, depth: 0)
        case .object(let o):
            if case .error(let name) = o.kind {
                let message = o.get("message").map { $0.isUndefined ? "" : $0.toJSString(zone: zone) } ?? ""
                let shownName = o.get("name")?.toJSString(zone: zone) ?? name
                return message.isEmpty ? shownName : "\(shownName): \(message)"
            }
            if let toString = o.get("toString"), case .function = toString { return "[object Object]" }
            return "[object Object]"
        case .function(let f): return "function \(f.name)() { [native code] }"
        case .regex(let r): return "/\(r.source)/\(r.flags)"
        case .date(let d): return JSDateFormatting.toString(d.milliseconds, zone: zone)
        case .dateTime(let dt): return dt.toString()
        case .duration(let d): return d.toISO() ?? "Invalid Duration"
        }
    }

    static func join(_ array: JSArray, separator: String, zone: LuxonZone, depth: Int) -> String {
        // Cyclic arrays print as empty, like V8's join cycle detection.
        guard depth < 64 else { return "" }
        var out = ""
        for i in 0..<array.count {
            if i > 0 { out += separator }
            let element = array.get(i) ?? .undefined
            switch element {
            case .undefined, .null: break
            case .array(let inner): out += join(inner, separator: ",", zone: zone, depth: depth + 1)
            default: out += element.toJSString(zone: zone)
            }
        }
        return out
    }

    /// The property key a value names (`o[1]` is `o["1"]`).
    package func toPropertyKey() -> String {
        if case .string(let s) = self { return s }
        return toJSString()
    }

    /// `===`.
    package func strictEquals(_ other: JSValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a === b
        case let (.object(a), .object(b)): return a === b
        case let (.function(a), .function(b)): return a === b
        case let (.regex(a), .regex(b)): return a === b
        case let (.date(a), .date(b)): return a === b
        // Luxon values are immutable; the same instant, zone and locale is the same object in practice.
        case let (.dateTime(a), .dateTime(b)): return a.ts == b.ts && a.zone == b.zone && a.isValid == b.isValid
        case let (.duration(a), .duration(b)): return a == b
        default: return false
        }
    }

    /// SameValueZero (`includes`, `Set`).
    package func sameValueZero(_ other: JSValue) -> Bool {
        if case .number(let a) = self, case .number(let b) = other, a.isNaN, b.isNaN { return true }
        return strictEquals(other)
    }

    /// `==`.
    package func looseEquals(_ other: JSValue, zone: LuxonZone = .utc) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.null, .null), (.undefined, .null), (.null, .undefined): return true
        case (.undefined, _), (.null, _), (_, .undefined), (_, .null): return false
        case (.number, .number), (.string, .string), (.bool, .bool): return strictEquals(other)
        case (.number(let a), .string): return a == other.toNumber()
        case (.string, .number(let b)): return toNumber() == b
        case (.bool, _): return JSValue.number(toNumber()).looseEquals(other, zone: zone)
        case (_, .bool): return looseEquals(.number(other.toNumber()), zone: zone)
        default:
            if isObject && other.isObject { return strictEquals(other) }
            if isObject { return toPrimitive(zone: zone).looseEquals(other, zone: zone) }
            return looseEquals(other.toPrimitive(zone: zone), zone: zone)
        }
    }

    /// Abstract relational comparison `self < other`; nil when undefined (NaN involved).
    package func lessThan(_ other: JSValue, zone: LuxonZone = .utc) -> Bool? {
        let a = toPrimitive(hintNumber: true, zone: zone)
        let b = other.toPrimitive(hintNumber: true, zone: zone)
        if case .string(let x) = a, case .string(let y) = b {
            return x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        let x = a.toNumber(zone: zone)
        let y = b.toNumber(zone: zone)
        if x.isNaN || y.isNaN { return nil }
        return x < y
    }
}

extension Double {
    /// ToInt32.
    var int32: Int32 {
        guard isFinite else { return 0 }
        let truncated = self.rounded(.towardZero)
        let modulo = truncated.truncatingRemainder(dividingBy: 4_294_967_296)
        let positive = modulo < 0 ? modulo + 4_294_967_296 : modulo
        return Int32(bitPattern: UInt32(positive))
    }

    /// ToUint32.
    var uint32: UInt32 { UInt32(bitPattern: int32) }

    /// ToIntegerOrInfinity.
    var integerOrInfinity: Double {
        if isNaN { return 0 }
        if isInfinite { return self }
        return rounded(.towardZero) + 0
    }
}
