/// Watches an execution: logging, metrics, persistence and dry-run recording plug in here
/// (n8n's lifecycle hooks). Every method has an empty default.
public protocol ExecutionObserver: Sendable {
    /// The execution is about to run its first node; `mode` is how it was started (`$execution.mode`).
    func executionStarted(id: String, graph: WorkflowGraph, mode: ExecutionMode) async
    /// A node run starts.
    func nodeStarted(_ run: ExecutionState.NodeRun, executionID: String) async
    /// A node run was recorded (successful, continued or failed).
    func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async
    /// The state after a recorded node run, to persist as the resume point
    /// (`state.checkpoint(includingRunData: false)` beside the node's record keeps it small).
    func checkpoint(_ state: ExecutionState, executionID: String) async
    /// The execution ended.
    func executionFinished(_ result: ExecutionResult) async
}

extension ExecutionObserver {
    public func executionStarted(id: String, graph: WorkflowGraph, mode: ExecutionMode) async {}
    public func nodeStarted(_ run: ExecutionState.NodeRun, executionID: String) async {}
    public func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {}
    public func checkpoint(_ state: ExecutionState, executionID: String) async {}
    public func executionFinished(_ result: ExecutionResult) async {}
}
