public import FlowrunExpressions
import Foundation

/// A compact JSON Schema validator for request bodies: the draft 2020-12 keywords a gateway needs.
///
/// No JSON Schema package is among flowrun's dependencies, so this one is written here. Supported:
/// boolean schemas, `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`,
/// `patternProperties`, `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`,
/// `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `exclusiveMinimum`,
/// `exclusiveMaximum`, `multipleOf`, `minProperties`, `maxProperties`, `allOf`, `anyOf`, `oneOf`,
/// `not`, and `$ref` to `#/$defs/…` (or `#/definitions/…`). `format` is an annotation, as in 2020-12.
/// Unknown keywords are ignored.
public struct JSONSchema: Sendable {
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// JSON Pointer to the offending value (`""` is the whole body).
        public var path: String
        public var message: String
        public var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
    }

    public struct SchemaError: Error, CustomStringConvertible {
        public var description: String
    }

    let root: JSONValue

    public init(_ schema: JSONValue) throws(SchemaError) {
        switch schema {
        case .object, .bool: root = schema
        default: throw SchemaError(description: "a schema must be an object or a boolean, found \(schema.kindName)")
        }
        if let bad = Self.firstBadPattern(schema) { throw SchemaError(description: "invalid regular expression \"\(bad)\"") }
    }

    /// Every violation of the schema by `value` (empty when valid).
    public func validate(_ value: JSONValue) -> [Violation] {
        var out: [Violation] = []
        check(value, against: root, path: "", into: &out, depth: 0)
        return out
    }

    static func firstBadPattern(_ schema: JSONValue) -> String? {
        switch schema {
        case .object(let o):
            if let p = o["pattern"]?.stringValue, (try? NSRegularExpression(pattern: p)) == nil { return p }
            for key in (o["patternProperties"]?.objectValue ?? [:]).keys where (try? NSRegularExpression(pattern: key)) == nil { return key }
            for (_, v) in o { if let bad = firstBadPattern(v) { return bad } }
        case .array(let a):
            for v in a { if let bad = firstBadPattern(v) { return bad } }
        default: break
        }
        return nil
    }

    func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#") else { return nil }
        var node = root
        for token in ref.dropFirst().split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node.objectValue?[key] else { return nil }
            node = next
        }
        return node
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .number(let n): n.rounded() == n && n.isFinite ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func pointer(_ path: String, _ key: String) -> String {
        path + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func check(_ value: JSONValue, against schema: JSONValue, path: String, into out: inout [Violation], depth: Int) {
        guard depth < 64 else { return }
        if case .bool(let allowed) = schema {
            if !allowed { out.append(Violation(path: path, message: "no value is allowed here")) }
            return
        }
        guard let s = schema.objectValue else { return }
        func fail(_ message: String, at p: String? = nil) { out.append(Violation(path: p ?? path, message: message)) }
        if let ref = s["$ref"]?.stringValue {
            if let target = resolve(ref) { check(value, against: target, path: path, into: &out, depth: depth + 1) } else {
                fail("the schema's $ref \"\(ref)\" cannot be resolved")
            }
        }
        if let t = s["type"] {
            let allowed = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue ?? ""]
            let actual = Self.typeName(value)
            if !allowed.contains(actual), !(actual == "integer" && allowed.contains("number")) {
                fail("must be \(allowed.joined(separator: " or ")), found \(actual)")
                return
            }
        }
        if let e = s["enum"]?.arrayValue, !e.contains(value) {
            fail("must be one of \(e.map { $0.jsonString() }.joined(separator: ", "))")
        }
        if let c = s["const"], c != value { fail("must be \(c.jsonString())") }
        switch value {
        case .string(let str):
            let length = str.count
            if let n = s["minLength"]?.numberValue, Double(length) < n { fail("must have at least \(Int(n)) characters") }
            if let n = s["maxLength"]?.numberValue, Double(length) > n { fail("must have at most \(Int(n)) characters") }
            if let p = s["pattern"]?.stringValue, let re = try? NSRegularExpression(pattern: p),
                re.firstMatch(in: str, range: NSRange(str.startIndex..., in: str)) == nil
            {
                fail("must match the pattern \(p)")
            }
        case .number(let n):
            if let m = s["minimum"]?.numberValue, n < m { fail("must be ≥ \(JSONValue.number(m).jsonString())") }
            if let m = s["maximum"]?.numberValue, n > m { fail("must be ≤ \(JSONValue.number(m).jsonString())") }
            if let m = s["exclusiveMinimum"]?.numberValue, n <= m { fail("must be > \(JSONValue.number(m).jsonString())") }
            if let m = s["exclusiveMaximum"]?.numberValue, n >= m { fail("must be < \(JSONValue.number(m).jsonString())") }
            if let m = s["multipleOf"]?.numberValue, m > 0 {
                let q = n / m
                if abs(q - q.rounded()) > 1e-9 { fail("must be a multiple of \(JSONValue.number(m).jsonString())") }
            }
        case .array(let a):
            if let n = s["minItems"]?.numberValue, Double(a.count) < n { fail("must have at least \(Int(n)) items") }
            if let n = s["maxItems"]?.numberValue, Double(a.count) > n { fail("must have at most \(Int(n)) items") }
            if s["uniqueItems"]?.boolValue == true, Set(a.map { $0.jsonString() }).count != a.count { fail("must not contain duplicate items") }
            let prefix = s["prefixItems"]?.arrayValue ?? []
            for (i, item) in a.enumerated() {
                if i < prefix.count {
                    check(item, against: prefix[i], path: Self.pointer(path, String(i)), into: &out, depth: depth + 1)
                } else if let items = s["items"] {
                    check(item, against: items, path: Self.pointer(path, String(i)), into: &out, depth: depth + 1)
                }
            }
        case .object(let o):
            if let n = s["minProperties"]?.numberValue, Double(o.count) < n { fail("must have at least \(Int(n)) properties") }
            if let n = s["maxProperties"]?.numberValue, Double(o.count) > n { fail("must have at most \(Int(n)) properties") }
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[key] == nil {
                fail("is required", at: Self.pointer(path, key))
            }
            let properties = s["properties"]?.objectValue ?? [:]
            let patterns = (s["patternProperties"]?.objectValue ?? [:]).compactMap { key, sub in
                (try? NSRegularExpression(pattern: key)).map { ($0, sub) }
            }
            for (key, member) in o {
                let memberPath = Self.pointer(path, key)
                var matched = false
                if let sub = properties[key] {
                    matched = true
                    check(member, against: sub, path: memberPath, into: &out, depth: depth + 1)
                }
                for (re, sub) in patterns where re.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
                    matched = true
                    check(member, against: sub, path: memberPath, into: &out, depth: depth + 1)
                }
                if !matched, let extra = s["additionalProperties"] {
                    if case .bool(false) = extra { fail("is not an allowed property", at: memberPath) } else {
                        check(member, against: extra, path: memberPath, into: &out, depth: depth + 1)
                    }
                }
            }
        default: break
        }
        for sub in s["allOf"]?.arrayValue ?? [] { check(value, against: sub, path: path, into: &out, depth: depth + 1) }
        if let any = s["anyOf"]?.arrayValue, !any.contains(where: { passes(value, $0, depth) }) {
            fail("must match at least one schema of anyOf")
        }
        if let one = s["oneOf"]?.arrayValue {
            let count = one.filter { passes(value, $0, depth) }.count
            if count != 1 { fail("must match exactly one schema of oneOf (matches \(count))") }
        }
        if let not = s["not"], passes(value, not, depth) { fail("must not match the schema of not") }
    }

    func passes(_ value: JSONValue, _ schema: JSONValue, _ depth: Int) -> Bool {
        var scratch: [Violation] = []
        check(value, against: schema, path: "", into: &scratch, depth: depth + 1)
        return scratch.isEmpty
    }
}
