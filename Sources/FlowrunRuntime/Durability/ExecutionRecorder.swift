public import FlowrunCore
import FlowrunExpressions
import Foundation
import Logging
import Synchronization

/// Records executions in the store as they run: the record before the first node (`accept`), the
/// node runs, and the end status.
///
/// How soon node runs are written depends on `progress`. A workflow that resumes after a crash
/// (`settings.flowrun.resumeOnCrash`) always has each node run written with the engine checkpoint
/// before the next node starts, so a crash loses at most the node that was running. Others, by
/// default, keep their node runs in memory and write them in the same transaction as the end
/// (n8n's default, `saveExecutionProgress: false`), or after `flushAfter` if the execution is still
/// running then (`flushUntilCancelled`), so a long execution shows its progress and a crash keeps
/// what it did. A waiting execution's checkpoint is written with its end (status `waiting`).
///
/// Store failures while running are logged, not thrown: the execution goes on, and crash recovery
/// or `flowrun executions show` tell what was kept.
public final class ExecutionRecorder: ExecutionObserver {
    /// When node runs of executions that do not resume after a crash are written.
    public enum Progress: Sendable, Hashable {
        /// Each with its checkpoint, before the next node starts (a shared store where other
        /// processes resume executions from their last node: queue mode).
        case everyNode
        /// With the end, or after `flushAfter` while the execution still runs.
        case deferred(flushAfter: Duration)
    }

    /// The recorder of the enclosing `Runtime.with`, when it records executions.
    @TaskLocal static var current: ExecutionRecorder?

    let store: any ExecutionStore
    /// The store, when it can queue a record without the caller waiting (`acceptQueued`).
    let queuedStore: (any QueuedRecordStore)?
    let lease: OwnerLease?
    let logger: Logger
    public let progress: Progress

    /// What is not written yet of an execution running in this process.
    private struct Open {
        /// Accepted here and still `new` in the store: the next write marks it running.
        var startPending: Bool
        /// Node runs and checkpoints are written as each node finishes.
        var everyNode: Bool
        var runs: [StoredRun] = []
        /// When the oldest unwritten run finished.
        var since: ContinuousClock.Instant?
    }

    /// One node run waiting to be written (its JSON is built when it is written).
    struct StoredRun: Sendable {
        var node: String
        var runIndex: Int
        var record: NodeRunRecord
    }

    private let open = Mutex<[String: Open]>([:])
    /// Node runs reported by `nodeFinished`, written with the checkpoint that follows them.
    private let pending = Mutex<[String: (node: String, record: NodeRunRecord)]>([:])

