import FlowrunCore
import FlowrunRedis
import Logging

// Owner: Redis. One connection pool per credential (FlowrunRedis.RedisPool); pools and their
// connections are created on a node's first Redis call, never at scope start, and closed when the
// body returns.
//
// Environment (from `configuration.environment`):
// - FLOWRUN_REDIS_MAX_CONNECTIONS: connections per credential (default 8).
// - FLOWRUN_REDIS_COMMAND_TIMEOUT_MS: longest wait for a reply (default 30000; 0 = none).
// - FLOWRUN_REDIS_CONNECT_TIMEOUT_MS: longest wait to connect (default 10000, as n8n).
extension Runtime {
    static func withRedis<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any RedisService)?) async throws -> T
    ) async throws -> T {
        try await RedisPool.withPool(defaults: redisDefaults(configuration.environment), logger: logger) { pool in
            try await body(pool)
        }
    }

    static func redisDefaults(_ environment: [String: String]) -> RedisConfiguration {
        var defaults = RedisConfiguration()
        if let n = environment["FLOWRUN_REDIS_MAX_CONNECTIONS"].flatMap(Int.init), n > 0 { defaults.maximumConnections = n }
        if let ms = environment["FLOWRUN_REDIS_COMMAND_TIMEOUT_MS"].flatMap(Int.init), ms >= 0 {
            defaults.commandTimeout = ms == 0 ? nil : .milliseconds(ms)
        }
        if let ms = environment["FLOWRUN_REDIS_CONNECT_TIMEOUT_MS"].flatMap(Int.init), ms > 0 { defaults.connectTimeout = .milliseconds(ms) }
        return defaults
    }
}
