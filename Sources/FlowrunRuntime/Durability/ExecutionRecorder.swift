public import FlowrunCore
import FlowrunExpressions
import Foundation
public import Logging
import Synchronization

/// Records executions in the store as they run: the record before the first node
/// (`accept`), each node's run with the engine checkpoint as soon as it finishes (so a crash loses
/// at most the node that was running), and the end status.
///
/// Store failures while running are logged, not thrown: the execution goes on, and crash recovery
/// or `flowrun executions show` tell what was kept.
public final class ExecutionRecorder: ExecutionObserver {
    let store: any ExecutionStore
    let lease: OwnerLease?
    let logger: Logger
    /// Node runs reported by `nodeFinished`, written with the checkpoint that follows them.
    private let pending = Mutex<[String: (node: String, record: NodeRunRecord)]>([:])

    init(store: any ExecutionStore, lease: OwnerLease?, logger: Logger) {
        self.store = store
        self.lease = lease
        self.logger = logger
    }

    /// The process's owner id, when executions are leased.
    public var ownerID: String? { lease?.owner.id }

    /// Creates the execution's record before it runs: workflow, file, mode, start node and trigger
    /// input, so it can be retried or resumed whatever happens next.
    ///
    /// - Throws: `StoreError` (`.duplicate` when the id was recorded before).
    public func accept(_ graph: WorkflowGraph, file: String?, options: Engine.RunOptions, retryOf: String? = nil) async throws {
        try await lease?.ensureRegistered()
        var record = Self.record(graph, file: file, id: options.executionID, mode: options.mode.rawValue)
        record.startNode = options.startNode
        record.triggerInput = options.input.map { .array($0.map { $0.jsonValue() }) }
        record.retryOf = retryOf
        record.ownerID = lease?.owner.id
        if options.resume == nil {
            try await store.createExecution(record)
        }
    }

    static func record(_ graph: WorkflowGraph, file: String?, id: String, mode: String) -> ExecutionRecord {
        let absolute = file.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        return ExecutionRecord(
            id: id, workflowID: graph.document.id, workflowName: graph.document.name, workflowFile: absolute, mode: mode,
            status: .new, startedAt: OwnerLease.wallMilliseconds(), resumeOnCrash: resumesOnCrash(graph.document.settings))
    }

    /// `settings.flowrun.resumeOnCrash: true` (n8n ignores unknown settings keys).
    public static func resumesOnCrash(_ settings: WorkflowSettings) -> Bool {
        settings.fields["flowrun"]?["resumeOnCrash"] == .bool(true)
    }

    public func executionStarted(id: String, graph: WorkflowGraph) async {
        do {
            try await lease?.ensureRegistered()
            // Executions that were not accepted first (started elsewhere) get a minimal record.
            try await store.startExecution(Self.record(graph, file: nil, id: id, mode: "unknown"), ownerID: lease?.owner.id)
        } catch {
            log("Execution start not recorded", id, error)
        }
    }

    public func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {
        pending.withLock { $0[executionID] = (node, record) }
    }

    public func checkpoint(_ state: ExecutionState, executionID: String) async {
        guard let (node, record) = pending.withLock({ $0.removeValue(forKey: executionID) }) else { return }
        let runIndex = max(0, (state.runData[node]?.count ?? 1) - 1)
        do {
            try await store.recordNodeRun(StoredNodeRun(node: node, runIndex: runIndex, data: record.jsonValue), executionID: executionID,
                                          checkpoint: state.checkpoint(includingRunData: false))
        } catch {
            log("Node run not recorded", executionID, error)
        }
    }

    public func executionFinished(_ result: ExecutionResult) async {
        do {
            try await store.finishExecution(id: result.executionID, status: ExecutionRecord.Status(result.status), stoppedAt: result.stoppedAt,
                                            error: result.error.map(Self.json))
        } catch {
            log("Execution end not recorded", result.executionID, error)
        }
    }

    /// An execution failure as stored: `{"code", "message", "node"?, "nodeError"?}`.
    public static func json(_ failure: ExecutionFailure) -> JSONValue {
        var o: JSONObject = ["code": .string(failure.code.rawValue), "message": .string(failure.message)]
        if let node = failure.node { o["node"] = .string(node) }
        if let nodeError = failure.nodeError { o["nodeError"] = nodeError.jsonValue }
        return .object(o)
    }

    private func log(_ message: Logger.Message, _ id: String, _ error: any Error) {
        logger.info(message, metadata: ["flowrun.execution.id": "\(id)", "flowrun.error": "\(error)"])
    }
}
