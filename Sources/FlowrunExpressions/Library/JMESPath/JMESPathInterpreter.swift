import Foundation

extension JMESPath {
    enum Interpreter {
        static func isFalse(_ v: JSONValue) -> Bool {
            switch v {
            case .null: return true
            case .bool(let b): return !b
            case .string(let s): return s.isEmpty
            case .array(let a): return a.isEmpty
            case .object(let o): return o.isEmpty
            case .number: return false
            }
        }

        static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
            switch (a, b) {
            case let (.object(x), .object(y)):
                return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
            case let (.array(x), .array(y)):
                return x.count == y.count && zip(x, y).allSatisfy(equal)
            default:
                return a == b
            }
        }

        static func evaluate(_ node: Node, _ value: JSONValue, _ budget: inout Int) throws -> JSONValue {
            budget -= 1
            guard budget > 0 else { throw Failure(message: "JMESPath query exceeded its step budget") }
            switch node {
            case .field(let name):
                if case .object(let o) = value { return o[name] ?? .null }
                return .null
            case .current:
                return value
            case .literal(let v):
                return v
            case .index(let i):
                guard case .array(let a) = value else { return .null }
                let index = i < 0 ? a.count + i : i
                return index >= 0 && index < a.count ? a[index] : .null
            case .slice(let start, let stop, let step):
                guard case .array(let a) = value else { return .null }
                return .array(slice(a, start, stop, step ?? 1))
            case .subexpression(let l, let r):
                return try evaluate(r, try evaluate(l, value, &budget), &budget)
            case .indexExpression(let l, let r):
                return try evaluate(r, try evaluate(l, value, &budget), &budget)
            case .projection(let l, let r):
                guard case .array(let base) = try evaluate(l, value, &budget) else { return .null }
                var out: [JSONValue] = []
                for element in base {
                    let v = try evaluate(r, element, &budget)
                    if v != .null { out.append(v) }
                }
                return .array(out)
            case .valueProjection(let l, let r):
                guard case .object(let base) = try evaluate(l, value, &budget) else { return .null }
                var out: [JSONValue] = []
                for element in base.values {
                    let v = try evaluate(r, element, &budget)
                    if v != .null { out.append(v) }
                }
                return .array(out)
            case .filterProjection(let l, let r, let condition):
                guard case .array(let base) = try evaluate(l, value, &budget) else { return .null }
                var out: [JSONValue] = []
                for element in base where !isFalse(try evaluate(condition, element, &budget)) {
                    let v = try evaluate(r, element, &budget)
                    if v != .null { out.append(v) }
                }
                return .array(out)
            case .flatten(let inner):
                guard case .array(let base) = try evaluate(inner, value, &budget) else { return .null }
                var out: [JSONValue] = []
                for element in base {
                    if case .array(let nested) = element { out.append(contentsOf: nested) } else { out.append(element) }
                }
                return .array(out)
            case .comparator(let op, let l, let r):
                let a = try evaluate(l, value, &budget)
                let b = try evaluate(r, value, &budget)
                switch op {
                case "==": return .bool(equal(a, b))
                case "!=": return .bool(!equal(a, b))
                default:
                    guard case .number(let x) = a, case .number(let y) = b else { return .null }
                    switch op {
                    case "<": return .bool(x < y)
                    case "<=": return .bool(x <= y)
                    case ">": return .bool(x > y)
                    default: return .bool(x >= y)
                    }
                }
            case .or(let l, let r):
                let a = try evaluate(l, value, &budget)
                return isFalse(a) ? try evaluate(r, value, &budget) : a
            case .and(let l, let r):
                let a = try evaluate(l, value, &budget)
                return isFalse(a) ? a : try evaluate(r, value, &budget)
            case .not(let inner):
                return .bool(isFalse(try evaluate(inner, value, &budget)))
            case .pipe(let l, let r):
                return try evaluate(r, try evaluate(l, value, &budget), &budget)
            case .multiSelectList(let items):
                if value == .null { return .null }
                return .array(try items.map { try evaluate($0, value, &budget) })
            case .multiSelectHash(let pairs):
                if value == .null { return .null }
                var out = JSONObject()
                for (k, n) in pairs { out[k] = try evaluate(n, value, &budget) }
                return .object(out)
            case .function(let name, let args):
                return try Functions.call(name, args, value, &budget)
            case .expressionReference:
                throw Failure(message: "invalid-type: expression references are only valid as function arguments")
            }
        }

        static func slice(_ a: [JSONValue], _ start: Int?, _ stop: Int?, _ step: Int) -> [JSONValue] {
            let n = a.count
            func adjust(_ v: Int?, _ defaultValue: Int) -> Int {
                guard let v else { return defaultValue }
                if v < 0 { return Swift.max(v + n, step < 0 ? -1 : 0) }
                return Swift.min(v, step < 0 ? n - 1 : n)
            }
            let s = adjust(start, step < 0 ? n - 1 : 0)
            let e = adjust(stop, step < 0 ? -1 : n)
            var out: [JSONValue] = []
            var i = s
            if step > 0 {
                while i < e { out.append(a[i]); i += step }
            } else {
                while i > e { if i >= 0 && i < n { out.append(a[i]) }; i += step }
            }
            return out
        }
    }
}
