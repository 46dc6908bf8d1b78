import FlowrunCore
import Foundation
import PostgresNIO

// Schema versions. Never edit a registered migration: add a new one at the end. `{schema}` stands
// for the quoted schema name.
extension PostgresStateStore {
    /// Every migration of the store, in order. Other features add one line here.
    static let migrations: [(id: String, statements: [String])] = [
        ("executions-v1", executionTables),
        ("static-data-v1", ["CREATE TABLE {schema}.static_data (workflow_id text PRIMARY KEY, data text NOT NULL, updated_at double precision NOT NULL)"]),
        ("cache-v1", ["CREATE TABLE {schema}.cache (key text PRIMARY KEY, value text NOT NULL, expires_at double precision)"]),
        ("resilience-v1", resilienceTables),
    ]

    static let executionTables = [
        """
        CREATE TABLE {schema}.executions (
            id text PRIMARY KEY, workflow_id text, workflow_name text, workflow_file text,
            mode text NOT NULL, status text NOT NULL, started_at double precision NOT NULL, stopped_at double precision,
            start_node text, trigger_input text, last_node text, error text, owner_id text,
            resume_on_crash boolean NOT NULL DEFAULT false, retry_of text, checkpoint text)
        """,
        "CREATE INDEX executions_status ON {schema}.executions (status)",
        "CREATE INDEX executions_started_at ON {schema}.executions (started_at)",
        "CREATE INDEX executions_workflow ON {schema}.executions (workflow_id, started_at)",
        """
        CREATE TABLE {schema}.node_runs (
            execution_id text NOT NULL REFERENCES {schema}.executions (id) ON DELETE CASCADE,
            node text NOT NULL, run_index integer NOT NULL, data text NOT NULL,
            PRIMARY KEY (execution_id, node, run_index))
        """,
        "CREATE TABLE {schema}.owners (id text PRIMARY KEY, host text NOT NULL, pid integer NOT NULL, heartbeat_at double precision NOT NULL)",
    ]

    /// Applies the pending migrations in one transaction holding an advisory lock on the schema's
    /// name, so processes that start together migrate one after the other.
    static func migrate(_ store: PostgresStateStore) async throws {
        let schema = store.configuration.schema
        let quoted = "\"\(schema)\""
        do {
            try await store.client.withTransaction(logger: store.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("flowrun.store." + schema)))", logger: store.logger)
                try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: quoted)", logger: store.logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS \(unescaped: quoted).schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: store.logger)
                var applied: Set<String> = []
                for try await id in try await connection.query("SELECT id FROM \(unescaped: quoted).schema_migrations", logger: store.logger).decode(String.self) {
                    applied.insert(id)
                }
                for migration in migrations where !applied.contains(migration.id) {
                    for statement in migration.statements {
                        let sql = statement.replacingOccurrences(of: "{schema}", with: quoted)
                        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger)
                    }
                    try await connection.query("INSERT INTO \(unescaped: quoted).schema_migrations (id) VALUES (\(migration.id))", logger: store.logger)
                }
            }
        } catch {
            let reason = (error as? PSQLError).map { e in e.serverInfo?[.message] ?? "\(e.code)" } ?? "\(error)"
            throw StoreError(.migration, "postgres store \(store.location): migrating schema \(schema): \(reason)", underlying: error)
        }
    }

    /// Drops the store's schema and everything in it (tests).
    package func dropSchema() async throws {
        do {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: "\"\(configuration.schema)\"") CASCADE", logger: logger)
        } catch {
            throw storeError("dropSchema", error)
        }
        migratedReset()
    }
}
