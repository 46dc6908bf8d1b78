/// Placeholder until the JMESPath evaluator lands.
enum JMESPath {
    struct Failure: Error { var message: String }
    struct Expression {
        func search(_ data: JSONValue) throws -> JSONValue { throw Failure(message: "JMESPath is not available") }
    }
    static func compile(_ query: String) throws -> Expression { Expression() }
}
