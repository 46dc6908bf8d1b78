import FlowrunCore
import FlowrunExpressions
import PostgresNIO

// The statements of an execution's hot path (queue mode: the main process's insert, the worker's
// claim, a node run with its checkpoint, the end) as server-side prepared statements: Postgres
// parses and plans each once per connection instead of once per call (about a third of its CPU
// per statement). Their SQL names tables without the schema: the store's connections start with
// `search_path` set to the store's schema (`clientConfiguration`).

/// The parameter types of an execution record's columns, in `PostgresStateStore.recordColumns` order.
private let recordTypes: [PostgresDataType] = [
    .text, .text, .text, .text, .text, .text, .float8, .float8, .text, .text, .text, .text, .text, .bool, .text,
]

private func appendRecord(_ r: ExecutionRecord, to bindings: inout PostgresBindings) {
    bindings.append(r.id)
    bindings.append(r.workflowID)
    bindings.append(r.workflowName)
    bindings.append(r.workflowFile)
    bindings.append(r.mode)
    bindings.append(r.status.rawValue)
    bindings.append(r.startedAt)
    bindings.append(r.stoppedAt)
    bindings.append(r.startNode)
    bindings.append(r.triggerInput?.jsonString())
    bindings.append(r.lastNode)
    bindings.append(r.error?.jsonString())
    bindings.append(r.ownerID)
    bindings.append(r.resumeOnCrash)
    bindings.append(r.retryOf)
}

private let recordValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15"

/// A statement whose parameters are one execution record's columns.
protocol RecordStatement: PostgresPreparedStatement {
    var record: ExecutionRecord { get }
}

extension RecordStatement {
    static var bindingDataTypes: [PostgresDataType] { recordTypes }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: recordTypes.count)
        appendRecord(record, to: &bindings)
        return bindings
    }
}

/// A statement that first writes node runs, `values` being their rows of `(execution_id, node,
/// run_index, data)`, and then does `then` (a run written again replaces the earlier one).
private func afterWritingRuns(_ values: String, then statement: String) -> String {
    """
    WITH run AS (
        INSERT INTO node_runs (execution_id, node, run_index, data) VALUES \(values)
        ON CONFLICT (execution_id, node, run_index) DO UPDATE SET data = EXCLUDED.data RETURNING 1
    )
    \(statement)
    """
}

/// The execution's last node and checkpoint after a node run ($1 id, $2 node, $5 checkpoint).
private let markLastNode = "UPDATE executions SET last_node = $2, checkpoint = COALESCE($5, checkpoint) WHERE id = $1"

/// Inserts a new execution; returns its id, or no row when the id exists.
struct CreateExecutionStatement: RecordStatement {
    static let name = "flowrun_create_execution_v1"
    static let sql = "INSERT INTO executions (\(PostgresStateStore.recordColumns)) VALUES (\(recordValues)) ON CONFLICT (id) DO NOTHING RETURNING id"
    typealias Row = String

    var record: ExecutionRecord

    func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
}

/// Inserts an execution as running under an owner, or marks the existing one running under it.
struct StartExecutionStatement: RecordStatement {
    static let name = "flowrun_start_execution_v1"
    static let sql = """
        INSERT INTO executions (\(PostgresStateStore.recordColumns)) VALUES (\(recordValues))
        ON CONFLICT (id) DO UPDATE SET status = 'running', owner_id = EXCLUDED.owner_id, stopped_at = NULL
        """
    typealias Row = Void

    var record: ExecutionRecord

    func decodeRow(_ row: PostgresRow) throws {}
}

/// One node run and, in the same statement, the execution's last node and checkpoint.
struct RecordNodeRunStatement: PostgresPreparedStatement {
    static let name = "flowrun_record_node_run_v1"
    static let sql = afterWritingRuns("($1, $2, $3, $4)", then: markLastNode)
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .int4, .text, .text]
    typealias Row = Void

    var executionID: String
    var node: String
    var runIndex: Int32
    var data: String
    var checkpoint: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(executionID)
        bindings.append(node)
        bindings.append(runIndex)
        bindings.append(data)
        bindings.append(checkpoint)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Two node runs (a held start-node run, then the run that follows it) and, in the same
/// statement, the execution's last node and checkpoint.
struct RecordTwoNodeRunsStatement: PostgresPreparedStatement {
    static let name = "flowrun_record_two_node_runs_v1"
    static let sql = afterWritingRuns("($1, $6, $7, $8), ($1, $2, $3, $4)", then: markLastNode)
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .int4, .text, .text, .text, .int4, .text]
    typealias Row = Void

    var run: RecordNodeRunStatement
    var first: StoredNodeRun

    func makeBindings() throws -> PostgresBindings {
        var bindings = try run.makeBindings()
        bindings.append(first.node)
        bindings.append(Int32(clamping: first.runIndex))
        bindings.append(first.data.jsonString())
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Ends an execution with one node run (a held start-node run) and clears its owner; returns its
/// id, or no row when there is none.
struct FinishWithRunStatement: PostgresPreparedStatement {
    static let name = "flowrun_finish_with_run_v1"
    static let sql = afterWritingRuns(
        "($1, $5, $6, $7)",
        then: "UPDATE executions SET last_node = CASE WHEN status IN ('new', 'running') THEN $5 ELSE last_node END, status = $2, stopped_at = $3, error = $4, owner_id = NULL WHERE id = $1 RETURNING id")
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .float8, .text, .text, .int4, .text]
    typealias Row = String

    var finish: FinishExecutionStatement
    var run: StoredNodeRun

    func makeBindings() throws -> PostgresBindings {
        var bindings = try finish.makeBindings()
        bindings.append(run.node)
        bindings.append(Int32(clamping: run.runIndex))
        bindings.append(run.data.jsonString())
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
}

/// Ends an execution and clears its owner; returns its id, or no row when there is none.
struct FinishExecutionStatement: PostgresPreparedStatement {
    static let name = "flowrun_finish_execution_v1"
    static let sql = "UPDATE executions SET status = $2, stopped_at = $3, error = $4, owner_id = NULL WHERE id = $1 RETURNING id"
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .float8, .text]
    typealias Row = String

    var id: String
    var status: String
    var stoppedAt: Double
    var error: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(id)
        bindings.append(status)
        bindings.append(stoppedAt)
        bindings.append(error)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
}

