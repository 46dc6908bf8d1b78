/// One workflow parameter value, compiled once when the workflow loads and evaluated per item.
///
/// A string is an expression only when it starts with `=`; the rest is a template of literal
/// text and `{{ code }}` blocks. A lone block keeps its value's type; anything else is text.
///
/// Immutable, and a class so that handing it to an evaluation (once per item) costs one retain
/// rather than one per field of the compiled template.
public final class ParameterExpression: Sendable {
    /// The parameter as written (with the leading `=`).
    public let source: String
    /// Whether the parameter is an expression (starts with `=`); otherwise it evaluates to itself.
    public var isExpression: Bool { source.hasPrefix("=") }
    /// Node names referenced statically by `$('X')`, `$node["X"]`, `$node.X`, `$items("X")`, in
    /// order of appearance, for load-time validation.
    public let referencedNodes: [String]

    let template: CompiledTemplate

    /// Parses and compiles a parameter value.
    ///
    /// - Throws: `ExpressionSyntaxError` naming line and column in `parameter`.
    public init(parsing parameter: String) throws(ExpressionSyntaxError) {
        self.source = parameter
        let compiled = try CompiledTemplate(parameter: parameter)
        self.template = compiled
        self.referencedNodes = compiled.referencedNodes
    }

    /// Evaluates the expression for one item.
    ///
    /// - Throws: `ExpressionError` for failures n8n reports (data-proxy, extension, security,
    ///   budget); JavaScript runtime errors inside a block yield `undefined` instead.
    package func evaluate(in context: EvaluationContext) throws(ExpressionError) -> JSValue {
        try template.evaluate(in: context)
    }

    /// Evaluates the expression for one item and converts the result to JSON (nil for `undefined`).
    public func evaluateJSON(in context: EvaluationContext) throws(ExpressionError) -> JSONValue? {
        let value = try template.evaluate(in: context)
        if case .undefined = value { return nil }
        return value.toJSON()
    }
}

