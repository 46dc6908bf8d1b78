/// Why a Code task failed: the user's code (with n8n's message), or the runner around it.
///
/// `message` is n8n's text where n8n has one ("A 'json' property isn't an object [item 0]"), so
/// continue-on-fail and error outputs carry the same `error` string as n8n.
public struct TaskRunnerError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure, fit for a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case userCode, validation, timeLimit, memoryLimit, runnerCrashed, runtimeUnavailable, protocolViolation
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        public var description: String { kind.rawValue }

        /// The code threw, or used a global wrongly (`$('X')` of an unknown node).
        public static let userCode = Code(.userCode)
        /// The code returned something n8n does not accept as items.
        public static let validation = Code(.validation)
        /// The task ran longer than the per-task time limit; the runner was replaced.
        public static let timeLimit = Code(.timeLimit)
        /// The runner ran out of its memory limit; it was replaced.
        public static let memoryLimit = Code(.memoryLimit)
        /// The runner process died during the task; it was replaced.
        public static let runnerCrashed = Code(.runnerCrashed)
        /// node or python3 (or the runner programs) could not be found or started.
        public static let runtimeUnavailable = Code(.runtimeUnavailable)
        /// The runner sent something the protocol does not allow.
        public static let protocolViolation = Code(.protocolViolation)
    }

    public var code: Code
    /// n8n's message (user-facing).
    public var message: String
    /// n8n's longer description, when it has one.
    public var errorDescription: String?
    /// The input item the error is about, when known.
    public var itemIndex: Int?
    /// The line of user code, when known.
    public var lineNumber: Int?
    /// Details for debugging (runner stack, stderr); may contain item data, never shown by `description`.
    public var details: String?

    public init(
        _ code: Code, _ message: String, description: String? = nil, itemIndex: Int? = nil,
        lineNumber: Int? = nil, details: String? = nil
    ) {
        self.code = code
        self.message = message
        self.errorDescription = description
        self.itemIndex = itemIndex
        self.lineNumber = lineNumber
        self.details = details
    }

    public var description: String { message }
    public var debugDescription: String {
        var text = "\(code): \(message)"
        if let errorDescription { text += " (\(errorDescription))" }
        if let details { text += "\n\(details)" }
        return text
    }
}

extension TaskRunnerError: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
