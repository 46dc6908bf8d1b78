public import FlowrunCore
import FlowrunExpressions
public import Logging
public import PostgresNIO
import Synchronization

/// Core's `PostgresService` on PostgresNIO: one `PostgresClient` (a connection pool) per distinct
/// connection settings, created on first use and run inside the pool's scope.
///
/// The pool is a scoped resource: `PostgresPool.with(logger:) { pool in … }` runs every client's
/// `run()` in a task group that also accepts clients created later (through an `AsyncStream`),
/// and cancels them all when the body returns. Nothing connects until a query needs it.
///
/// Before a client's first lease (and after a connection failure) one plain connection is opened
/// as a probe, so that a server that is down or a wrong password fails fast with the real reason
/// instead of waiting in the pool's retry loop.
public final class PostgresPool: PostgresService {
    private struct Entry {
        let client: PostgresClient
        var healthy: Bool
    }

    private let logger: Logger
    private let clients = Mutex<[PostgresConnectionSettings: Entry]>([:])
    private let closed = Mutex(false)
    private let started: AsyncStream<PostgresClient>.Continuation

    private init(logger: Logger, started: AsyncStream<PostgresClient>.Continuation) {
        self.logger = logger
        self.started = started
    }

    /// Runs `body` with a pool; every client it created is shut down when `body` returns or throws.
    public static func with<T: Sendable>(logger: Logger, _ body: (PostgresPool) async throws -> T) async throws -> T {
        let (stream, continuation) = AsyncStream.makeStream(of: PostgresClient.self)
        let pool = PostgresPool(logger: logger, started: continuation)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await withDiscardingTaskGroup { runners in
                    for await client in stream {
                        runners.addTask { await client.run() }
                    }
                }
            }
            defer {
                pool.closed.withLock { $0 = true }
                continuation.finish()
                group.cancelAll()
            }
            return try await body(pool)
        }
    }

    /// The running client for `settings`, created (and started) on first use.
    ///
    /// - Throws: `PostgresBackendError` when the pool's scope has ended.
    public func client(for settings: PostgresConnectionSettings) throws -> PostgresClient {
        if closed.withLock({ $0 }) {
            throw PostgresBackendError(.connection, "the Postgres pool is shut down", location: settings.location)
        }
        return clients.withLock { clients in
            if let entry = clients[settings] { return entry.client }
            var backgroundLogger = logger
            backgroundLogger[metadataKey: "postgres.location"] = .string(settings.location)
            let client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: backgroundLogger)
            clients[settings] = Entry(client: client, healthy: false)
            started.yield(client)
            return client
        }
    }

    /// The running client for a `postgres://` URL (see `PostgresConnectionSettings(url:)`).
    public func client(for url: String) throws -> PostgresClient {
        try client(for: PostgresConnectionSettings(url: url))
    }

    /// Leases a connection for `settings`, probing first when the server was not reached yet.
    public func withConnection<T: Sendable>(
        _ settings: PostgresConnectionSettings, largeNumbersAsNumbers: Bool = false,
        _ body: (PostgresSQLConnection) async throws -> T
    ) async throws -> T {
        let client = try client(for: settings)
        if !clients.withLock({ $0[settings]?.healthy ?? false }) {
            try await probe(settings)
            setHealthy(settings, true)
        }
        var queryLogger = logger
        queryLogger[metadataKey: "postgres.location"] = .string(settings.location)
        do {
            return try await client.withConnection { connection in
                try await body(PostgresSQLConnection(connection: connection, settings: settings, logger: queryLogger,
                                                     largeNumbersAsNumbers: largeNumbersAsNumbers))
            }
        } catch let error as PostgresBackendError {
            if error.kind == .connection || error.sqlState?.hasPrefix("57P") == true { setHealthy(settings, false) }
            throw error
        } catch let error as PSQLError {
            setHealthy(settings, false)
            throw PostgresBackendError.from(error, settings: settings)
        } catch where String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") {
            // The pool's own errors (shut down, circuit breaker tripped, request cancelled).
            setHealthy(settings, false)
            throw PostgresBackendError(.connection, "no connection from the pool (\(error))", location: settings.location)
        }
    }

    // MARK: PostgresService

    /// Leases a pooled connection for n8n's `postgres` credential. Besides n8n's fields, the
    /// credential data may carry `largeNumbersOutput: "numbers"` (the node's option of that name).
    public func withConnection<T: Sendable>(
        _ credential: ResolvedCredential, _ body: (any SQLConnection) async throws -> T
    ) async throws -> T {
        let settings = try PostgresConnectionSettings(credential: credential)
        let numbers = credential.data["largeNumbersOutput"]?.stringValue == "numbers"
        return try await withConnection(settings, largeNumbersAsNumbers: numbers) { try await body($0) }
    }

    private func setHealthy(_ settings: PostgresConnectionSettings, _ healthy: Bool) {
        clients.withLock { $0[settings]?.healthy = healthy }
    }

    /// Opens and closes one connection, failing with the reason (refused, timed out, bad password).
    private func probe(_ settings: PostgresConnectionSettings) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PostgresBackendError.from(error, settings: settings)
        }
        try? await connection.close()
    }
}

/// Runs `body` with a `PostgresPool` (see `PostgresPool.with(logger:_:)`).
public func withPostgresPool<T: Sendable>(logger: Logger, _ body: (PostgresPool) async throws -> T) async throws -> T {
    try await PostgresPool.with(logger: logger, body)
}
