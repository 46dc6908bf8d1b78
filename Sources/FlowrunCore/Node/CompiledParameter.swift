public import FlowrunExpressions

/// A parameter value with every expression string inside it compiled: what `getNodeParameter`
/// resolves in n8n (expressions anywhere in a nested value are evaluated).
public indirect enum CompiledParameter: Sendable {
    /// A value without expressions.
    case literal(JSONValue)
    /// A string starting with `=`.
    case expression(ParameterExpression)
    /// A string starting with `=` that does not compile; evaluating it throws this error.
    case invalid(source: String, ExpressionSyntaxError)
    /// An object with at least one expression inside.
    case object([(String, CompiledParameter)])
    /// An array with at least one expression inside.
    case array([CompiledParameter])

    /// Compiles every expression string in `value`.
    public init(_ value: JSONValue) {
        switch value {
        case .string(let s) where s.hasPrefix("="):
            do {
                self = .expression(try ParameterExpression(parsing: s))
            } catch {
                self = .invalid(source: s, error)
            }
        case .object(let o):
            let members = o.map { ($0.key, CompiledParameter($0.value)) }
            if members.allSatisfy({ $0.1.isLiteral }) {
                self = .literal(value)
            } else {
                self = .object(members)
            }
        case .array(let a):
            let elements = a.map(CompiledParameter.init)
            self = elements.allSatisfy(\.isLiteral) ? .literal(value) : .array(elements)
        default:
            self = .literal(value)
        }
    }

    /// Whether the value holds no expression.
    public var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }

    /// Resolves every expression for one item; nil when the whole value is `undefined`.
    /// Members whose expression is `undefined` are left out, as JSON would.
    public func resolve(itemIndex: Int, in context: ExecutionContext, path: String) throws -> JSONValue? {
        switch self {
        case .literal(let v):
            return v
        case .expression(let e):
            return try context.evaluate(e, itemIndex: itemIndex, parameter: path)
        case .invalid(_, let error):
            throw NodeError(.expression, "\(error)", node: context.nodeName, parameter: path, itemIndex: itemIndex)
        case .object(let members):
            var o = JSONObject()
            for (key, member) in members {
                if let v = try member.resolve(itemIndex: itemIndex, in: context, path: path.isEmpty ? key : "\(path).\(key)") {
                    o[key] = v
                }
            }
            return .object(o)
        case .array(let elements):
            var a: [JSONValue] = []
            a.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                a.append(try element.resolve(itemIndex: itemIndex, in: context, path: "\(path)[\(i)]") ?? .null)
            }
            return .array(a)
        }
    }
}
