import FlowrunCore
import FlowrunPostgres
import FlowrunSQLite
import Logging

// The state store: SQLite in the data directory by default, Postgres when the store URL is
// postgres://. Both open lazily: nothing is opened or connected until the first store operation.
extension Runtime {
    static func withStore<T: Sendable>(
        _ configuration: RuntimeConfiguration, services: NodeServices, logger: Logger,
        _ body: ((any StateStore)?) async throws -> T
    ) async throws -> T {
        if let url = configuration.storeURL, !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw StoreError(.invalidURL, "store URL: only postgres:// URLs are supported (leave it unset for the SQLite file in the data directory)")
            }
            var postgres = PostgresStateStore.Configuration(url: url)
            if let schema = configuration.environment["FLOWRUN_STORE_SCHEMA"], !schema.isEmpty { postgres.schema = schema }
            return try await PostgresStateStore.with(postgres, logger: logger) { store in
                try await withOwnerLease(store, configuration: configuration, logger: logger) { try await body(store) }
            }
        }
        let store = SQLiteStateStore(configuration: .dataDirectory(configuration.dataDirectory))
        defer { try? store.close() }
        return try await withOwnerLease(store, configuration: configuration, logger: logger) { try await body(store) }
    }

    /// Runs `body` with this process's owner lease and execution recorder bound (task-local),
    /// renewing the lease and writing deferred node runs in the background while executions are
    /// recorded; at the end writes what is left and removes the lease.
    private static func withOwnerLease<T: Sendable>(
        _ store: any ExecutionStore, configuration: RuntimeConfiguration, logger: Logger, _ body: () async throws -> T
    ) async throws -> T {
        guard configuration.recordsExecutions else { return try await body() }
        let lease = OwnerLease(store: store, logger: logger)
        let recorder = ExecutionRecorder(store: store, lease: lease, logger: logger, progress: progress(configuration))
        return try await OwnerLease.$current.withValue(lease) {
            try await ExecutionRecorder.$current.withValue(recorder) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await lease.renewUntilCancelled() }
                    group.addTask { await recorder.flushUntilCancelled() }
                    defer { group.cancelAll() }
                    let result = try await body()
                    await recorder.flush(olderThan: nil)
                    await lease.leave()
                    return result
                }
            }
        }
    }
}
