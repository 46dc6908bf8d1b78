extension ExpressionConformance {
    /// What a case expects.
    struct Expectation: CustomStringConvertible {
        enum Kind {
            case value(JSONValue, type: String?)
            case error(String)
            case oneOf([JSONValue])
        }

        var kind: Kind

        init(_ object: JSONObject) {
            if let error = object["expected_error"] {
                kind = .error(error.stringValue ?? "*")
            } else if case .array(let options)? = object["expected_one_of"] {
                kind = .oneOf(options)
            } else {
                kind = .value(object["expected"] ?? .null, type: object["expected_type"]?.stringValue)
            }
        }

        var description: String {
            switch kind {
            case .value(let v, let type?): return "\(type) \(v.jsonString())"
            case .value(let v, nil): return v.jsonString()
            case .error(let text): return text == "*" ? "an error" : "error containing \"\(text)\""
            case .oneOf(let options): return "one of \(JSONValue.array(options).jsonString())"
            }
        }

        func matches(_ outcome: Result<JSValue, any Error>) -> Bool {
            switch (kind, outcome) {
            case (.error(let text), .failure(let error)):
                return text == "*" || "\(error)".contains(text)
            case (.error, .success), (.value, .failure), (.oneOf, .failure):
                return false
            case (.oneOf(let options), .success(let value)):
                return options.contains { Expectation.equal(value, $0) }
            case (.value(let expected, let type), .success(let value)):
                switch type {
                case "undefined": return value.isUndefined
                case "NaN": if case .number(let n) = value { return n.isNaN } else { return false }
                case "Infinity":
                    if case .number(let n) = value, n.isInfinite { return (expected.numberValue ?? 1) < 0 ? n < 0 : n > 0 || expected.numberValue == nil }
                    return false
                case "DateTime":
                    if case .dateTime(let dt) = value { return dt.toISO() == expected.stringValue }
                    return false
                case "Date":
                    if case .date(let d) = value { return ExtensionValue.isoString(ms: d.milliseconds) == expected.stringValue }
                    return false
                default:
                    return Expectation.equal(value, expected)
                }
            }
        }

        /// Deep equality of a result with expected JSON (key order ignored; undefined is not null).
        static func equal(_ value: JSValue, _ expected: JSONValue) -> Bool {
            if value.isUndefined { return false }
            guard let json = value.toJSONOrNil() else { return false }
            return jsonEqual(json, expected)
        }

        static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case let (.object(x), .object(y)):
                guard x.count == y.count else { return false }
                return x.allSatisfy { key, value in y[key].map { jsonEqual(value, $0) } ?? false }
            case let (.array(x), .array(y)):
                return x.count == y.count && zip(x, y).allSatisfy(jsonEqual)
            default:
                return a == b
            }
        }
    }
}
