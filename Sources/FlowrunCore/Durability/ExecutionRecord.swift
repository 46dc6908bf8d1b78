public import FlowrunExpressions

/// One execution as the store keeps it, created before the execution runs and updated as each
/// node finishes. The node runs themselves are kept beside it (`ExecutionStore.nodeRuns`).
public struct ExecutionRecord: Sendable, Hashable {
    /// Where an execution is in its life. `new` is accepted and not yet started; `crashed` was
    /// running in a process that died (found by crash recovery).
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case new, running, success, error, canceled, crashed, waiting

        /// Whether the execution may still make progress (not ended).
        public var isUnfinished: Bool { self == .new || self == .running || self == .waiting }

        /// The record status of an engine result.
        public init(_ status: ExecutionStatus) {
            switch status {
            case .success: self = .success
            case .error: self = .error
            case .canceled: self = .canceled
            case .waiting: self = .waiting
            }
        }
    }

    public var id: String
    public var workflowID: String?
    public var workflowName: String?
    /// The workflow file the execution ran (absolute path), so it can be retried, resumed and replayed.
    public var workflowFile: String?
    /// `$execution.mode`: manual, trigger, webhook, integrated, error, retry.
    public var mode: String
    public var status: Status
    /// Milliseconds since 1970.
    public var startedAt: Double
    public var stoppedAt: Double?
    /// The node the execution started at (nil: the workflow's start node).
    public var startNode: String?
    /// The items the start node received, as a JSON array of items (nil: one empty item).
    public var triggerInput: JSONValue?
    /// The last node whose run was recorded.
    public var lastNode: String?
    /// Why it failed: `{"code", "message", "node"?, "nodeError"?}`.
    public var error: JSONValue?
    /// The process running it (`ExecutionOwner.id`); nil once it ended.
    public var ownerID: String?
    /// Whether crash recovery resumes it from its last checkpoint (`settings.flowrun.resumeOnCrash`)
    /// instead of marking it crashed.
    public var resumeOnCrash: Bool
    /// The execution this one retries, for `flowrun executions retry`.
    public var retryOf: String?

    public init(
        id: String, workflowID: String? = nil, workflowName: String? = nil, workflowFile: String? = nil,
        mode: String = "manual", status: Status = .new, startedAt: Double, stoppedAt: Double? = nil,
        startNode: String? = nil, triggerInput: JSONValue? = nil, lastNode: String? = nil, error: JSONValue? = nil,
        ownerID: String? = nil, resumeOnCrash: Bool = false, retryOf: String? = nil
    ) {
        self.id = id
        self.workflowID = workflowID
        self.workflowName = workflowName
        self.workflowFile = workflowFile
        self.mode = mode
        self.status = status
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.startNode = startNode
        self.triggerInput = triggerInput
        self.lastNode = lastNode
        self.error = error
        self.ownerID = ownerID
        self.resumeOnCrash = resumeOnCrash
        self.retryOf = retryOf
    }
}

/// One recorded node run: n8n's `ITaskData` JSON (`NodeRunRecord.jsonValue`).
///
/// A run being recorded may carry its data as something that writes the JSON text directly
/// (`init(node:runIndex:json:)`): a store can then stream it without building the value tree, and
/// `data` builds the tree only when read.
public struct StoredNodeRun: Sendable, Hashable {
    public var node: String
    public var runIndex: Int
    /// The data as JSON text written piece by piece (`JSONValue` itself, or a writer over a run).
    public private(set) var json: any JSONValueConvertible

    public var data: JSONValue {
        get { json.jsonValue }
        set { json = newValue }
    }

    public init(node: String, runIndex: Int, data: JSONValue) {
        self.node = node
        self.runIndex = runIndex
        self.json = data
    }

    public init(node: String, runIndex: Int, json: some JSONValueConvertible) {
        self.node = node
        self.runIndex = runIndex
        self.json = json
    }

    public static func == (a: StoredNodeRun, b: StoredNodeRun) -> Bool {
        a.node == b.node && a.runIndex == b.runIndex && a.data == b.data
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(node)
        hasher.combine(runIndex)
        hasher.combine(data)
    }
}

/// Changes to one execution written in one transaction (`ExecutionStore.recordUpdate`), in this
/// order: its start, its node runs (the last one names the execution's last node), the checkpoint
/// to resume from, its end. The start, last node and checkpoint change only an execution that is
/// `new` or `running`, so an update that commits after the execution's end (a progress write racing
/// it) cannot undo that end; node runs are always written (the same run replaces itself).
public struct ExecutionUpdate: Sendable {
    public struct End: Sendable {
        public var status: ExecutionRecord.Status
        public var stoppedAt: Double
        public var error: JSONValue?

        public init(status: ExecutionRecord.Status, stoppedAt: Double, error: JSONValue?) {
            self.status = status
            self.stoppedAt = stoppedAt
            self.error = error
        }
    }

    public var executionID: String
    /// Marks the execution `running` when it is still `new` (its owner was set when it was created).
    public var markRunning: Bool
    /// Node runs to write (replacing a run of the same node and run index).
    public var nodeRuns: [StoredNodeRun]
    /// The checkpoint to resume from (nil keeps the stored one); written only with node runs.
    public var checkpoint: JSONValue?
    public var end: End?

    public init(executionID: String, markRunning: Bool = false, nodeRuns: [StoredNodeRun] = [], checkpoint: JSONValue? = nil, end: End? = nil) {
        self.executionID = executionID
        self.markRunning = markRunning
        self.nodeRuns = nodeRuns
        self.checkpoint = checkpoint
        self.end = end
    }
}

/// A process that runs executions, with the lease that tells others it is alive.
public struct ExecutionOwner: Sendable, Hashable {
    /// Unique per process start (`host:pid:random`).
    public var id: String
    public var host: String
    public var pid: Int32
    /// When the owner last renewed its lease (milliseconds since 1970).
    public var heartbeatAt: Double

    public init(id: String, host: String, pid: Int32, heartbeatAt: Double) {
        self.id = id
        self.host = host
        self.pid = pid
        self.heartbeatAt = heartbeatAt
    }
}

/// Which executions `ExecutionStore.executions(matching:)` lists, newest first.
public struct ExecutionQuery: Sendable, Hashable {
    public var statuses: Set<ExecutionRecord.Status>?
    public var workflowID: String?
    /// Only executions started before this time (ms since 1970).
    public var startedBefore: Double?
    public var limit: Int

    public init(statuses: Set<ExecutionRecord.Status>? = nil, workflowID: String? = nil, startedBefore: Double? = nil, limit: Int = 100) {
        self.statuses = statuses
        self.workflowID = workflowID
        self.startedBefore = startedBefore
        self.limit = limit
    }
}
