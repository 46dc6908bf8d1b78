public import FlowrunCore
public import FlowrunExpressions
import GRDB

extension SQLiteStateStore: ExecutionStore {
    static let recordColumns = """
        id, workflow_id, workflow_name, workflow_file, mode, status, started_at, stopped_at, start_node,
        trigger_input, last_node, error, owner_id, resume_on_crash, retry_of
        """
    /// `recordColumns` to read: a large trigger input is kept in `execution_inputs`.
    static let selectColumns = """
        id, workflow_id, workflow_name, workflow_file, mode, status, started_at, stopped_at, start_node,
        \(largeInputColumn) AS trigger_input, last_node, error, owner_id, resume_on_crash, retry_of
        """

    public func createExecution(_ record: ExecutionRecord) async throws {
        // The JSON is written before the transaction, so the writer queue is busy only with SQL
        // (a large trigger input is only measured here, and streamed in by the write).
        let trigger = record.triggerInput.map { JSONColumn($0) }
        try await write("createExecution") { db in
            try Self.insert(record, triggerInput: trigger, db, orIgnore: true)
            if db.changesCount == 0 {
                throw StoreError(.duplicate, "sqlite: createExecution: an execution with id \(record.id) exists")
            }
        }
    }

    public func startExecution(_ record: ExecutionRecord, ownerID: String?) async throws {
        let trigger = record.triggerInput.map { JSONColumn($0) }
        try await write("startExecution") { db in
            try db.cachedStatement(sql: "UPDATE executions SET status = 'running', owner_id = ?, stopped_at = NULL WHERE id = ?")
                .execute(arguments: [ownerID, record.id])
            if db.changesCount == 0 {
                var record = record
                record.status = .running
                record.ownerID = ownerID
                try Self.insert(record, triggerInput: trigger, db, orIgnore: false)
            }
        }
    }

