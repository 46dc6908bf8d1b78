/// An expression failed while being evaluated: n8n's `ExpressionError` family.
///
/// Plain JavaScript runtime errors (reading a property of `undefined`…) never surface as this:
/// n8n swallows them and the block yields `undefined`. What does surface: syntax errors found
/// late, extension errors, data-proxy errors (unknown node, unexecuted node, paired items),
/// sandbox violations and budget exhaustion.
public struct ExpressionError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, fit for a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, extensionFunction, dataProxy, security, budget, runtime
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let syntax = Code(.syntax)
        public static let extensionFunction = Code(.extensionFunction)
        public static let dataProxy = Code(.dataProxy)
        public static let security = Code(.security)
        public static let budget = Code(.budget)
        /// An error the expression threw itself (`throw new Error(...)` escaping a block).
        public static let runtime = Code(.runtime)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// n8n's message, e.g. `Referenced node doesn't exist`.
    public var message: String
    /// n8n's hint or description, if any.
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}

extension ExpressionError: Equatable {
    public static func == (lhs: ExpressionError, rhs: ExpressionError) -> Bool { lhs.code == rhs.code }
}
