import FlowrunExpressions
import Foundation

/// JavaScript value semantics over JSON values, as n8n's node code relies on them (`String(x)`,
/// `Number(x)`, truthiness, `===`, `<`). `nil` stands for `undefined`.
enum JS {
    /// `String(value)`.
    static func string(_ value: JSONValue?) -> String {
        guard let value else { return "undefined" }
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSNumberFormatting.string(n)
        case .string(let s): return s
        case .array(let a):
            return a.map { element -> String in
                if element.isNull { return "" }
                return string(element)
            }.joined(separator: ",")
        case .object: return "[object Object]"
        }
    }

    /// `Number(value)`.
    static func number(_ value: JSONValue?) -> Double {
        guard let value else { return .nan }
        switch value {
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let n): return n
        case .string(let s): return JSNumberParsing.number(s)
        case .array(let a):
            if a.isEmpty { return 0 }
            if a.count == 1 { return number(.string(string(a[0]))) }
            return .nan
        case .object: return .nan
        }
    }

    /// `Boolean(value)`.
    static func truthy(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0 && !n.isNaN
        case .string(let s): return !s.isEmpty
        case .array, .object: return true
        }
    }

    /// `typeof value`.
    static func typeOf(_ value: JSONValue?) -> String {
        guard let value else { return "undefined" }
        switch value {
        case .null, .array, .object: return "object"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        }
    }

    /// `a === b`; distinct objects and arrays are never identical (values here are copies).
    static func strictEquals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.null?, .null?): return true
        case (.bool(let x)?, .bool(let y)?): return x == y
        case (.number(let x)?, .number(let y)?): return x == y
        case (.string(let x)?, .string(let y)?): return x == y
        default: return false
        }
    }

    /// `a == b` (abstract equality).
    static func looseEquals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        let aNullish = a == nil || a == .null
        let bNullish = b == nil || b == .null
        if aNullish || bNullish { return aNullish && bNullish }
        guard let a, let b else { return false }
        switch (a, b) {
        case (.array, _), (.object, _):
            if case .array = b { return false }
            if case .object = b { return false }
            return looseEquals(.string(string(a)), b)
        case (_, .array), (_, .object):
            return looseEquals(a, .string(string(b)))
        case (.string(let x), .string(let y)): return x == y
        case (.bool, _), (_, .bool), (.number, _), (_, .number):
            return number(a) == number(b)
        default: return false
        }
    }

    /// The abstract relational comparison `a < b` (false when either side converts to NaN).
    static func lessThan(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        let pa = primitive(a)
        let pb = primitive(b)
        if case .string(let x)? = pa, case .string(let y)? = pb {
            return x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        let x = number(pa)
        let y = number(pb)
        return x < y
    }

    /// `a > b`.
    static func greaterThan(_ a: JSONValue?, _ b: JSONValue?) -> Bool { lessThan(b, a) }

    /// `a <= b`: not (b < a), and neither side NaN.
    static func lessOrEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        let pa = primitive(a)
        let pb = primitive(b)
        if case .string(let x)? = pa, case .string(let y)? = pb {
            return !y.utf16.lexicographicallyPrecedes(x.utf16)
        }
        let x = number(pa)
        let y = number(pb)
        return x <= y
    }

    /// `a >= b`.
    static func greaterOrEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool { lessOrEqual(b, a) }

    /// ToPrimitive: arrays and objects become their string form.
    static func primitive(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .array?, .object?: return .string(string(value))
        default: return value
        }
    }

    /// `value || fallback`.
    static func or(_ value: JSONValue?, _ fallback: JSONValue) -> JSONValue {
        truthy(value) ? value! : fallback
    }

    /// A JavaScript regular expression compiled for Foundation; nil when the pattern is invalid.
    static func regex(_ pattern: String, flags: String = "") -> NSRegularExpression? {
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        return try? NSRegularExpression(pattern: pattern, options: options)
    }

    /// `regex.test(text)`.
    static func test(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Splits `/pattern/flags` into its parts; nil when `text` is not in that form.
    static func splitRegexLiteral(_ text: String) -> (pattern: String, flags: String)? {
        guard text.hasPrefix("/"), text.count >= 2 else { return nil }
        let body = text.dropFirst()
        guard let close = body.lastIndex(of: "/") else { return nil }
        let flags = String(body[body.index(after: close)...])
        guard flags.allSatisfy({ "gimusy".contains($0) }) else { return nil }
        return (String(body[..<close]), flags)
    }

    /// `toLocaleLowerCase()`.
    static func lower(_ s: String) -> String { s.lowercased() }

    /// Deep equality as lodash `isEqual` over JSON values (object key order ignored).
    static func deepEquals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.object(let x)?, .object(let y)?):
            guard x.count == y.count else { return false }
            for (k, v) in x {
                guard let w = y[k], deepEquals(v, w) else { return false }
            }
            return true
        case (.array(let x)?, .array(let y)?):
            guard x.count == y.count else { return false }
            return zip(x, y).allSatisfy { deepEquals($0, $1) }
        case (.number(let x)?, .number(let y)?):
            return x == y || (x.isNaN && y.isNaN)
        default:
            return a == b
        }
    }
}
