import FlowrunCore
import FlowrunPostgres
import Logging

// Owner: Postgres. The PostgresNIO pool: one client per distinct credential, created on the first
// query (a run that uses no Postgres node connects to nothing) and shut down when the body returns.
extension Runtime {
    static func withPostgres<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any PostgresService)?) async throws -> T
    ) async throws -> T {
        try await PostgresPool.with(logger: logger) { pool in
            try await body(pool)
        }
    }
}
