import FlowrunCore
import Logging

// Owner: Redis. Replace with the Redis pool per credential (closed when the body returns).
extension Runtime {
    static func withRedis<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any RedisService)?) async throws -> T
    ) async throws -> T {
        try await body(nil)
    }
}
