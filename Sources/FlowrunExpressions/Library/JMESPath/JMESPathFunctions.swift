import Foundation

extension JMESPath {
    /// The built-in functions of the specification.
    enum Functions {
        static func typeName(_ v: JSONValue) -> String {
            switch v {
            case .null: return "null"
            case .bool: return "boolean"
            case .number: return "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }

        static func invalidType(_ name: String, _ expected: String, _ got: JSONValue) -> Failure {
            Failure(message: "TypeError: \(name)() expected argument to be type \(expected) but received type \(typeName(got)) instead.")
        }

        static func number(_ v: JSONValue, _ name: String) throws -> Double {
            guard case .number(let n) = v else { throw invalidType(name, "number", v) }
            return n
        }

        static func array(_ v: JSONValue, _ name: String) throws -> [JSONValue] {
            guard case .array(let a) = v else { throw invalidType(name, "array", v) }
            return a
        }

        static func string(_ v: JSONValue, _ name: String) throws -> String {
            guard case .string(let s) = v else { throw invalidType(name, "string", v) }
            return s
        }

        static func toStringValue(_ v: JSONValue) -> String {
            if case .string(let s) = v { return s }
            return v.jsonString()
        }

        static func arity(_ name: String, _ args: [Node], _ count: Int) throws {
            guard args.count == count else {
                throw Failure(message: "ArgumentError: \(name)() takes \(count) argument(s) but received \(args.count)")
            }
        }

        static func call(_ name: String, _ args: [Node], _ current: JSONValue, _ budget: inout Int) throws -> JSONValue {
            func value(_ i: Int) throws -> JSONValue { try Interpreter.evaluate(args[i], current, &budget) }
            func reference(_ i: Int) throws -> Node {
                guard case .expressionReference(let inner) = args[i] else { throw Failure(message: "TypeError: \(name)() expected an expression reference") }
                return inner
            }
            switch name {
            case "abs": try arity(name, args, 1); return .number(Swift.abs(try number(try value(0), name)))
            case "ceil": try arity(name, args, 1); return .number(try number(try value(0), name).rounded(.up))
            case "floor": try arity(name, args, 1); return .number(try number(try value(0), name).rounded(.down))
            case "length":
                try arity(name, args, 1)
                switch try value(0) {
                case .string(let s): return .number(Double(s.unicodeScalars.count))
                case .array(let a): return .number(Double(a.count))
                case .object(let o): return .number(Double(o.count))
                case let other: throw invalidType(name, "string|array|object", other)
                }
            case "keys":
                try arity(name, args, 1)
                guard case .object(let o) = try value(0) else { throw invalidType(name, "object", try value(0)) }
                return .array(o.keys.map(JSONValue.string))
            case "values":
                try arity(name, args, 1)
                guard case .object(let o) = try value(0) else { throw invalidType(name, "object", try value(0)) }
                return .array(Array(o.values))
            case "type": try arity(name, args, 1); return .string(typeName(try value(0)))
            case "to_string": try arity(name, args, 1); return .string(toStringValue(try value(0)))
            case "to_number":
                try arity(name, args, 1)
                switch try value(0) {
                case .number(let n): return .number(n)
                case .string(let s): return Double(s).map(JSONValue.number) ?? .null
                default: return .null
                }
            case "to_array":
                try arity(name, args, 1)
                let v = try value(0)
                if case .array = v { return v }
                return .array([v])
            case "not_null":
                for i in args.indices { let v = try value(i); if v != .null { return v } }
                return .null
            case "contains":
                try arity(name, args, 2)
                let subject = try value(0)
                let search = try value(1)
                switch subject {
                case .array(let a): return .bool(a.contains { Interpreter.equal($0, search) })
                case .string(let s):
                    guard case .string(let needle) = search else { return .bool(false) }
                    return .bool(s.contains(needle))
                default: throw invalidType(name, "array|string", subject)
                }
            case "starts_with":
                try arity(name, args, 2)
                return .bool(try string(try value(0), name).hasPrefix(try string(try value(1), name)))
            case "ends_with":
                try arity(name, args, 2)
                return .bool(try string(try value(0), name).hasSuffix(try string(try value(1), name)))
            case "join":
                try arity(name, args, 2)
                let separator = try string(try value(0), name)
                return .string(try array(try value(1), name).map { try string($0, name) }.joined(separator: separator))
            case "reverse":
                try arity(name, args, 1)
                switch try value(0) {
                case .string(let s): return .string(String(s.reversed()))
                case .array(let a): return .array(a.reversed())
                case let other: throw invalidType(name, "string|array", other)
                }
            case "sum":
                try arity(name, args, 1)
                return .number(try array(try value(0), name).reduce(0) { $0 + (try number($1, name)) })
            case "avg":
                try arity(name, args, 1)
                let a = try array(try value(0), name)
                if a.isEmpty { return .null }
                return .number(try a.reduce(0) { $0 + (try number($1, name)) } / Double(a.count))
            case "max", "min":
                try arity(name, args, 1)
                let a = try array(try value(0), name)
                guard let first = a.first else { return .null }
                if case .number = first {
                    let numbers = try a.map { try number($0, name) }
                    return .number(name == "max" ? numbers.max()! : numbers.min()!)
                }
                let strings = try a.map { try string($0, name) }
                return .string(name == "max" ? strings.max()! : strings.min()!)
            case "sort":
                try arity(name, args, 1)
                let a = try array(try value(0), name)
                if a.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                    return .array(try a.map { try number($0, name) }.sorted().map(JSONValue.number))
                }
                return .array(try a.map { try string($0, name) }.sorted().map(JSONValue.string))
            case "sort_by", "max_by", "min_by":
                try arity(name, args, 2)
                let a = try array(try value(0), name)
                let key = try reference(1)
                let keyed = try a.map { ($0, try Interpreter.evaluate(key, $0, &budget)) }
                if keyed.isEmpty { return name == "sort_by" ? .array([]) : .null }
                let numeric = keyed.allSatisfy { if case .number = $0.1 { return true } else { return false } }
                let textual = keyed.allSatisfy { if case .string = $0.1 { return true } else { return false } }
                guard numeric || textual else { throw Failure(message: "TypeError: \(name)() keys must all be numbers or all be strings") }
                func less(_ x: (JSONValue, JSONValue), _ y: (JSONValue, JSONValue)) -> Bool {
                    switch (x.1, y.1) {
                    case let (.number(p), .number(q)): return p < q
                    case let (.string(p), .string(q)): return p < q
                    default: return false
                    }
                }
                switch name {
                case "sort_by":
                    return .array(keyed.enumerated().sorted { less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset) }.map(\.element.0))
                case "max_by": return keyed.max(by: less)!.0
                default: return keyed.min(by: less)!.0
                }
            case "map":
                try arity(name, args, 2)
                let key = try reference(0)
                return .array(try array(try value(1), name).map { try Interpreter.evaluate(key, $0, &budget) })
            case "merge":
                var out = JSONObject()
                for i in args.indices {
                    guard case .object(let o) = try value(i) else { throw invalidType(name, "object", try value(i)) }
                    for (k, v) in o { out[k] = v }
                }
                return .object(out)
            default:
                throw Failure(message: "Unknown function: \(name)()")
            }
        }
    }
}
