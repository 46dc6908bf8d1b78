import FlowrunCore
import Foundation
import Glibc
import GRDB

// Schema versions. Never edit a registered migration: add a new one at the end.
extension SQLiteStateStore {
    /// Every migration of the store, in order. Other features add one line here.
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("executions-v1", migrate: createExecutionTables)
        migrator.registerMigration("static-data-v1", migrate: createStaticDataTable)
        migrator.registerMigration("cache-v1", migrate: createCacheTable)
        migrator.registerMigration("resilience-v1", migrate: createResilienceTables)
        migrator.registerMigration("executions-v2", migrate: indexUnfinishedExecutionsOnly)
        migrator.registerMigration("execution-inputs-v1", migrate: createExecutionInputsTable)
        migrator.registerMigration("executions-v3", migrate: indexUnfinishedWithoutTempTable)
        migrator.registerMigration("executions-v4", migrate: addRunDataColumn)
    }

    /// Applies the pending migrations. Several processes may open the file at once: they take an
    /// exclusive lock on `<path>.lock` in turn, and the later ones find nothing left to do.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        do {
            if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
            let fd = Glibc.open(path + ".lock", O_CREAT | O_RDWR, 0o644)
            guard fd >= 0 else {
                throw StoreError(.migration, "sqlite \(path): cannot create the migration lock file \(path).lock (errno \(errno))")
            }
            defer { Glibc.close(fd) }
            guard flock(fd, LOCK_EX) == 0 else {
                throw StoreError(.migration, "sqlite \(path): cannot lock \(path).lock (errno \(errno))")
            }
            defer { flock(fd, LOCK_UN) }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.migration, "sqlite \(path): migrating the schema: \(error)", underlying: error)
        }
    }

    static func createExecutionTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE executions (
                id TEXT PRIMARY KEY NOT NULL,
                workflow_id TEXT, workflow_name TEXT, workflow_file TEXT,
                mode TEXT NOT NULL, status TEXT NOT NULL,
                started_at REAL NOT NULL, stopped_at REAL,
                start_node TEXT, trigger_input TEXT, last_node TEXT, error TEXT,
                owner_id TEXT, resume_on_crash INTEGER NOT NULL DEFAULT 0, retry_of TEXT,
                checkpoint TEXT
            );
            CREATE INDEX executions_status ON executions(status);
            CREATE INDEX executions_started_at ON executions(started_at);
            CREATE INDEX executions_workflow ON executions(workflow_id, started_at);
            CREATE TABLE node_runs (
                execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
                node TEXT NOT NULL, run_index INTEGER NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (execution_id, node, run_index)
            );
            CREATE TABLE owners (
                id TEXT PRIMARY KEY NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, heartbeat_at REAL NOT NULL
            );
            """)
    }

    static func createStaticDataTable(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE static_data (workflow_id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, updated_at REAL NOT NULL)")
    }

    static func createCacheTable(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE cache (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at REAL)")
    }
}

extension SQLiteStateStore {
    /// The statuses of executions that are not over, as the partial index's condition spells them:
    /// a query uses that index only when its WHERE clause holds this very term.
    ///
    /// Spelled with ORs, not `status IN ('new', 'running', 'waiting')`: SQLite evaluates a partial
    /// index's condition on every insert and on both rows of an update, and codes an IN list of
    /// more than two constants as a temporary b-tree built and dropped each time (a pager, its
    /// page cache and their allocations: a third of the writer's time on the webhook benchmark).
    /// A query's ORs of equalities still search the index (SQLite turns them into IN lookups).
    static let unfinishedCondition = "(status = 'new' OR status = 'running' OR status = 'waiting')"

    /// The status index keeps only unfinished executions (recovery and the wait tracker look them
    /// up; nothing looks up finished ones by status): it stays a page or two, where the full index
    /// had two leaf pages and their parent rewritten by most commits (an execution's insert as
    /// `new` and its end), about a sixth of the pages a webhook execution wrote to the WAL.
    static func indexUnfinishedExecutionsOnly(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX executions_status;
            CREATE INDEX executions_unfinished ON executions(status) WHERE status IN ('new', 'running', 'waiting');
            """)
    }

    /// The same partial index with `unfinishedCondition` as its condition (see there why).
    static func indexUnfinishedWithoutTempTable(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX executions_unfinished;
            CREATE INDEX executions_unfinished ON executions(status) WHERE \(unfinishedCondition);
            """)
    }
}
