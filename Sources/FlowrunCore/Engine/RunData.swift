public import FlowrunExpressions

/// Which parent output fed one input of a node run (n8n's `ISourceData`).
public struct TaskSource: Sendable, Hashable {
    public var previousNode: String
    public var previousNodeOutput: Int
    public var previousNodeRun: Int

    public init(previousNode: String, previousNodeOutput: Int = 0, previousNodeRun: Int = 0) {
        self.previousNode = previousNode
        self.previousNodeOutput = previousNodeOutput
        self.previousNodeRun = previousNodeRun
    }
}

/// One run of one node (n8n's `ITaskData`): what it received, what it produced, when, and how it
/// ended.
public struct NodeRunRecord: Sendable {
    public enum Status: String, Sendable, Hashable {
        case success
        case error
    }

    /// Start, in milliseconds since 1970 (the engine's clock of record).
    public var startTime: Double
    /// Duration in milliseconds.
    public var executionTime: Double
    /// Position of this run among all node runs of the execution.
    public var executionIndex: Int
    /// Where each input came from (nil for the start node).
    public var source: [TaskSource?]
    /// What the node received, per input (nil: no data on that input).
    public var input: [[Item]?]
    /// What the node produced, per output; nil when it failed without continuing.
    public var output: [[Item]]?
    public var status: Status
    public var error: NodeError?
    /// What the node wrote to its console during this run (Code node `console.log`), in order.
    public var console: [String] = []

    public init(
        startTime: Double, executionTime: Double, executionIndex: Int, source: [TaskSource?], input: [[Item]?],
        output: [[Item]]?, status: Status, error: NodeError?, console: [String] = []
    ) {
        self.startTime = startTime
        self.executionTime = executionTime
        self.executionIndex = executionIndex
        self.source = source
        self.input = input
        self.output = output
        self.status = status
        self.error = error
        self.console = console
    }
}

/// How an execution ended. Precedence as n8n: canceled > error > waiting > success.
public enum ExecutionStatus: String, Sendable, Hashable {
    case success
    case error
    case canceled
    case waiting
}

/// Why an execution failed or was stopped.
public struct ExecutionFailure: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A node failed and its error policy stops the workflow.
        public static let nodeFailed = Code("nodeFailed")
        /// n8n's endless-loop guard or the node-run limit stopped it.
        public static let endlessLoop = Code("endlessLoop")
        /// `settings.executionTimeout` passed.
        public static let timeout = Code("timeout")
        /// The task was cancelled.
        public static let cancelled = Code("cancelled")
        /// No start node, unknown trigger name, unsupported start.
        public static let invalidStart = Code("invalidStart")
    }

    public var code: Code
    public var message: String
    /// The node that failed, when one did.
    public var node: String?
    /// The node's error.
    public var nodeError: NodeError?

    public init(_ code: Code, _ message: String, node: String? = nil, nodeError: NodeError? = nil) {
        self.code = code
        self.message = message
        self.node = node
        self.nodeError = nodeError
    }

    public var description: String {
        if let nodeError { return nodeError.node == nil ? "node \"\(node ?? "?")\": \(nodeError)" : nodeError.description }
        if let node { return "node \"\(node)\": \(message)" }
        return message
    }
}

/// The outcome of one execution: every node's runs, the last node that produced data, status.
public struct ExecutionResult: Sendable {
    public var executionID: String
    public var status: ExecutionStatus
    /// Runs per node name (n8n's `runData`).
    public var runData: [String: [NodeRunRecord]]
    /// Node names in the order their runs finished.
    public var executionOrder: [String]
    /// The last node that ran and returned data (n8n's `lastNodeExecuted`).
    public var lastNodeExecuted: String?
    public var error: ExecutionFailure?
    public var startedAt: Double
    public var stoppedAt: Double
    /// With status `waiting`: the state to resume from (`ExecutionState.resumingWait(with:)`).
    public var waiting: ExecutionState?

    public init(
        executionID: String, status: ExecutionStatus, runData: [String: [NodeRunRecord]], executionOrder: [String],
        lastNodeExecuted: String?, error: ExecutionFailure?, startedAt: Double, stoppedAt: Double
    ) {
        self.executionID = executionID
        self.status = status
        self.runData = runData
        self.executionOrder = executionOrder
        self.lastNodeExecuted = lastNodeExecuted
        self.error = error
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
    }

    /// Output `output` of the last run of `lastNodeExecuted`, what `flowrun run` prints and
    /// sub-workflows return.
    public var lastNodeOutput: [[Item]] {
        guard let last = lastNodeExecuted, let run = runData[last]?.last else { return [] }
        return run.output ?? []
    }
}