    init(store: any ExecutionStore, lease: OwnerLease?, logger: Logger, progress: Progress) {
        self.store = store
        self.queuedStore = store as? any QueuedRecordStore
        self.lease = lease
        self.logger = logger
        self.progress = progress
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
            let everyNode = writesEveryNode(record.resumeOnCrash)
            if !everyNode { open.withLock { $0[record.id] = Open(startPending: true, everyNode: false) } }
        }
    }

    /// `accept` without waiting for the record's commit, where the store can queue it and the
    /// execution's node runs are written with its end (not `resumeOnCrash`, not every node): the
    /// execution may run meanwhile, and its end, when written before the record was, joins the
    /// record's insert. The caller must not tell anyone of the execution (a webhook's answer)
    /// before `RecordCommit.wait()` returned: a crash before that commit loses the execution.
    /// Otherwise as `accept` (returns a committed `RecordCommit`).
    ///
    /// - Throws: `StoreError` when the owner could not be registered, or the record written
    ///   (when it is awaited); a queued record's failure comes from `RecordCommit.wait()`.
    public func acceptQueued(_ graph: WorkflowGraph, file: String?, options: Engine.RunOptions) async throws -> RecordCommit {
        var record = Self.record(graph, file: file, id: options.executionID, mode: options.mode.rawValue)
        guard let queuedStore, options.resume == nil, !writesEveryNode(record.resumeOnCrash) else {
            try await accept(graph, file: file, options: options)
            return .committed
        }
        try await lease?.ensureRegistered()
        record.startNode = options.startNode
        record.triggerInput = options.input.map { .array($0.map { $0.jsonValue() }) }
        record.ownerID = lease?.owner.id
        open.withLock { $0[record.id] = Open(startPending: true, everyNode: false) }
        return queuedStore.queueExecution(record)
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

    private func writesEveryNode(_ resumeOnCrash: Bool) -> Bool {
        resumeOnCrash || progress == .everyNode
    }

    public func executionStarted(id: String, graph: WorkflowGraph, mode: ExecutionMode) async {
        // Accepted here with deferred progress: the start is written with the first node runs.
        if open.withLock({ $0[id]?.startPending == true }) { return }
        do {
            try await lease?.ensureRegistered()
            // Executions that were not accepted first (error workflows, executions started elsewhere)
            // get a minimal record, with the mode they run in (n8n records error workflows as `error`).
            try await store.startExecution(Self.record(graph, file: nil, id: id, mode: mode.rawValue), ownerID: lease?.owner.id)
        } catch {
            log("Execution start not recorded", id, error)
        }
        if !writesEveryNode(Self.resumesOnCrash(graph.document.settings)) {
            open.withLock { $0[id] = Open(startPending: false, everyNode: false) }
        }
    }

    public func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {
        pending.withLock { $0[executionID] = (node, record) }
    }

    public func checkpoint(_ state: ExecutionState, executionID: String) async {
        guard let (node, record) = pending.withLock({ $0.removeValue(forKey: executionID) }) else { return }
        let run = StoredRun(node: node, runIndex: max(0, (state.runData[node]?.count ?? 1) - 1), record: record)
        let deferred = open.withLock { open -> Bool in
            guard open[executionID] != nil else { return false }
            open[executionID]?.runs.append(run)
            if open[executionID]?.since == nil { open[executionID]?.since = .now }
            return true
        }
        if deferred { return }
        do {
            try await store.recordNodeRun(run.stored, executionID: executionID, checkpoint: state.checkpoint(includingRunData: false))
        } catch {
            log("Node run not recorded", executionID, error)
        }
    }

    public func executionFinished(_ result: ExecutionResult) async {
        let entry = open.withLock { $0.removeValue(forKey: result.executionID) }
        var update = ExecutionUpdate(
            executionID: result.executionID, nodeRuns: (entry?.runs ?? []).map(\.stored),
            end: .init(status: ExecutionRecord.Status(result.status), stoppedAt: result.stoppedAt, error: result.error.map(Self.json)))
        // A waiting execution resumes from its checkpoint (written here unless every node wrote one).
        if entry != nil, result.status == .waiting, let state = result.waiting {
            update.checkpoint = state.checkpoint(includingRunData: false)
        }
        do {
            try await store.recordUpdate(update)
        } catch {
            log("Execution end not recorded", result.executionID, error)
        }
    }

    /// Writes the node runs of executions that have been running for `flushAfter` since their
    /// oldest unwritten run, every `flushAfter / 2`, until the task is cancelled; then writes every
    /// unwritten run (a clean shutdown cuts executions short without recording their end).
    func flushUntilCancelled() async {
        guard case .deferred(let after) = progress else { return }
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: after / 2)
            } catch {
                break
            }
            await flush(olderThan: after)
        }
        await flush(olderThan: nil)
    }

    /// Writes the unwritten runs of open executions whose oldest one is older than `age` (all: nil).
    func flush(olderThan age: Duration?) async {
        let now = ContinuousClock.now
        let due = open.withLock { open -> [(String, Bool, [StoredRun])] in
            var due: [(String, Bool, [StoredRun])] = []
            for (id, entry) in open {
                guard let since = entry.since, age.map({ now - since >= $0 }) ?? true else { continue }
                due.append((id, entry.startPending, entry.runs))
                open[id]?.runs = []
                open[id]?.since = nil
                open[id]?.startPending = false
            }
            return due
        }
        for (id, start, runs) in due {
            do {
                try await store.recordUpdate(ExecutionUpdate(executionID: id, markRunning: start, nodeRuns: runs.map(\.stored)))
            } catch {
                log("Node runs not recorded", id, error)
            }
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

extension ExecutionRecorder.StoredRun {
    /// Written by the store from the record (streamed, or built as a value where a store needs one).
    var stored: StoredNodeRun { StoredNodeRun(node: node, runIndex: runIndex, json: StoredRunJSON(record)) }
}
