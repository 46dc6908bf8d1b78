import Foundation

/// The JavaScript values n8n's extension functions see. The runtime converts its own values to
/// and from this at the call boundary; anything the extensions do not inspect (functions, maps,
/// regexes…) travels as `.opaque` and comes back unchanged.
package indirect enum ExtensionValue: @unchecked Sendable {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ExtensionValue])
    /// A plain object; keys in insertion order.
    case object([(key: String, value: ExtensionValue)])
    case dateTime(LuxonDateTime)
    /// A JavaScript `Date` (epoch ms, NaN when invalid).
    case date(Double)
    case duration(LuxonDuration)
    case interval(LuxonInterval)
    /// A runtime value the extensions only pass through. (`@unchecked`: the runtime's values are
    /// Sendable; the box only erases their type.)
    case opaque(any Sendable)

    /// Marks an opaque value that is a function or a built-in namespace (`Math`, `Object`…):
    /// n8n's extensions never apply to those; their own members do.
    package struct Callable: @unchecked Sendable {
        package let value: any Sendable
        package init(_ value: any Sendable) { self.value = value }
    }

    /// Whether this is a function or built-in namespace passed through opaquely.
    package var isCallable: Bool {
        if case .opaque(let boxed) = self { return boxed is Callable }
        return false
    }

    package var isNullish: Bool {
        switch self {
        case .undefined, .null: return true
        default: return false
        }
    }

    /// JavaScript truthiness.
    package var isTruthy: Bool {
        switch self {
        case .undefined, .null: return false
        case .bool(let b): return b
        case .number(let n): return !(n == 0 || n.isNaN)
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    /// `typeof` for the cases extensions branch on.
    package var typeOf: String {
        switch self {
        case .undefined: return "undefined"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        default: return "object"
        }
    }

    package var isObjectLike: Bool {
        switch self {
        case .array, .object, .dateTime, .date, .duration, .interval, .opaque: return true
        default: return false
        }
    }

    /// `Object.keys(value)` for plain objects and arrays.
    package var keys: [String] {
        switch self {
        case .object(let pairs): return pairs.map(\.key)
        case .array(let items): return items.indices.map(String.init)
        case .string(let s): return s.utf16.indices.enumerated().map { String($0.offset) }
        default: return []
        }
    }

    package subscript(key: String) -> ExtensionValue {
        switch self {
        case .object(let pairs): return pairs.last(where: { $0.key == key })?.value ?? .undefined
        case .array(let items):
            if let i = Int(key), i >= 0, i < items.count { return items[i] }
            return .undefined
        default: return .undefined
        }
    }

    /// `key in value` for plain objects and arrays.
    package func hasKey(_ key: String) -> Bool {
        switch self {
        case .object(let pairs): return pairs.contains { $0.key == key }
        case .array(let items): return Int(key).map { $0 >= 0 && $0 < items.count } ?? (key == "length")
        default: return false
        }
    }

    /// JavaScript `String(value)` for primitives; objects print as JavaScript does.
    package var jsString: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSNumberFormatting.string(n)
        case .string(let s): return s
        case .array(let items): return items.map { $0.isNullish ? "" : $0.jsString }.joined(separator: ",")
        case .object: return "[object Object]"
        case .dateTime(let dt): return dt.toString()
        case .date(let ms): return ms.isNaN ? "Invalid Date" : ExtensionValue.jsDateString(ms)
        case .duration(let d): return d.toISO() ?? "Invalid Duration"
        case .interval(let i): return i.toString()
        case .opaque: return "[object Object]"
        }
    }

    /// `Date.prototype.toString()` in UTC (the runtime prints Dates in its own zone when it can).
    static func jsDateString(_ ms: Double) -> String {
        let dt = LuxonDateTime.fromMillis(ms, zone: .utc)
        return dt.toFormat("EEE MMM dd yyyy HH:mm:ss 'GMT'ZZZ")
    }

    /// `Date.prototype.toISOString()`.
    package static func isoString(ms: Double) -> String? {
        guard ms.isFinite else { return nil }
        return LuxonDateTime.fromMillis(ms, zone: .utc).toISO()
    }

    /// `JSON.stringify(value)`; nil where JavaScript returns `undefined`.
    package func jsonString() -> String? {
        switch self {
        case .undefined, .opaque: return nil
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.isFinite ? JSNumberFormatting.string(n) : "null"
        case .string(let s): return ExtensionValue.quoteJSON(s)
        case .array(let items): return "[" + items.map { $0.jsonString() ?? "null" }.joined(separator: ",") + "]"
        case .object(let pairs):
            let parts = pairs.compactMap { pair in pair.value.jsonString().map { ExtensionValue.quoteJSON(pair.key) + ":" + $0 } }
            return "{" + parts.joined(separator: ",") + "}"
        case .dateTime(let dt): return dt.toISO().map(ExtensionValue.quoteJSON) ?? "null"
        case .date(let ms): return ExtensionValue.isoString(ms: ms).map(ExtensionValue.quoteJSON) ?? "null"
        case .duration(let d): return d.toISO().map(ExtensionValue.quoteJSON) ?? "null"
        case .interval(let i): return i.isValid ? ExtensionValue.quoteJSON(i.toISO()) : "null"
        }
    }

    /// JSON string literal as `JSON.stringify` writes it.
    package static func quoteJSON(_ s: String) -> String {
        var out = ""
        JSONValue.writeQuoted(s, to: &out)
        return out
    }

    /// lodash `isEqual`: deep structural equality (NaN equals NaN, key order ignored).
    package func deepEquals(_ other: ExtensionValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.deepEquals($1) }
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { pair in b.contains { $0.key == pair.key && $0.value.deepEquals(pair.value) } }
        case let (.dateTime(a), .dateTime(b)): return a.ts == b.ts || (a.ts.isNaN && b.ts.isNaN)
        case let (.date(a), .date(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.duration(a), .duration(b)): return a == b
        case let (.interval(a), .interval(b)): return a.start.ts == b.start.ts && a.end.ts == b.end.ts
        default: return false
        }
    }
}
