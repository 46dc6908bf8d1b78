/// A JMESPath evaluator (jmespath.org specification) for n8n's `$jmespath(data, query)`.
enum JMESPath {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// A compiled query.
    struct Expression: Sendable {
        let root: Node

        func search(_ data: JSONValue) throws -> JSONValue {
            var budget = 1_000_000
            return try Interpreter.evaluate(root, data, &budget)
        }
    }

    static func compile(_ query: String) throws -> Expression {
        var parser = try QueryParser(query)
        let root = try parser.expression(0)
        guard case .eof = parser.current.kind else { throw Failure(message: "Unexpected token: \(parser.current.text)") }
        return Expression(root: root)
    }

    indirect enum Node: Sendable {
        case field(String)
        case current
        case literal(JSONValue)
        case index(Int)
        case slice(Int?, Int?, Int?)
        case subexpression(Node, Node)
        case indexExpression(Node, Node)
        case projection(Node, Node)
        case valueProjection(Node, Node)
        case filterProjection(Node, Node, Node)
        case flatten(Node)
        case comparator(String, Node, Node)
        case or(Node, Node)
        case and(Node, Node)
        case not(Node)
        case pipe(Node, Node)
        case multiSelectList([Node])
        case multiSelectHash([(String, Node)])
        case function(String, [Node])
        case expressionReference(Node)
    }
}
