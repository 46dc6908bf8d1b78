public import FlowrunExpressions

/// Durable executions: the record is created before the execution runs, node runs are written as
/// they finish or together at the end (`recordUpdate`), with the engine checkpoint to resume from
/// when one is needed, and the end status when it ends.
/// A process that runs executions registers as an `ExecutionOwner` and renews its lease; crash
/// recovery finds unfinished executions whose owner is gone and takes them over atomically.
public protocol ExecutionStore: StateStore {
    /// Inserts a new execution.
    /// - Throws: `StoreError` `.duplicate` when the id exists.
    func createExecution(_ record: ExecutionRecord) async throws

    /// Marks an execution running under `ownerID`; inserts `record` when no execution with its id
    /// exists (executions that were not created beforehand, such as sub-workflows).
    func startExecution(_ record: ExecutionRecord, ownerID: String?) async throws

    /// Writes one node run and, in the same transaction, the checkpoint to resume from and the last
    /// node. Writing the same node and run index again replaces it (a resumed execution re-runs
    /// the node that was running).
    func recordNodeRun(_ run: StoredNodeRun, executionID: String, checkpoint: JSONValue?) async throws

    /// Several changes to one execution in one transaction: node runs, the last node, the
    /// checkpoint, its start and its end (see `ExecutionUpdate`).
    /// - Throws: `StoreError` `.notFound` when it ends an execution that does not exist.
    func recordUpdate(_ update: ExecutionUpdate) async throws

    /// Ends an execution: status, stop time, error; clears its owner.
    func finishExecution(id: String, status: ExecutionRecord.Status, stoppedAt: Double, error: JSONValue?) async throws

    /// The execution, or nil.
    func execution(id: String) async throws -> ExecutionRecord?

    /// Executions matching `query`, newest first.
    func executions(matching query: ExecutionQuery) async throws -> [ExecutionRecord]

    /// The recorded node runs of an execution, by node then run index.
    func nodeRuns(executionID: String) async throws -> [StoredNodeRun]

    /// The last checkpoint (`ExecutionState.checkpoint(includingRunData: false)`), nil before the
    /// first node finished.
    func checkpoint(executionID: String) async throws -> JSONValue?

    /// Registers (or re-registers) a process that runs executions.
    func registerOwner(_ owner: ExecutionOwner) async throws
    /// Renews an owner's lease.
    func heartbeat(ownerID: String, at time: Double) async throws
    /// Removes an owner that shut down cleanly.
    func removeOwner(id: String) async throws
    /// Every registered owner.
    func owners() async throws -> [ExecutionOwner]

    /// Executions that have not ended (new, running, waiting), oldest first.
    func unfinishedExecutions() async throws -> [ExecutionRecord]

    /// Compare-and-set for crash recovery: moves an unfinished execution still owned by
    /// `expectedOwner` to `status` under `newOwner`, atomically. False when another process took it
    /// first or it ended meanwhile. A status that ends it sets its stop time to `time`.
    func takeOver(executionID: String, from expectedOwner: String?, to newOwner: String?, status: ExecutionRecord.Status, at time: Double) async throws -> Bool

    /// Deletes ended executions (and their node runs) started before `startedBefore`, keeping the
    /// newest `keepingLast`; unfinished ones are never deleted. Returns how many were deleted.
    func pruneExecutions(startedBefore: Double?, keepingLast: Int?) async throws -> Int
}
