public import FlowrunCore
public import FlowrunExpressions
import PostgresNIO

extension PostgresStateStore: ExecutionStore {
    static let recordColumns = """
        id, workflow_id, workflow_name, workflow_file, mode, status, started_at, stopped_at, start_node,
        trigger_input, last_node, error, owner_id, resume_on_crash, retry_of
        """

    public func createExecution(_ record: ExecutionRecord) async throws {
        let rows = try await prepared("createExecution", CreateExecutionStatement(record: record))
        if rows.isEmpty { throw StoreError(.duplicate, "postgres store \(location): createExecution: an execution with id \(record.id) exists") }
    }

    public func startExecution(_ record: ExecutionRecord, ownerID: String?) async throws {
        // This process has just moved it to running under the same owner (`claimUnowned`,
        // `takeOver`): the row already says what this statement would write.
        if let ownerID, takeStarted(record.id, owner: ownerID) { return }
        var record = record
        record.status = .running
        record.ownerID = ownerID
        _ = try await prepared("startExecution", StartExecutionStatement(record: record))
    }

    public func recordNodeRun(_ run: StoredNodeRun, executionID: String, checkpoint: JSONValue?) async throws {
        let statement = RecordNodeRunStatement(
            executionID: executionID, node: run.node, runIndex: Int32(clamping: run.runIndex), data: run.data.jsonString(),
            checkpoint: checkpoint?.jsonString())
        // One statement (atomic on its own): one round trip instead of BEGIN, two statements, COMMIT.
        switch heldAction(for: run, executionID: executionID) {
        case .hold:
            return
        case .write:
            _ = try await prepared("recordNodeRun", statement)
        case .writeAfter(let first):
            _ = try await prepared("recordNodeRun", RecordTwoNodeRunsStatement(run: statement, first: first))
        }
    }

    public func recordUpdate(_ update: ExecutionUpdate) async throws {
        var update = update
        if let first = takeHeld(update.executionID) { update.nodeRuns.insert(first, at: 0) }
        // Only the end (every node run was written as it finished), or the end and one run (a held
        // start-node run): one statement, no transaction.
        if update.nodeRuns.count <= 1, update.checkpoint == nil, !update.markRunning, let end = update.end {
            guard let run = update.nodeRuns.first else {
                return try await finishExecution(id: update.executionID, status: end.status, stoppedAt: end.stoppedAt, error: end.error)
            }
            forgetStarted(update.executionID)
            let rows = try await prepared("recordUpdate", FinishWithRunStatement(
                finish: FinishExecutionStatement(id: update.executionID, status: end.status.rawValue, stoppedAt: end.stoppedAt,
                                                 error: end.error?.jsonString()),
                run: run))
            if rows.isEmpty { throw StoreError(.notFound, "postgres store \(location): recordUpdate: no execution with id \(update.executionID)") }
            return
        }
        if update.nodeRuns.isEmpty, update.checkpoint == nil, !update.markRunning { return }
        let (runs, executions) = (table("node_runs"), table("executions"))
        let id = update.executionID
        if update.end != nil { forgetStarted(id) }
        let logger = logger
        let location = location
        try await withTransaction("recordUpdate") { connection in
            if update.markRunning {
                try await connection.query("UPDATE \(unescaped: executions) SET status = 'running' WHERE id = \(id) AND status = 'new'", logger: logger)
            }
            for run in update.nodeRuns {
                // One run's JSON at a time: a large execution never holds every run's text at once.
                let data = run.data.jsonString()
                try await connection.query("""
                    INSERT INTO \(unescaped: runs) (execution_id, node, run_index, data) VALUES (\(id), \(run.node), \(run.runIndex), \(data))
                    ON CONFLICT (execution_id, node, run_index) DO UPDATE SET data = EXCLUDED.data
                    """, logger: logger)
            }
            if let last = update.nodeRuns.last {
                try await connection.query(
                    "UPDATE \(unescaped: executions) SET last_node = \(last.node), checkpoint = COALESCE(\(update.checkpoint?.jsonString()), checkpoint) WHERE id = \(id) AND status IN ('new', 'running')",
                    logger: logger)
            } else if let checkpoint = update.checkpoint {
                try await connection.query("UPDATE \(unescaped: executions) SET checkpoint = \(checkpoint.jsonString()) WHERE id = \(id) AND status IN ('new', 'running')", logger: logger)
            }
            if let end = update.end {
                var found = false
                for try await _ in try await connection.query("""
                    UPDATE \(unescaped: executions) SET status = \(end.status.rawValue), stopped_at = \(end.stoppedAt), error = \(end.error?.jsonString()),
                    owner_id = NULL WHERE id = \(id) RETURNING id
                    """, logger: logger) { found = true }
                if !found { throw StoreError(.notFound, "postgres store \(location): recordUpdate: no execution with id \(id)") }
            }
        }
    }

