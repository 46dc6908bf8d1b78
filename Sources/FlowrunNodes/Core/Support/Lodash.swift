import FlowrunExpressions

/// The lodash helpers the transform nodes use beyond get/set.
enum Lodash {
    /// lodash `lt(a, b)`: string comparison for two strings, else numeric (`toNumber`).
    static func lt(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        if case .string(let x)? = a, case .string(let y)? = b { return x.utf16.lexicographicallyPrecedes(y.utf16) }
        return toNumber(a) < toNumber(b)
    }

    /// lodash `toNumber`.
    static func toNumber(_ v: JSONValue?) -> Double {
        switch v {
        case nil: return .nan
        case .object?: return .nan
        case .array(let a)?: return a.isEmpty ? 0 : (a.count == 1 ? toNumber(.string(JS.string(a[0]))) : .nan)
        default: return JS.number(v)
        }
    }

    /// `flattenKeys(obj)`: every leaf path (`a.b`, `list.0`) of an object, in order.
    static func flattenKeys(_ object: JSONObject, prefix: String = "") -> [String] {
        var keys: [String] = []
        for (k, v) in object {
            let path = prefix.isEmpty ? k : "\(prefix).\(k)"
            switch v {
            case .object(let o) where !o.isEmpty:
                keys += flattenKeys(o, prefix: path)
            case .array(let a) where !a.isEmpty:
                var indexed = JSONObject()
                for (i, e) in a.enumerated() { indexed[String(i)] = e }
                keys += flattenKeys(indexed, prefix: path)
            default:
                keys.append(path)
            }
        }
        return keys
    }

    /// lodash `pick(object, paths)`.
    static func pick(_ object: JSONObject, _ paths: [String]) -> JSONObject {
        var result = JSONObject()
        for path in paths {
            if let v = FieldPath.get(.object(object), path) { FieldPath.set(&result, path, v) }
        }
        return result
    }

    /// A canonical text of a value (object keys sorted) for equality grouping (lodash `isEqual`).
    static func canonical(_ v: JSONValue?) -> String {
        guard let v else { return "u" }
        switch v {
        case .object(let o):
            return "{" + o.keys.sorted().map { "\($0.debugDescription):\(canonical(o[$0]))" }.joined(separator: ",") + "}"
        case .array(let a):
            return "[" + a.map { canonical($0) }.joined(separator: ",") + "]"
        case .number(let n):
            return n.isNaN ? "NaN" : JSNumberFormatting.string(n)
        default:
            return v.jsonString()
        }
    }
}
