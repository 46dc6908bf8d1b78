import FlowrunCore
import Logging

/// A bounded pool of connections to one server with one identity: idle connections are reused,
/// closed ones dropped (a new one is opened in their place on demand), and callers wait for a
/// free connection when `maximumConnections` are in use. Nothing is opened before the first lease.
actor RedisConnectionPool {
    let configuration: RedisConfiguration
    private let logger: Logger
    private var idle: [RedisNIOConnection] = []
    /// Connections open or being opened (idle + leased + connecting).
    private var open = 0
    /// Callers waiting for a connection; resumed with a connection, or with nil meaning "a slot is
    /// yours: open a connection".
    private var waiters: [CheckedContinuation<RedisNIOConnection?, any Error>] = []
    private var isShutDown = false
    /// Connections opened so far (for tests and metrics).
    private(set) var connectionsOpened = 0

    init(configuration: RedisConfiguration, logger: Logger, isShutDown: Bool = false) {
        self.configuration = configuration
        self.logger = logger
        self.isShutDown = isShutDown
    }

    /// Runs `body` with a connection, returned to the pool afterwards (dropped when it was closed).
    nonisolated func withConnection<T>(_ body: (RedisNIOConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    func lease() async throws -> RedisNIOConnection {
        guard !isShutDown else { throw RedisBackendError(.shutdown, "the Redis pool is shut down", server: configuration.serverName) }
        while let connection = idle.popLast() {
            if connection.isActive { return connection }
            open -= 1
        }
        if open < max(1, configuration.maximumConnections) {
            open += 1
            return try await openConnection()
        }
        let handed = try await withCheckedThrowingContinuation { waiters.append($0) }
        if let handed { return handed }
        return try await openConnection()
    }

    /// Opens a connection in a slot already counted in `open`; on failure gives the slot back.
    private func openConnection() async throws -> RedisNIOConnection {
        do {
            let connection = try await RedisNIOConnection.connect(configuration)
            connectionsOpened += 1
            if isShutDown {
                connection.close()
                throw RedisBackendError(.shutdown, "the Redis pool is shut down", server: configuration.serverName)
            }
            logger.debug("Redis connection opened", metadata: ["redis.server": "\(configuration.serverName)", "redis.open": "\(open)"])
            return connection
        } catch {
            freeSlot()
            throw error
        }
    }

    func release(_ connection: RedisNIOConnection) {
        if isShutDown {
            connection.close()
            return
        }
        guard connection.isActive else {
            logger.debug("Redis connection dropped (closed)", metadata: ["redis.server": "\(configuration.serverName)"])
            freeSlot()
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// A slot became free: hand it to a waiter (who opens a connection), else count it down.
    private func freeSlot() {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: nil)
        } else {
            open -= 1
        }
    }

    /// Closes idle connections, fails waiters; leased connections close when released.
    func shutdown() async {
        isShutDown = true
        let closing = idle
        idle.removeAll()
        for waiter in waiters {
            waiter.resume(throwing: RedisBackendError(.shutdown, "the Redis pool is shut down", server: configuration.serverName))
        }
        waiters.removeAll()
        for connection in closing { await connection.closeAndWait() }
    }

    var idleCount: Int { idle.count }
}
