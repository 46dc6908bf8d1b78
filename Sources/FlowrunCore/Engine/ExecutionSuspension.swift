public import FlowrunExpressions
import Synchronization

/// Thrown by a node to put the execution to wait (n8n's `putExecutionToWait`): the node's input is
/// recorded as its output, the execution ends with status `waiting` and `ExecutionResult.waiting`
/// holds the state to resume from (`ExecutionState.resumingWait(with:)`).
///
/// The Wait node throws it to resume on a webhook call (`/webhook-waiting/<execution id>`), with
/// `waitTill` set when the wait time is limited.
public struct ExecutionSuspension: Error, Sendable, Hashable, CustomStringConvertible {
    /// When the execution resumes by itself, in milliseconds since 1970; nil: only on a call.
    public var waitTill: Double?

    public init(waitTill: Double?) {
        self.waitTill = waitTill
    }

    public var description: String { "the execution was put to wait" }
}

extension ExecutionState {
    /// Where a waiting execution stopped: the node that put it to wait, which runs again (passing
    /// its new input through) when the execution resumes.
    public struct Suspension: Sendable, Hashable {
        public var node: String
        /// Milliseconds since 1970 when it resumes by itself; nil: only on a webhook call.
        public var waitTill: Double?

        public init(node: String, waitTill: Double?) {
            self.node = node
            self.waitTill = waitTill
        }

        var jsonValue: JSONValue {
            var o: JSONObject = ["node": .string(node)]
            if let waitTill { o["waitTill"] = .number(waitTill) }
            return .object(o)
        }

        init?(jsonValue value: JSONValue?) {
            guard let node = value?["node"]?.stringValue else { return nil }
            self.init(node: node, waitTill: value?["waitTill"]?.numberValue)
        }
    }
}

/// Carries a node's suspension request from `Engine.RunContext.invoke` to the run loop.
final class SuspensionSlot: Sendable {
    private let value = Mutex<ExecutionSuspension?>(nil)

    func put(_ suspension: ExecutionSuspension) { value.withLock { $0 = suspension } }

    func take() -> ExecutionSuspension? { value.withLock { v in defer { v = nil }; return v } }
}
