public import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunPostgres
import FlowrunRuntime
import Foundation
public import Logging
import Synchronization

/// A worker's way of running a queued execution, with the shared Postgres store as the source of
/// truth: the record written by the main process says what to run; an execution that already ended
/// is not run again (a second delivery resends its reply); one run by a live worker is left to it;
/// one started by a worker that died is taken over (compare-and-set on its owner) and resumed from
/// its last checkpoint, or run from the start when it has none.
public struct StoreQueueJobRunner: QueueJobRunner {
    let workflows: @Sendable (String) -> LoadedWorkflow?
    let store: any ExecutionStore
    let engineConfiguration: Engine.Configuration
    let ownerID: String?
    let isOwnerAlive: @Sendable (String) async throws -> Bool
    let logger: Logger

    /// - Parameters:
    ///   - workflows: the loaded workflow for a job's key (the worker's `WorkflowSet`).
    ///   - engineConfiguration: the runtime's services and observers (the execution recorder);
    ///     each job gets its own logger metadata and sub-workflows next to its file.
    ///   - ownerID: this process's owner id in the store (the recorder's lease).
    ///   - isOwnerAlive: whether the worker recording as an owner id still beats
    ///     (`RedisExecutionQueue.ownerAlive`).
    public init(
        workflows: @escaping @Sendable (String) -> LoadedWorkflow?, store: any ExecutionStore, engineConfiguration: Engine.Configuration,
        ownerID: String?, isOwnerAlive: @escaping @Sendable (String) async throws -> Bool, logger: Logger
    ) {
        self.workflows = workflows
        self.store = store
        self.engineConfiguration = engineConfiguration
        self.ownerID = ownerID
        self.isOwnerAlive = isOwnerAlive
        self.logger = logger
    }

