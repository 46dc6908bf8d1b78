public import FlowrunExpressions

/// Jest's `toEqual` over JSON: deep, arrays in order, object key order ignored, numbers by value.
public enum TestComparison {
    /// The path of the first difference (`[0][2].json.name`), nil when equal.
    public static func firstDifference(expected: JSONValue, actual: JSONValue, path: String = "") -> String? {
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            for (key, value) in e {
                guard let other = a[key] else { return "\(path).\(key) (missing)" }
                if let d = firstDifference(expected: value, actual: other, path: "\(path).\(key)") { return d }
            }
            for key in a.keys where e[key] == nil { return "\(path).\(key) (unexpected)" }
            return nil
        case (.array(let e), .array(let a)):
            if e.count != a.count { return "\(path.isEmpty ? "(root)" : path) (\(e.count) expected, \(a.count) actual)" }
            for i in e.indices {
                if let d = firstDifference(expected: e[i], actual: a[i], path: "\(path)[\(i)]") { return d }
            }
            return nil
        case (.number(let x), .number(let y)):
            return x == y || (x.isNaN && y.isNaN) ? nil : (path.isEmpty ? "(root)" : path)
        default:
            return expected == actual ? nil : (path.isEmpty ? "(root)" : path)
        }
    }
}
