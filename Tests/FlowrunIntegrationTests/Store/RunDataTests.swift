import FlowrunCore
import FlowrunExpressions
@testable import FlowrunSQLite
import Foundation
import GRDB
import Testing

/// The SQLite store keeps the small node runs written with an execution's end in the execution's
/// row (`executions.run_data`), other runs as rows of `node_runs`; reads give both alike. Databases
/// written by earlier versions are migrated and read.
@Suite("Store: node runs in the execution's row")
struct RunDataTests {
    static func record(_ id: String) -> ExecutionRecord {
        ExecutionRecord(id: id, workflowID: "w", mode: "webhook", startedAt: 1000, ownerID: "owner")
    }

    static let end = ExecutionUpdate.End(status: .success, stoppedAt: 2000, error: nil)

    static func withSQLite<T: Sendable>(_ body: (SQLiteStateStore) async throws -> T) async throws -> T {
        try await StoreFixtures.withStore(.sqlite) { store in try await body(try #require(store as? SQLiteStateStore)) }
    }

    static func counts(_ id: String, _ store: SQLiteStateStore) async throws -> (rows: Int, inRow: Bool) {
        try await store.read("counts") { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM node_runs WHERE execution_id = ?", arguments: [id]) ?? -1,
             try Bool.fetchOne(db, sql: "SELECT run_data IS NOT NULL FROM executions WHERE id = ?", arguments: [id]) ?? false)
        }
    }

    @Test("small runs written with the end of a new execution are kept in its row and read back in node order")
    func inRow() async throws {
        try await Self.withSQLite { store in
            try await store.createExecution(Self.record("e1"))
            // SQLite orders node names by their bytes: "B" < "a" < "Ä".
            let runs = [
                StoredNodeRun(node: "a", runIndex: 0, data: ["v": 1, "t": "ü\"x\n"]), StoredNodeRun(node: "Ä", runIndex: 0, data: [:]),
                StoredNodeRun(node: "B", runIndex: 1, data: ["v": 2.5]), StoredNodeRun(node: "B", runIndex: 0, data: ["v": .null]),
            ]
            try await store.recordUpdate(ExecutionUpdate(executionID: "e1", nodeRuns: runs, end: Self.end))
            let counts = try await Self.counts("e1", store)
            #expect(counts.rows == 0 && counts.inRow)
            #expect(try await store.nodeRuns(executionID: "e1") == [runs[3], runs[2], runs[0], runs[1]])
            let record = try #require(try await store.execution(id: "e1"))
            #expect(record.status == .success && record.lastNode == "B" && record.ownerID == nil)
        }
    }

    @Test("runs of a started execution, large runs and later runs are rows; a row replaces the entry of the same run")
    func rowsBeside() async throws {
        try await Self.withSQLite { store in
            // Started (progress written before the end): every run is a row.
            try await store.createExecution(Self.record("started"))
            try await store.recordUpdate(ExecutionUpdate(executionID: "started", markRunning: true, nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: [:])]))
            try await store.recordUpdate(ExecutionUpdate(executionID: "started", nodeRuns: [StoredNodeRun(node: "B", runIndex: 0, data: [:])], end: Self.end))
            #expect(try await Self.counts("started", store) == (2, false))
            #expect(try await store.nodeRuns(executionID: "started").map(\.node) == ["A", "B"])

            // Over the budget together: rows.
            try await store.createExecution(Self.record("large"))
            let text = JSONValue.string(String(repeating: "x", count: RunDataColumn.budget))
            try await store.recordUpdate(ExecutionUpdate(executionID: "large", nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: ["t": text])], end: Self.end))
            #expect(try await Self.counts("large", store) == (1, false))
            #expect(try await store.nodeRuns(executionID: "large") == [StoredNodeRun(node: "A", runIndex: 0, data: ["t": text])])

            // In the row, then a run written after the end (a late progress write) beside it, and a
            // run replacing one kept in the row.
            try await store.createExecution(Self.record("late"))
            try await store.recordUpdate(ExecutionUpdate(
                executionID: "late", nodeRuns: [StoredNodeRun(node: "B", runIndex: 0, data: ["v": 1]), StoredNodeRun(node: "C", runIndex: 0, data: ["v": 2])], end: Self.end))
            try await store.recordUpdate(ExecutionUpdate(executionID: "late", markRunning: true, nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: ["v": 3])]))
            try await store.recordNodeRun(StoredNodeRun(node: "C", runIndex: 0, data: ["v": 4]), executionID: "late", checkpoint: nil)
            #expect(try await Self.counts("late", store) == (2, true))
            #expect(try await store.nodeRuns(executionID: "late") == [
                StoredNodeRun(node: "A", runIndex: 0, data: ["v": 3]), StoredNodeRun(node: "B", runIndex: 0, data: ["v": 1]),
                StoredNodeRun(node: "C", runIndex: 0, data: ["v": 4]),
            ])
            let record = try #require(try await store.execution(id: "late"))
            #expect(record.status == .success && record.lastNode == "C", "the late write does not undo the end")

            // Put to wait with its runs in the row, resumed: the later runs are rows beside them.
            try await store.createExecution(Self.record("waits"))
            try await store.recordUpdate(ExecutionUpdate(executionID: "waits", nodeRuns: [StoredNodeRun(node: "W", runIndex: 0, data: ["v": 5])],
                                                         checkpoint: ["step": 1], end: .init(status: .waiting, stoppedAt: 1500, error: nil)))
            #expect(try await Self.counts("waits", store) == (0, true))
            #expect(try await store.checkpoint(executionID: "waits") == ["step": 1])
            try await store.startExecution(Self.record("waits"), ownerID: "owner")
            try await store.recordUpdate(ExecutionUpdate(executionID: "waits", nodeRuns: [StoredNodeRun(node: "W", runIndex: 1, data: ["v": 6])], end: Self.end))
            #expect(try await Self.counts("waits", store) == (1, true))
            #expect(try await store.nodeRuns(executionID: "waits") == [StoredNodeRun(node: "W", runIndex: 0, data: ["v": 5]), StoredNodeRun(node: "W", runIndex: 1, data: ["v": 6])])
            #expect(try await store.execution(id: "waits")?.status == .success)

            // Pruning deletes runs kept either way.
            #expect(try await store.pruneExecutions(startedBefore: nil, keepingLast: 0) == 4)
            #expect(try await store.nodeRuns(executionID: "late").isEmpty)
        }
    }

    @Test("a database written before run_data and the OR-spelled status index is migrated and read")
    func migratesOldDatabase() async throws {
        let directory = NSTemporaryDirectory() + "flowrun-rundata-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/flowrun.sqlite"
        // The schema of the version before (its migrations, in order), with an execution and its runs.
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("executions-v1", migrate: SQLiteStateStore.createExecutionTables)
            migrator.registerMigration("static-data-v1", migrate: SQLiteStateStore.createStaticDataTable)
            migrator.registerMigration("cache-v1", migrate: SQLiteStateStore.createCacheTable)
            migrator.registerMigration("resilience-v1", migrate: SQLiteStateStore.createResilienceTables)
            migrator.registerMigration("executions-v2", migrate: SQLiteStateStore.indexUnfinishedExecutionsOnly)
            migrator.registerMigration("execution-inputs-v1", migrate: SQLiteStateStore.createExecutionInputsTable)
            try migrator.migrate(queue)
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO executions (id, workflow_id, mode, status, started_at, stopped_at, last_node, resume_on_crash) VALUES ('old', 'w', 'webhook', 'success', 1000, 2000, 'B', 0);
                    INSERT INTO executions (id, workflow_id, mode, status, started_at, owner_id, resume_on_crash) VALUES ('open', 'w', 'webhook', 'running', 1500, 'gone', 0);
                    INSERT INTO node_runs (execution_id, node, run_index, data) VALUES ('old', 'B', 0, '{"v":2}'), ('old', 'A', 0, '{"v":1}');
                    """)
            }
            try queue.close()
        }
        let store = SQLiteStateStore(configuration: .init(path: path))
        #expect(try await store.nodeRuns(executionID: "old") == [StoredNodeRun(node: "A", runIndex: 0, data: ["v": 1]), StoredNodeRun(node: "B", runIndex: 0, data: ["v": 2])])
        #expect(try await store.execution(id: "old")?.status == .success)
        #expect(try await store.unfinishedExecutions().map(\.id) == ["open"])
        let (indexSQL, plan) = try await store.read("schema") { db in
            (try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'executions_unfinished'"),
             try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM executions WHERE \(SQLiteStateStore.unfinishedCondition)").map { $0["detail"] as String? ?? "" })
        }
        #expect(indexSQL?.contains("status = 'new' OR status = 'running' OR status = 'waiting'") == true, "\(indexSQL ?? "no index")")
        #expect(plan.contains { $0.contains("executions_unfinished") }, "\(plan)")
        // New executions in the migrated file keep their runs in the row.
        try await store.createExecution(Self.record("new"))
        try await store.recordUpdate(ExecutionUpdate(executionID: "new", nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: ["v": 3])], end: Self.end))
        #expect(try await Self.counts("new", store) == (0, true))
        #expect(try await store.nodeRuns(executionID: "new") == [StoredNodeRun(node: "A", runIndex: 0, data: ["v": 3])])
        try store.close()
    }
}
