public import FlowrunCore
public import FlowrunExpressions

/// One execution to run: which workflow, from which node, with which items.
public struct ExecutionJob: Sendable {
    public var executionID: String
    public var workflow: LoadedWorkflow
    public var startNode: String
    public var input: [Item]
    public var mode: ExecutionMode
    /// Continue a recorded execution from this state instead of starting it (a Wait node resumed).
    public var resume: ExecutionState?

    public init(executionID: String, workflow: LoadedWorkflow, startNode: String, input: [Item], mode: ExecutionMode) {
        self.executionID = executionID
        self.workflow = workflow
        self.startNode = startNode
        self.input = input
        self.mode = mode
    }

    /// The engine options the job runs with.
    public var runOptions: Engine.RunOptions {
        Engine.RunOptions(mode: mode, startNode: startNode, input: input, executionID: executionID, resume: resume)
    }
}

/// A started execution: await its end with `result()`.
public protocol ExecutionTicket: Sendable {
    var executionID: String { get }
    /// The finished execution (waits for it).
    func result() async -> ExecutionResult
    /// Returns once the execution's record is durable; a webhook answers (any response mode) only
    /// after it. Throws when the record was not written (the webhook answers 503).
    func recorded() async throws
}

extension ExecutionTicket {
    /// Tickets whose `submit` returned after the record committed.
    public func recorded() async throws {}
}

/// Where triggers hand executions: in this process (`InProcessDispatcher`), or, in queue mode, a
/// queue that workers consume. Webhook responses travel through `responder` in both.
public protocol ExecutionDispatcher: Sendable {
    /// Accepts `job`; returns once it is accepted (not finished).
    ///
    /// - Parameter responder: receives the Respond to Webhook answer (nil for schedules).
    /// - Throws: `DispatchError` when no more executions are accepted (shutting down).
    func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket
}

/// Why an execution was not accepted; the webhook answers 503 with the message.
public struct DispatchError: Error, CustomStringConvertible {
    public var description: String
    /// The message a webhook caller gets (no internals).
    public var publicMessage: String

    public init(description: String, publicMessage: String) {
        self.description = description
        self.publicMessage = publicMessage
    }

    public static let shuttingDown = DispatchError(
        description: "the server is shutting down and accepts no new executions", publicMessage: "The server is shutting down")

    /// The execution's record could not be written, so it is not started.
    public static func notRecorded(_ executionID: String, _ error: any Error) -> DispatchError {
        DispatchError(description: "execution \(executionID): not recorded in the execution store: \(error)",
                      publicMessage: "The execution could not be recorded; try again later")
    }
}
