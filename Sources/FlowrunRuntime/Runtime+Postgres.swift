import FlowrunCore
import Logging

// Owner: Postgres. Replace with the PostgresNIO pool per credential (run and shut down here).
extension Runtime {
    static func withPostgres<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any PostgresService)?) async throws -> T
    ) async throws -> T {
        try await body(nil)
    }
}