    public func run(_ job: QueueJob, reclaimed: Bool) async throws -> QueueOutcome {
        let record: ExecutionRecord
        var checkpoint: JSONValue?
        // The common case in one statement: nobody owns it yet (or any more), so this worker takes
        // it and the record comes back with the change.
        if let ownerID, let postgres = store as? PostgresStateStore,
           let claimed = try await postgres.claimUnowned(executionID: job.executionID, owner: ownerID, resumingWait: job.resumeItems != nil) {
            record = claimed.record
            checkpoint = claimed.checkpoint
        } else {
            switch try await claim(job) {
            case .claimed(let found):
                record = found
                if found.lastNode != nil { checkpoint = try await store.checkpoint(executionID: job.executionID) }
            case .outcome(let outcome):
                return outcome
            }
        }
        let now = Date().timeIntervalSince1970 * 1000
        guard let workflow = workflows(job.workflowKey) else {
            let message = "no workflow \"\(job.workflowKey)\" is loaded by this worker"
            try await store.finishExecution(id: job.executionID, status: .error, stoppedAt: now,
                                            error: ["code": "invalidStart", "message": .string(message)])
            return .finished(reply: QueueReply.failure(executionID: job.executionID, code: "invalidStart", message: message).jsonValue)
        }
        let mode = ExecutionMode(record.mode)
        var options = Engine.RunOptions(mode: mode, startNode: record.startNode,
                                        input: record.triggerInput?.arrayValue.map { $0.map(Item.init(jsonValue:)) },
                                        executionID: job.executionID)
        if record.lastNode != nil, let checkpoint {
            let runData = try await Runtime.runData(store, executionID: job.executionID)
            var state = try ExecutionState(checkpoint: checkpoint, runData: runData)
            // A resume of a waiting execution: its Wait node outputs the job's items. A resume whose
            // worker died mid-run has a newer checkpoint without a suspension and just continues.
            if state.suspension != nil, let items = job.resumeItems {
                state = try state.resumingWait(with: items.map(Item.init(jsonValue:)))
            }
            options.resume = state
            logger.info("Resuming a queued execution from its checkpoint", metadata: ["flowrun.execution.id": "\(job.executionID)"])
        }
        // Run from the start of a trigger that outputs its recorded input (a webhook): a takeover
        // gains nothing from the trigger's own checkpoint, so its run goes with the next write.
        if options.resume == nil, record.triggerInput != nil, let start = record.startNode, workflow.graph.node(start)?.isTrigger == true,
           let postgres = store as? PostgresStateStore {
            postgres.holdStartRun(executionID: job.executionID, node: start)
        }
        var configuration = engineConfiguration
        configuration.logger[metadataKey: "flowrun.execution.id"] = "\(job.executionID)"
        configuration.logger[metadataKey: "flowrun.workflow.id"] = "\(workflow.id)"
        let base = configuration
        let directory = Self.directory(of: workflow.file)
        configuration.subworkflows = FileSubworkflowRunner(registry: .builtIn, baseDirectory: directory, engineConfiguration: configuration)
        let responder = CapturingResponder(requestMethod: job.requestMethod ?? "POST")
        let engine = Engine(configuration: configuration)
        let result = await WebhookResponding.$current.withValue(responder) {
            await engine.run(workflow.graph, options: options)
        }
        configuration.logger.debug("Queued execution finished", metadata: ["flowrun.execution.status": "\(result.status.rawValue)"])
        let reply = QueueReply(result: result, response: responder.response).jsonValue
        guard result.status == .error, result.error != nil, mode != .manual, mode != .dryRun else { return .finished(reply: reply) }
        // As n8n (and `flowrun run`/`serve`) do after a failed execution: its error workflow,
        // started once the waiting request has its answer.
        let document = workflow.graph.document
        return .finished(reply: reply, then: {
            let launcher = ErrorWorkflowLauncher(configuration: .init(
                baseDirectory: directory, editorBaseURL: base.environment["FLOWRUN_EDITOR_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }))
            do {
                if let run = try await launcher.launch(after: result, of: document, mode: mode, engine: base) {
                    base.logger.info("Error workflow finished", metadata: [
                        "flowrun.error_workflow.execution.id": "\(run.executionID)", "flowrun.error_workflow.status": "\(run.status.rawValue)",
                    ])
                }
            } catch {
                base.logger.warning("Error workflow could not start", metadata: ["flowrun.error": "\(error)"])
            }
        })
    }

    private enum Claim {
        case claimed(ExecutionRecord)
        case outcome(QueueOutcome)
    }

    /// The general case: reads the record, then moves it to this worker unless it ended, waits for
    /// another job, or a live worker runs it.
    private func claim(_ job: QueueJob) async throws -> Claim {
        guard let record = try await store.execution(id: job.executionID) else {
            logger.warning("Queued execution has no record", metadata: ["flowrun.execution.id": "\(job.executionID)"])
            return .outcome(.finished(reply: QueueReply.failure(
                executionID: job.executionID, code: "notRecorded", message: "execution \(job.executionID) has no record in the store").jsonValue))
        }
        // Ended, or put to wait by an earlier delivery of this job (only a resume job continues a
        // waiting execution): the reply is sent again.
        guard record.status.isUnfinished, record.status != .waiting || job.resumeItems != nil else {
            return .outcome(.alreadyEnded(fallback: try await QueueReply.rebuilt(from: record, store: store).jsonValue))
        }
        if let owner = record.ownerID {
            let alive = try await isOwnerAlive(owner)
            if owner == ownerID || alive { return .outcome(.runningElsewhere) }
        }
        // Whoever moves it first runs it: a duplicate delivery racing this one loses here.
        let now = Date().timeIntervalSince1970 * 1000
        guard try await store.takeOver(executionID: job.executionID, from: record.ownerID, to: ownerID, status: .running, at: now) else {
            return .outcome(.runningElsewhere)
        }
        return .claimed(record)
    }

    static func directory(of file: String) -> String {
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
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