    private static let insertSQL = "INSERT INTO executions (\(recordColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    private static let insertOrIgnoreSQL = "INSERT OR IGNORE INTO executions (\(recordColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// A large trigger input goes to `execution_inputs` (see `SQLiteStateStore+Blob.swift`), a
    /// small one into the execution's row.
    static func insert(_ r: ExecutionRecord, triggerInput: JSONColumn?, _ db: Database, orIgnore: Bool) throws {
        try db.cachedStatement(sql: orIgnore ? insertOrIgnoreSQL : insertSQL).execute(arguments: [
            r.id, r.workflowID, r.workflowName, r.workflowFile, r.mode, r.status.rawValue, r.startedAt, r.stoppedAt, r.startNode,
            triggerInput?.inlineText, r.lastNode, text(r.error), r.ownerID, r.resumeOnCrash, r.retryOf,
        ])
        // Ignored (a duplicate): nothing more to write; the caller reports it.
        if db.changesCount > 0, let triggerInput { try insertInput(triggerInput, executionID: r.id, db) }
    }

    public func recordNodeRun(_ run: StoredNodeRun, executionID: String, checkpoint: JSONValue?) async throws {
        try await recordUpdate(ExecutionUpdate(executionID: executionID, nodeRuns: [run], checkpoint: checkpoint))
    }

    public func recordUpdate(_ update: ExecutionUpdate) async throws {
        // The runs' JSON is built before the transaction (a large run only measured, and streamed
        // in by the write), so the single writer queue is busy only with SQL.
        let runs = JSONColumn.prepare(update.nodeRuns.map(\.json))
        // Small runs written with the end may go into the execution's row (SQLiteStateStore+RunData.swift).
        let runData = update.end == nil ? nil : RunDataColumn.text(update.nodeRuns, runs)
        // An end whose execution's record still waits for the writer joins its insert
        // (SQLiteStateStore+QueuedRecord.swift).
        if update.end != nil, try await joinQueuedRecord(update, runs: runs, runData: runData) { return }
        try await write("recordUpdate") { db in
            let id = update.executionID
            try self.refuseIfRecordFailed(id, ending: update.end != nil)
            if update.markRunning && update.end == nil {
                try db.cachedStatement(sql: "UPDATE executions SET status = 'running' WHERE id = ? AND status = 'new'").execute(arguments: [id])
            }
            let checkpoint = Self.text(update.checkpoint)
            if let end = update.end {
                // The common case (an execution's runs written with its end): one row update, with
                // the runs when they are kept in the row; rows of `node_runs` otherwise.
                let inRow = try Self.finish(id: id, end, lastNode: update.nodeRuns.last?.node, checkpoint: checkpoint, runData: runData, db)
                if !inRow {
                    for (run, data) in zip(update.nodeRuns, runs) { try Self.insertNodeRun(run, data, executionID: id, db) }
                }
                return
            }
            for (run, data) in zip(update.nodeRuns, runs) { try Self.insertNodeRun(run, data, executionID: id, db) }
            if let last = update.nodeRuns.last {
                try db.cachedStatement(sql: "UPDATE executions SET last_node = ?, checkpoint = COALESCE(?, checkpoint) WHERE id = ? AND status IN ('new', 'running')")
                    .execute(arguments: [last.node, checkpoint, id])
            } else if let checkpoint {
                try db.cachedStatement(sql: "UPDATE executions SET checkpoint = ? WHERE id = ? AND status IN ('new', 'running')").execute(arguments: [checkpoint, id])
            }
        }
    }

    static func insertNodeRun(_ run: StoredNodeRun, _ data: JSONColumn, executionID: String, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO node_runs (execution_id, node, run_index, data) VALUES (?, ?, ?, \(data.placeholder))")
            .execute(arguments: [executionID, run.node, run.runIndex, data.argument])
        try data.fill(table: "node_runs", column: "data", rowID: db.lastInsertedRowID, db)
    }

    public func finishExecution(id: String, status: ExecutionRecord.Status, stoppedAt: Double, error: JSONValue?) async throws {
        let end = ExecutionUpdate.End(status: status, stoppedAt: stoppedAt, error: error)
        try await write("finishExecution") { db in try Self.finish(id: id, end, db) }
    }

    private static func finish(id: String, _ end: ExecutionUpdate.End, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE executions SET status = ?, stopped_at = ?, error = ?, owner_id = NULL WHERE id = ?")
            .execute(arguments: [end.status.rawValue, end.stoppedAt, text(end.error), id])
        if db.changesCount == 0 { throw StoreError(.notFound, "sqlite: finishExecution: no execution with id \(id)") }
    }

    /// The end of an execution with its last node and checkpoint, in one statement: what
    /// `recordUpdate` writes in order (start, last node and checkpoint while `new` or `running`,
    /// then the end). SET expressions read the row as it was, so the condition sees the old status.
    /// `runData`: the runs to keep in the row (`SQLiteStateStore+RunData.swift`), written only while
    /// the execution is `new`; returns whether the row holds them (else the caller writes rows).
    private static func finish(id: String, _ end: ExecutionUpdate.End, lastNode: String?, checkpoint: String?, runData: String?, _ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            UPDATE executions SET
                last_node = CASE WHEN status IN ('new', 'running') THEN COALESCE(?, last_node) ELSE last_node END,
                checkpoint = CASE WHEN status IN ('new', 'running') THEN COALESCE(?, checkpoint) ELSE checkpoint END,
                run_data = CASE WHEN status = 'new' THEN COALESCE(?, run_data) ELSE run_data END,
                status = ?, stopped_at = ?, error = ?, owner_id = NULL
            WHERE id = ?
            RETURNING run_data IS ?
            """)
        guard let kept = try Bool.fetchOne(statement, arguments: [lastNode, checkpoint, runData, end.status.rawValue, end.stoppedAt, text(end.error), id, runData]) else {
            throw StoreError(.notFound, "sqlite: finishExecution: no execution with id \(id)")
        }
        return runData != nil && kept
    }

    public func execution(id: String) async throws -> ExecutionRecord? {
        try await read("execution") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.selectColumns) FROM executions WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    public func executions(matching query: ExecutionQuery) async throws -> [ExecutionRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let statuses = query.statuses {
            // Only unfinished statuses: the term that lets SQLite use the partial index on them.
            if !statuses.isEmpty, statuses.allSatisfy(\.isUnfinished) { conditions.append(Self.unfinishedCondition) }
            conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
            for status in statuses.sorted(by: { $0.rawValue < $1.rawValue }) { _ = arguments.append(contentsOf: [status.rawValue]) }
        }
        if let workflowID = query.workflowID {
            conditions.append("workflow_id = ?")
            _ = arguments.append(contentsOf: [workflowID])
        }
        if let before = query.startedBefore {
            conditions.append("started_at < ?")
            _ = arguments.append(contentsOf: [before])
        }
        if query.statuses?.isEmpty == true { return [] }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(Self.selectColumns) FROM executions \(whereClause) ORDER BY started_at DESC, id DESC LIMIT \(max(0, query.limit))"
        let args = arguments
        return try await read("executions") { db in try Row.fetchAll(db, sql: sql, arguments: args).map(Self.record) }
    }

    public func nodeRuns(executionID: String) async throws -> [StoredNodeRun] {
        try await read("nodeRuns") { db in
            let inRow = try Row.fetchOne(db.cachedStatement(sql: "SELECT run_data FROM executions WHERE id = ?"), arguments: [executionID])
                .flatMap { row in try row.withUnsafeData(atIndex: 0) { try Self.json(bytes: $0, "run_data of execution \(executionID)") } }
                .map { try RunDataColumn.runs($0, executionID: executionID) } ?? []
            // Each run parsed from SQLite's bytes of the column (TEXT, or a streamed BLOB), one row
            // at a time: no copy of the text as a `String`, nor every run's text at once.
            let rows = try Row.fetchCursor(db, sql: "SELECT node, run_index, data FROM node_runs WHERE execution_id = ? ORDER BY node, run_index",
                                           arguments: [executionID])
            var runs: [StoredNodeRun] = []
            while let row = try rows.next() {
                let node: String = row["node"]
                let data = try row.withUnsafeData(atIndex: 2) { try Self.json(bytes: $0, "node run of \(node)") }
                runs.append(StoredNodeRun(node: node, runIndex: row["run_index"], data: data ?? .null))
            }
            return Self.merged(inRow: inRow, rows: runs)
        }
    }

    public func checkpoint(executionID: String) async throws -> JSONValue? {
        let text = try await read("checkpoint") { db in
            try String.fetchOne(db, sql: "SELECT checkpoint FROM executions WHERE id = ?", arguments: [executionID])
        }
        return try Self.json(text, "checkpoint of execution \(executionID)")
    }

    public func registerOwner(_ owner: ExecutionOwner) async throws {
        try await write("registerOwner") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO owners (id, host, pid, heartbeat_at) VALUES (?, ?, ?, ?)",
                           arguments: [owner.id, owner.host, Int(owner.pid), owner.heartbeatAt])
        }
    }

    public func heartbeat(ownerID: String, at time: Double) async throws {
        try await write("heartbeat") { db in
            try db.execute(sql: "UPDATE owners SET heartbeat_at = ? WHERE id = ?", arguments: [time, ownerID])
        }
    }

    public func removeOwner(id: String) async throws {
        try await write("removeOwner") { db in
            try db.execute(sql: "DELETE FROM owners WHERE id = ?", arguments: [id])
        }
    }

    public func owners() async throws -> [ExecutionOwner] {
        try await read("owners") { db in
            try Row.fetchAll(db, sql: "SELECT id, host, pid, heartbeat_at FROM owners ORDER BY id").map {
                ExecutionOwner(id: $0["id"], host: $0["host"], pid: Int32(truncatingIfNeeded: $0["pid"] as Int), heartbeatAt: $0["heartbeat_at"])
            }
        }
    }

    public func unfinishedExecutions() async throws -> [ExecutionRecord] {
        try await read("unfinishedExecutions") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.selectColumns) FROM executions WHERE \(Self.unfinishedCondition) ORDER BY started_at, id")
                .map(Self.record)
        }
    }

    public func takeOver(executionID: String, from expectedOwner: String?, to newOwner: String?, status: ExecutionRecord.Status, at time: Double) async throws -> Bool {
        try await write("takeOver") { db in
            try db.execute(sql: """
                UPDATE executions SET status = ?, owner_id = ?, stopped_at = CASE WHEN ? THEN NULL ELSE ? END
                WHERE id = ? AND status IN ('new', 'running', 'waiting') AND owner_id IS ?
                """, arguments: [status.rawValue, newOwner, status.isUnfinished, time, executionID, expectedOwner])
            return db.changesCount == 1
        }
    }

    public func pruneExecutions(startedBefore: Double?, keepingLast: Int?) async throws -> Int {
        try await write("pruneExecutions") { db in
            var sql = "DELETE FROM executions WHERE status NOT IN ('new', 'running', 'waiting')"
            var arguments: StatementArguments = []
            if let startedBefore {
                sql += " AND started_at < ?"
                _ = arguments.append(contentsOf: [startedBefore])
            }
            if let keepingLast {
                sql += " AND id NOT IN (SELECT id FROM executions WHERE status NOT IN ('new', 'running', 'waiting') ORDER BY started_at DESC, id DESC LIMIT ?)"
                _ = arguments.append(contentsOf: [max(0, keepingLast)])
            }
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
    }

    static func record(_ row: Row) throws -> ExecutionRecord {
        let statusText: String = row["status"]
        guard let status = ExecutionRecord.Status(rawValue: statusText) else {
            throw StoreError(.corrupt, "sqlite: execution \(row["id"] as String? ?? "?") has an unknown status \"\(statusText)\"")
        }
        return ExecutionRecord(
            id: row["id"], workflowID: row["workflow_id"], workflowName: row["workflow_name"], workflowFile: row["workflow_file"],
            mode: row["mode"], status: status, startedAt: row["started_at"], stoppedAt: row["stopped_at"], startNode: row["start_node"],
            triggerInput: try row.withUnsafeData(named: "trigger_input") { try json(bytes: $0, "trigger input") }, lastNode: row["last_node"], error: try json(row["error"], "error"),
            ownerID: row["owner_id"], resumeOnCrash: row["resume_on_crash"], retryOf: row["retry_of"])
    }
}
