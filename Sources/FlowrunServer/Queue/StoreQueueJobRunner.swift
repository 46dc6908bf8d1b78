public import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
public import Logging
import Synchronization

/// A worker's way of running a queued execution, with the shared Postgres store as the source of
/// truth: the record written by the main process says what to run; an execution that already ended
/// is not run again (a second delivery is a no-op); one started before by a worker that died is
/// resumed from its last checkpoint (or run again from the start when it has none).
public struct StoreQueueJobRunner: QueueJobRunner {
    let workflows: @Sendable (String) -> LoadedWorkflow?
    let store: any ExecutionStore
    let engine: Engine
    let ownerID: String?
    let logger: Logger

    /// - Parameters:
    ///   - workflows: the loaded workflow for a job's key (the worker's `WorkflowSet`).
    ///   - engine: configured with the runtime's services and observers (the execution recorder).
    ///   - ownerID: this process's owner id in the store (the recorder's lease).
    public init(
        workflows: @escaping @Sendable (String) -> LoadedWorkflow?, store: any ExecutionStore, engine: Engine, ownerID: String?,
        logger: Logger
    ) {
        self.workflows = workflows
        self.store = store
        self.engine = engine
        self.ownerID = ownerID
        self.logger = logger
    }

    public func run(_ job: QueueJob, reclaimed: Bool) async throws -> JSONValue? {
        guard let record = try await store.execution(id: job.executionID) else {
            logger.warning("Queued execution has no record; dropped", metadata: ["flowrun.execution.id": "\(job.executionID)"])
            return nil
        }
        guard record.status.isUnfinished else { return nil }
        // Whoever takes it first runs it: a duplicate delivery or a crash-recovery pass loses here.
        let now = Date().timeIntervalSince1970 * 1000
        guard try await store.takeOver(executionID: job.executionID, from: record.ownerID, to: ownerID, status: .running, at: now) else {
            return nil
        }
        guard let workflow = workflows(job.workflowKey) else {
            let failure: JSONValue = ["code": "invalidStart", "message": .string("no workflow \"\(job.workflowKey)\" is loaded by this worker")]
            try await store.finishExecution(id: job.executionID, status: .error, stoppedAt: now, error: failure)
            return ["executionId": .string(job.executionID), "status": "error",
                    "error": ["code": "invalidStart", "message": .string("no workflow \"\(job.workflowKey)\" is loaded by this worker")]]
        }
        var options = Engine.RunOptions(mode: ExecutionMode(record.mode), startNode: record.startNode,
                                        input: record.triggerInput?.arrayValue.map { $0.map(Item.init(jsonValue:)) },
                                        executionID: job.executionID)
        if record.lastNode != nil, let checkpoint = try await store.checkpoint(executionID: job.executionID) {
            let runData = try await Runtime.runData(store, executionID: job.executionID)
            options.resume = try ExecutionState(checkpoint: checkpoint, runData: runData)
            logger.info("Resuming a queued execution from its checkpoint", metadata: ["flowrun.execution.id": "\(job.executionID)"])
        }
        let responder = CapturingResponder(requestMethod: job.requestMethod ?? "POST")
        let result = await WebhookResponding.$current.withValue(responder) {
            await engine.run(workflow.graph, options: options)
        }
        return QueueReply(result: result, response: responder.response).jsonValue
    }
}

/// Keeps the first Respond to Webhook answer of an execution run by a worker, to send it back.
final class CapturingResponder: WebhookResponder {
    let requestMethod: String
    private let captured = Mutex<WebhookResponse?>(nil)

    init(requestMethod: String) { self.requestMethod = requestMethod }

    func respond(_ response: WebhookResponse) async -> Bool {
        captured.withLock { current in
            guard current == nil else { return false }
            current = response
            return true
        }
    }

    var response: WebhookResponse? { captured.withLock { $0 } }
}
