import FlowrunExpressions
import Foundation

/// n8n's `validateFieldType` (type-validation.ts) for the types nodes use.
enum TypeValidation {
    /// `tryToParseBoolean`: booleans, "true"/"false" (any case), and values numbering 0 or 1.
    static func parseBoolean(_ value: JSONValue) -> Bool? {
        if case .bool(let b) = value { return b }
        if case .string(let s) = value {
            let lower = s.lowercased()
            if lower == "true" { return true }
            if lower == "false" { return false }
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        }
        let n = JS.number(value)
        if n == 0 { return false }
        if n == 1 { return true }
        return nil
    }

    /// `tryToParseString`.
    static func parseString(_ value: JSONValue) -> String {
        switch value {
        case .object, .array, .null: return value.jsonString()
        default: return JS.string(value)
        }
    }

    /// `tryToParseArray`.
    static func parseArray(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let a) = value { return a }
        let text = JS.string(value)
        if case .array(let a)? = try? JSONValue(parsing: text) { return a }
        if case .array(let a)? = try? JSONValue(parsing: text.replacingOccurrences(of: "'", with: "\"")) { return a }
        return nil
    }

    /// `tryToParseObject` (accepting relaxed JSON: single quotes, unquoted keys, trailing commas).
    static func parseObject(_ value: JSONValue) -> JSONObject? {
        if case .object(let o) = value { return o }
        if case .object(let o)? = RelaxedJSON.parse(JS.string(value)) { return o }
        return nil
    }

    /// `validateFieldType(name, value, type, {strict, parseStrings: true})` for a filter side;
    /// nil when invalid.
    static func validate(_ value: JSONValue, type: String, strict: Bool, zone: String) -> FilterEvaluator.Parsed? {
        // Operator types are written in lower case except `dateTime`: lowercasing them per item
        // and side was most of this function's time.
        let name: String
        switch type {
        case "string", "number", "boolean", "object", "array": name = type
        default: name = type.lowercased()
        }
        switch name {
        case "string":
            if strict, value.stringValue == nil { return nil }
            return .value(.string(parseString(value)))
        case "number":
            if strict, value.numberValue == nil { return nil }
            let n = JS.number(value)
            return n.isNaN ? nil : .value(.number(n))
        case "boolean":
            if strict, value.boolValue == nil { return nil }
            return parseBoolean(value).map { .value(.bool($0)) }
        case "datetime":
            return DateParsing.parse(value, zone: zone).map { .date($0) }
        case "object":
            if strict {
                switch value {
                case .object, .array: break
                default: return nil
                }
            }
            if case .array = value { return nil }
            return parseObject(value).map { .value(.object($0)) }
        case "array":
            if strict, value.arrayValue == nil { return nil }
            return parseArray(value).map { .value(.array($0)) }
        default:
            return .value(value)
        }
    }

    /// `getValueDescription`: `'text'`, `array`, `object`, `'null'`.
    static func valueDescription(_ value: JSONValue?) -> String {
        switch value {
        case .null?: return "'null'"
        case .array?: return "array"
        case .object?: return "object"
        default: return "'\(JS.string(value))'"
        }
    }
}