/// One execution's record.
struct ExecutionByIDStatement: PostgresPreparedStatement {
    static let name = "flowrun_execution_by_id_v1"
    static let sql = "SELECT \(PostgresStateStore.recordColumns) FROM executions WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]
    typealias Row = PostgresRandomAccessRow

    var id: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

/// Queue mode's claim: an unfinished execution that no process owns becomes running under `owner`
/// (a waiting one only when `resumingWait`); returns its record and checkpoint, or no row.
struct ClaimUnownedStatement: PostgresPreparedStatement {
    static let name = "flowrun_claim_unowned_v1"
    static let sql = """
        UPDATE executions SET status = 'running', owner_id = $2, stopped_at = NULL
        WHERE id = $1 AND owner_id IS NULL AND (status IN ('new', 'running') OR (status = 'waiting' AND $3))
        RETURNING \(PostgresStateStore.recordColumns), checkpoint
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .bool]
    typealias Row = PostgresRandomAccessRow

    var id: String
    var owner: String
    var resumingWait: Bool

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(id)
        bindings.append(owner)
        bindings.append(resumingWait)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresStateStore {
    /// Runs a prepared statement (after migrating) and returns its rows, mapping driver errors to
    /// `StoreError`.
    func prepared<Statement: PostgresPreparedStatement>(_ operation: String, _ statement: Statement) async throws -> [Statement.Row] {
        try await migrateOnce()
        do {
            var out: [Statement.Row] = []
            for try await row in try await client.execute(statement, logger: logger) { out.append(row) }
            return out
        } catch {
            throw storeError(operation, error)
        }
    }

    /// Queue mode's claim of a job's execution in one statement (instead of reading it, then
    /// moving it with `takeOver`, then marking it started): an unfinished execution that no
    /// process owns becomes running under `owner`. A waiting execution is claimed only for a job
    /// that resumes it (`resumingWait`). Returns the record (status `running`) and its last
    /// checkpoint, or nil when the execution is missing, ended, waiting for another job, or owned
    /// by a process: then the caller reads it and decides (`takeOver` from a dead owner).
    ///
    /// The engine's `startExecution` that follows for the same execution and owner is then a no-op.
    package func claimUnowned(executionID: String, owner: String, resumingWait: Bool) async throws -> (record: ExecutionRecord, checkpoint: JSONValue?)? {
        guard let row = try await prepared("claim", ClaimUnownedStatement(id: executionID, owner: owner, resumingWait: resumingWait)).first
        else { return nil }
        let record = try record(row)
        let checkpoint = try row["checkpoint"].decode(String?.self).map { try json($0, "checkpoint of execution \(executionID)") }
        rememberStarted(executionID, owner: owner)
        return (record, checkpoint)
    }
}

// Holding back a start node's run: for an execution that starts fresh from a trigger whose output
// is the recorded trigger input (a webhook), the run and checkpoint after that node are worth
// nothing to a takeover: resuming from them and running from the start run the same nodes on the
// same items. So that run is not written on its own but with the execution's next write (the
// next node's run and checkpoint, or its end): one statement fewer per execution. A process that
// dies before that next write leaves no checkpoint, and the execution is run from the start.
extension PostgresStateStore {
    /// Holds back the first run of `node` (the start node) of `executionID`, which runs from the
    /// start, until the execution's next write. False when too many are held already.
    @discardableResult
    package func holdStartRun(executionID: String, node: String) -> Bool {
        held.withLock { held in
            guard held.count < 4096 else { return false }
            held[executionID] = HeldRun(node: node, run: nil)
            return true
        }
    }

    enum HeldAction {
        case write
        case hold
        case writeAfter(StoredNodeRun)
    }

    /// What to do with a node run of `executionID` given what is held for it.
    func heldAction(for run: StoredNodeRun, executionID: String) -> HeldAction {
        held.withLock { held in
            guard let entry = held[executionID] else { return .write }
            if entry.run == nil, run.node == entry.node, run.runIndex == 0 {
                held[executionID]?.run = run
                return .hold
            }
            held[executionID] = nil
            return entry.run.map { .writeAfter($0) } ?? .write
        }
    }

    /// The held run of `executionID`, if any, and forgets the execution.
    func takeHeld(_ executionID: String) -> StoredNodeRun? {
        held.withLock { $0.removeValue(forKey: executionID)?.run }
    }
}
