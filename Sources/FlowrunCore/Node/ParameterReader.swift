public import FlowrunExpressions
import Foundation

/// Reads a node's `parameters` into typed values at load time, recording wrong shapes (with their
/// path) instead of stopping at the first.
///
/// `reader["options"]["ignoreCase"].bool(default: true)`; a string starting with `=` becomes a
/// compiled expression evaluated per item. Missing keys take the given default, as n8n re-fills
/// parameters left out of exports from the node type's description.
public struct ParameterReader {
    /// Path of this value inside `parameters` (`""` for the root, `rules.values[0].outputKey`).
    public let path: String
    /// The raw value, nil when the key is absent.
    public let raw: JSONValue?
    /// Where problems are recorded.
    public let issues: ParameterIssues

    init(root: JSONObject, issues: ParameterIssues) {
        self.path = ""
        self.raw = .object(root)
        self.issues = issues
    }

    init(path: String, raw: JSONValue?, issues: ParameterIssues) {
        self.path = path
        self.raw = raw
        self.issues = issues
    }

    /// Whether the key is present.
    public var isPresent: Bool { raw != nil }

    /// Whether the value is an expression string.
    public var isExpression: Bool { raw?.stringValue?.hasPrefix("=") ?? false }

    /// The member `key` of an object value (absent when this is not an object).
    public subscript(key: String) -> ParameterReader {
        let child = path.isEmpty ? key : "\(path).\(key)"
        if case .object(let o)? = raw { return ParameterReader(path: child, raw: o[key], issues: issues) }
        return ParameterReader(path: child, raw: nil, issues: issues)
    }

    /// The element `index` of an array value.
    public subscript(index: Int) -> ParameterReader {
        let child = "\(path)[\(index)]"
        if case .array(let a)? = raw, index >= 0, index < a.count {
            return ParameterReader(path: child, raw: a[index], issues: issues)
        }
        return ParameterReader(path: child, raw: nil, issues: issues)
    }

    /// Records a problem at this path.
    public func report(_ message: String) {
        issues.report(path, message)
    }

    /// The keys of an object value, in file order.
    public var keys: [String] {
        if case .object(let o)? = raw { return Array(o.keys) }
        return []
    }

    /// The elements of an array value (a fixedCollection's `values`); absent gives `[]`, any other
    /// shape is reported. A lone object is taken as a one-element list, as n8n's UI sometimes stores.
    public func elements() -> [ParameterReader] {
        switch raw {
        case nil, .null?: return []
        case .array(let a)?: return a.indices.map { self[$0] }
        case .object?: return [ParameterReader(path: "\(path)[0]", raw: raw, issues: issues)]
        case let other?:
            report("expected a list, found \(other.kindName)")
            return []
        }
    }

    /// Whether an object value is expected; reports other shapes (not absent, not expressions).
    @discardableResult
    public func expectObject() -> Bool {
        switch raw {
        case nil, .object?: return true
        case let other?:
            if isExpression { return true }
            report("expected an object, found \(other.kindName)")
            return false
        }
    }

    // MARK: Typed values

    /// A string parameter; numbers and booleans are converted as JavaScript's `String()` does.
    public func string(default value: String = "") -> Param<String> {
        typed(default: value, kind: "a string", literalCheck: { $0.isScalar }) { json in
            guard let json else { return value }
            return json.coercedString
        }
    }

    /// An optional string parameter: nil when absent or `undefined`.
    public func optionalString() -> Param<String?> {
        typed(default: nil, kind: "a string", literalCheck: { $0.isScalar }) { json in
            guard let json, !json.isNull else { return nil }
            return json.coercedString
        }
    }

    /// A number parameter; numeric strings are converted as JavaScript's `Number()` does.
    public func number(default value: Double = 0) -> Param<Double> {
        typed(default: value, kind: "a number", literalCheck: { $0.numberValue != nil || $0.coercedNumber != nil }) { json in
            guard let json else { return value }
            guard let n = json.coercedNumber else {
                throw ParameterConversionError("expected a number, found \(json.kindName)")
            }
            return n
        }
    }

    /// An integer parameter (a number truncated toward zero).
    public func int(default value: Int = 0) -> Param<Int> {
        number(default: Double(value)).map { n in
            guard n.isFinite, abs(n) < 9e15 else { throw ParameterConversionError("expected an integer, found \(n)") }
            return Int(n)
        }
    }

    /// A boolean parameter; the strings "true"/"false" are accepted.
    public func bool(default value: Bool = false) -> Param<Bool> {
        typed(default: value, kind: "a boolean", literalCheck: { $0.coercedBool != nil }) { json in
            guard let json else { return value }
            guard let b = json.coercedBool else {
                throw ParameterConversionError("expected a boolean, found \(json.kindName)")
            }
            return b
        }
    }

    /// Any JSON value, with expressions anywhere inside it resolved per item; `default` when absent.
    public func json(default value: JSONValue? = nil) -> Param<JSONValue?> {
        let compiled = raw.map(CompiledParameter.init) ?? .literal(value ?? .null)
        let fallback = value
        return Param(path: path, raw: compiled) { $0 ?? fallback }
    }

    /// A choice among fixed values (`mode`, `operation`); a constant outside `allowed` is reported.
    public func choice(_ allowed: [String], default value: String) -> Param<String> {
        let p = string(default: value)
        if let c = p.constantValue, !allowed.contains(c), raw != nil {
            report("unknown value \"\(c)\"; expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return p
    }

    /// The raw value as a constant (not expression-resolved), or `default` when absent.
    public func literal(default value: JSONValue) -> JSONValue { raw ?? value }

    private func typed<T: Sendable>(
        default value: T, kind: String, literalCheck: (JSONValue) -> Bool,
        convert: @escaping @Sendable (JSONValue?) throws -> T
    ) -> Param<T> {
        guard let raw else { return Param(constant: value, path: path) }
        if !isExpression, !raw.isNull, !literalCheck(raw) {
            report("expected \(kind), found \(raw.kindName)")
            return Param(constant: value, path: path)
        }
        return Param(path: path, raw: CompiledParameter(raw), convert: convert)
    }
}

extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .string, .number, .bool, .null: true
        default: false
        }
    }

    /// JavaScript `String(value)` for scalars; JSON text for objects and arrays.
    public var coercedString: String {
        switch self {
        case .string(let s): s
        case .number(let n): JSNumberFormatting.string(n)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array, .object: jsonString()
        }
    }

    /// JavaScript `Number(value)` for numbers, numeric strings and booleans; nil otherwise.
    public var coercedNumber: Double? {
        switch self {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { return 0 }
            if t.hasPrefix("0x") || t.hasPrefix("0X") { return Int(t.dropFirst(2), radix: 16).map(Double.init) }
            if t == "Infinity" || t == "+Infinity" { return .infinity }
            if t == "-Infinity" { return -.infinity }
            if t.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) { return nil }
            return Double(t)
        default: return nil
        }
    }

    /// A boolean, or the strings "true"/"false".
    public var coercedBool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s) where s == "true": true
        case .string(let s) where s == "false": false
        default: nil
        }
    }
}
