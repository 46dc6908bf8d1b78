import FlowrunCore
import Logging

// Owner: state store. Replace with SQLite (default, in dataDirectory) or Postgres (storeURL).
extension Runtime {
    static func withStore<T: Sendable>(
        _ configuration: RuntimeConfiguration, services: NodeServices, logger: Logger,
        _ body: ((any StateStore)?) async throws -> T
    ) async throws -> T {
        try await body(nil)
    }
}
