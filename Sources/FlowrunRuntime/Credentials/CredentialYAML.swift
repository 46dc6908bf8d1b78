import FlowrunExpressions
import Yams

/// YAML credentials files into JSON values (mapping order kept; plain scalars by YAML 1.2's core
/// schema, so `no` stays a string; quoted scalars are always strings).
enum CredentialYAML {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> JSONValue {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Failure(description: "\(error)".split(separator: "\n").first.map(String.init) ?? "syntax error")
        }
        guard let root else { return .array([]) }
        return try convert(root, depth: 0)
    }

    private static func convert(_ node: Yams.Node, depth: Int) throws -> JSONValue {
        guard depth < 64 else { throw Failure(description: "nested deeper than 64 levels") }
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            return scalarValue(scalar.string)
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, depth: depth + 1) })
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let k) = key else { throw Failure(description: "a mapping key is not a scalar") }
                object[k.string] = try convert(value, depth: depth + 1)
            }
            return .object(object)
        case .alias:
            throw Failure(description: "aliases are not supported in credentials files")
        }
    }

    private static func scalarValue(_ s: String) -> JSONValue {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default:
            let numeric = s.allSatisfy { $0.isNumber || "+-.eE".contains($0) } && s.contains(where: \.isNumber)
            if numeric, let n = Double(s) { return .number(n) }
            return .string(s)
        }
    }
}
