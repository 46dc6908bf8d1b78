import FlowrunExpressions

/// n8n's `fuzzyCompare(useFuzzyCompare, compareVersion)` (nodes-base utils/utilities.ts): lodash
/// `isEqual`, or with fuzzy compare equality across numbers, numeric strings, booleans, empty
/// values and stringified objects. `nil` is `undefined`.
enum FuzzyCompare {
    static func equal(_ a: JSONValue?, _ b: JSONValue?, fuzzy: Bool, version: Int = 1) -> Bool {
        guard fuzzy else { return JS.deepEquals(a, b) }
        let aNull = a == .null
        let bNull = b == .null
        if a != nil, b != nil, !aNull, !bNull, JS.typeOf(a) == JS.typeOf(b) { return JS.deepEquals(a, b) }
        if version >= 2 {
            if aNull && (bNull || b == .number(0) || b == .string("0")) { return true }
            if bNull && (aNull || a == .number(0) || a == .string("0")) { return true }
        }
        if isFalsy(a) && isFalsy(b) { return true }
        if isFalsy(a) && b == nil { return true }
        if a == nil && isFalsy(b) { return true }
        switch (a, b) {
        case (.number?, .string(let s)?): return JS.string(a) == s
        case (.string(let s)?, .number?): return s == JS.string(b)
        case (.object?, .string(let s)?), (.array?, .string(let s)?): return RelaxedJSON.parse(s).map { JS.deepEquals($0, a) } ?? false
        case (.string(let s)?, .object?), (.string(let s)?, .array?): return RelaxedJSON.parse(s).map { JS.deepEquals($0, b) } ?? false
        case (.bool(let x)?, .string(let s)?), (.string(let s)?, .bool(let x)?):
            if s.lowercased() == (x ? "true" : "false") { return true }
            return s == (x ? "1" : "0")
        case (.bool(let x)?, .number(let n)?), (.number(let n)?, .bool(let x)?):
            return n == (x ? 1 : 0)
        default:
            return JS.deepEquals(a, b)
        }
    }

    private static func isFalsy(_ v: JSONValue?) -> Bool {
        switch v {
        case .null?: return true
        case .string(let s)?: return s.isEmpty
        case .array(let a)?: return a.isEmpty
        default: return false
        }
    }
}