    public func finishExecution(id: String, status: ExecutionRecord.Status, stoppedAt: Double, error: JSONValue?) async throws {
        forgetStarted(id)
        _ = takeHeld(id)
        let rows = try await prepared("finishExecution", FinishExecutionStatement(
            id: id, status: status.rawValue, stoppedAt: stoppedAt, error: error?.jsonString()))
        if rows.isEmpty { throw StoreError(.notFound, "postgres store \(location): finishExecution: no execution with id \(id)") }
    }

    public func execution(id: String) async throws -> ExecutionRecord? {
        try await prepared("execution", ExecutionByIDStatement(id: id)).first.map(record)
    }

    public func executions(matching query: ExecutionQuery) async throws -> [ExecutionRecord] {
        if query.statuses?.isEmpty == true { return [] }
        var sql: PostgresQuery = "SELECT \(unescaped: Self.recordColumns) FROM \(unescaped: table("executions")) WHERE true"
        if let statuses = query.statuses {
            let names = statuses.map(\.rawValue).sorted()
            // Status names are a closed set of identifiers, safe to write into the statement.
            sql = PostgresQuery(unsafeSQL: sql.sql + " AND status IN (" + names.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        var binds = PostgresBindings()
        if let workflowID = query.workflowID {
            binds.append(workflowID)
            sql = PostgresQuery(unsafeSQL: sql.sql + " AND workflow_id = $\(binds.count)", binds: binds)
        }
        if let before = query.startedBefore {
            binds.append(before)
            sql = PostgresQuery(unsafeSQL: sql.sql + " AND started_at < $\(binds.count)", binds: binds)
        }
        sql = PostgresQuery(unsafeSQL: sql.sql + " ORDER BY started_at DESC, id DESC LIMIT \(max(0, query.limit))", binds: binds)
        return try await rows("executions", sql).map(record)
    }

    public func nodeRuns(executionID: String) async throws -> [StoredNodeRun] {
        try await rows("nodeRuns", """
            SELECT node, run_index, data FROM \(unescaped: table("node_runs")) WHERE execution_id = \(executionID) ORDER BY node, run_index
            """).map { row in
            let node = try row["node"].decode(String.self)
            return StoredNodeRun(node: node, runIndex: Int(try row["run_index"].decode(Int32.self)),
                                 data: try json(row["data"].decode(String.self), "node run of \(node)"))
        }
    }

    public func checkpoint(executionID: String) async throws -> JSONValue? {
        let rows = try await rows("checkpoint", "SELECT checkpoint FROM \(unescaped: table("executions")) WHERE id = \(executionID)")
        guard let text = try rows.first?["checkpoint"].decode(String?.self) else { return nil }
        return try json(text, "checkpoint of execution \(executionID)")
    }

    public func registerOwner(_ owner: ExecutionOwner) async throws {
        _ = try await rows("registerOwner", """
            INSERT INTO \(unescaped: table("owners")) (id, host, pid, heartbeat_at) VALUES (\(owner.id), \(owner.host), \(owner.pid), \(owner.heartbeatAt))
            ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, heartbeat_at = EXCLUDED.heartbeat_at
            """)
    }

    public func heartbeat(ownerID: String, at time: Double) async throws {
        _ = try await rows("heartbeat", "UPDATE \(unescaped: table("owners")) SET heartbeat_at = \(time) WHERE id = \(ownerID)")
    }

    public func removeOwner(id: String) async throws {
        _ = try await rows("removeOwner", "DELETE FROM \(unescaped: table("owners")) WHERE id = \(id)")
    }

    public func owners() async throws -> [ExecutionOwner] {
        try await rows("owners", "SELECT id, host, pid, heartbeat_at FROM \(unescaped: table("owners")) ORDER BY id").map { row in
            ExecutionOwner(id: try row["id"].decode(String.self), host: try row["host"].decode(String.self),
                           pid: try row["pid"].decode(Int32.self), heartbeatAt: try row["heartbeat_at"].decode(Double.self))
        }
    }

    public func unfinishedExecutions() async throws -> [ExecutionRecord] {
        try await rows("unfinishedExecutions", """
            SELECT \(unescaped: Self.recordColumns) FROM \(unescaped: table("executions"))
            WHERE status IN ('new', 'running', 'waiting') ORDER BY started_at, id
            """).map(record)
    }

    public func takeOver(executionID: String, from expectedOwner: String?, to newOwner: String?, status: ExecutionRecord.Status, at time: Double) async throws -> Bool {
        let stoppedAt: Double? = status.isUnfinished ? nil : time
        let moved = try await !rows("takeOver", """
            UPDATE \(unescaped: table("executions")) SET status = \(status.rawValue), owner_id = \(newOwner), stopped_at = \(stoppedAt)
            WHERE id = \(executionID) AND status IN ('new', 'running', 'waiting') AND owner_id IS NOT DISTINCT FROM \(expectedOwner)
            RETURNING id
            """).isEmpty
        if moved, status == .running, let newOwner { rememberStarted(executionID, owner: newOwner) }
        return moved
    }

    public func pruneExecutions(startedBefore: Double?, keepingLast: Int?) async throws -> Int {
        let executions = table("executions")
        let ended = "status NOT IN ('new', 'running', 'waiting')"
        let keep = keepingLast.map { " AND id NOT IN (SELECT id FROM \(executions) WHERE \(ended) ORDER BY started_at DESC, id DESC LIMIT \(max(0, $0)))" } ?? ""
        let before = startedBefore ?? .greatestFiniteMagnitude
        return try await rows("pruneExecutions", """
            DELETE FROM \(unescaped: executions) WHERE \(unescaped: ended) AND started_at < \(before)\(unescaped: keep) RETURNING id
            """).count
    }

    func record(_ row: PostgresRandomAccessRow) throws -> ExecutionRecord {
        let id = try row["id"].decode(String.self)
        let statusText = try row["status"].decode(String.self)
        guard let status = ExecutionRecord.Status(rawValue: statusText) else {
            throw StoreError(.corrupt, "postgres store \(location): execution \(id) has an unknown status \"\(statusText)\"")
        }
        func optionalJSON(_ column: String) throws -> JSONValue? {
            try row[column].decode(String?.self).map { try json($0, column.replacingOccurrences(of: "_", with: " ")) }
        }
        return ExecutionRecord(
            id: id, workflowID: try row["workflow_id"].decode(String?.self), workflowName: try row["workflow_name"].decode(String?.self),
            workflowFile: try row["workflow_file"].decode(String?.self), mode: try row["mode"].decode(String.self), status: status,
            startedAt: try row["started_at"].decode(Double.self), stoppedAt: try row["stopped_at"].decode(Double?.self),
            startNode: try row["start_node"].decode(String?.self), triggerInput: try optionalJSON("trigger_input"),
            lastNode: try row["last_node"].decode(String?.self), error: try optionalJSON("error"),
            ownerID: try row["owner_id"].decode(String?.self), resumeOnCrash: try row["resume_on_crash"].decode(Bool.self),
            retryOf: try row["retry_of"].decode(String?.self))
    }
}
