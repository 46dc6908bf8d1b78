public import FlowrunCore
public import Logging

/// Core's `RedisService`: one bounded connection pool per credential (server, database and
/// identity), created on first use and reused by every node and execution of the process.
///
/// Use `RedisPool.withPool(...)` so the pools are shut down when the scope ends.
public final class RedisPool: RedisService, Sendable {
    private let registry: Registry
    private let defaults: RedisConfiguration
    private let logger: Logger

    /// - Parameter defaults: timeouts and pool size applied to every credential's pool (its host,
    ///   port, database, user and password are ignored).
    public init(defaults: RedisConfiguration = RedisConfiguration(), logger: Logger) {
        self.registry = Registry()
        self.defaults = defaults
        self.logger = logger
    }

    /// Runs `body` with a pool, then shuts every connection down.
    public static func withPool<T: Sendable>(
        defaults: RedisConfiguration = RedisConfiguration(), logger: Logger, _ body: (RedisPool) async throws -> T
    ) async throws -> T {
        let pool = RedisPool(defaults: defaults, logger: logger)
        do {
            let result = try await body(pool)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    public func withConnection<T: Sendable>(
        _ credential: ResolvedCredential, _ body: (any RedisConnection) async throws -> T
    ) async throws -> T {
        try await withNIOConnection(credential) { try await body($0) }
    }

    /// As `withConnection`, with the concrete connection (per-command timeouts, `isActive`).
    public func withNIOConnection<T: Sendable>(
        _ credential: ResolvedCredential, _ body: (RedisNIOConnection) async throws -> T
    ) async throws -> T {
        var configuration = try RedisConfiguration(credential: credential)
        configuration.connectTimeout = defaults.connectTimeout
        configuration.commandTimeout = defaults.commandTimeout
        configuration.maximumConnections = defaults.maximumConnections
        let pool = await registry.pool(for: configuration, logger: logger)
        return try await pool.withConnection(body)
    }

    /// Connections opened so far for `credential` (0 when its pool does not exist yet).
    public func connectionsOpened(for credential: ResolvedCredential) async throws -> Int {
        var configuration = try RedisConfiguration(credential: credential)
        configuration.connectTimeout = defaults.connectTimeout
        configuration.commandTimeout = defaults.commandTimeout
        configuration.maximumConnections = defaults.maximumConnections
        guard let pool = await registry.existing(configuration) else { return 0 }
        return await pool.connectionsOpened
    }

    /// Closes every pool's connections; later calls fail with `.shutdown`.
    public func shutdown() async {
        for pool in await registry.closeAll() { await pool.shutdown() }
    }

    private actor Registry {
        var pools: [RedisConfiguration: RedisConnectionPool] = [:]
        var isShutDown = false

        func pool(for configuration: RedisConfiguration, logger: Logger) -> RedisConnectionPool {
            if let pool = pools[configuration] { return pool }
            // After shutdown, a new pool answers with `.shutdown` errors rather than opening
            // connections nobody would close.
            let pool = RedisConnectionPool(configuration: configuration, logger: logger, isShutDown: isShutDown)
            pools[configuration] = pool
            return pool
        }

        func existing(_ configuration: RedisConfiguration) -> RedisConnectionPool? { pools[configuration] }

        func closeAll() -> [RedisConnectionPool] {
            isShutDown = true
            return Array(pools.values)
        }
    }
}
