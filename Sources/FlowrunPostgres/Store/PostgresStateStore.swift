public import FlowrunCore
import FlowrunExpressions
import Foundation
public import Logging
import PostgresNIO
import Synchronization

/// The shared state store: Postgres, for several processes or machines. Every table lives in one
/// schema (default `flowrun`), created by `migrate()` under an advisory lock so processes may start
/// at once.
///
/// The client connects on first use; `run()` (or the scoped `with(_:logger:_:)`) must be running
/// for queries to be served. The schema is migrated lazily before the first operation.
public final class PostgresStateStore: StateStore {
    public struct Configuration: Sendable {
        /// `postgres://user:password@host:port/database` (`sslmode=disable` is the only mode yet).
        public var url: String
        /// The schema that holds the store's tables (letters, digits, underscores).
        public var schema: String
        public var maxConnections: Int
        /// Wall-clock milliseconds since 1970 (expiry, heartbeats); inject a fixed clock in tests.
        public var now: @Sendable () -> Double

        public init(url: String, schema: String = "flowrun", maxConnections: Int = 10,
                    now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 * 1000 }) {
            self.url = url
            self.schema = schema
            self.maxConnections = maxConnections
            self.now = now
        }
    }

    public let configuration: Configuration
    package let client: PostgresClient
    package let logger: Logger
    /// Where the server is, for messages (no password).
    package let location: String
    private let migrated = Mutex(false)
    /// Executions this process moved to running under an owner (`claimUnowned`, `takeOver`) whose
    /// start the engine has not reported yet: that `startExecution` would write nothing new.
    private let started = Mutex<[String: String]>([:])
    /// Start-node runs held back until the execution's next write (`holdStartRun`), by execution id.
    let held = Mutex<[String: HeldRun]>([:])

    struct HeldRun {
        var node: String
        var run: StoredNodeRun?
    }

    /// - Throws: `StoreError` `.invalidURL` for a URL or schema name flowrun cannot use.
    public init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        guard configuration.schema.range(of: "^[A-Za-z_][A-Za-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw StoreError(.invalidURL, "postgres store: schema \"\(configuration.schema)\" is not a plain identifier (letters, digits, underscores)")
        }
        let (clientConfiguration, location) = try Self.clientConfiguration(configuration)
        self.location = location
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
    }

    /// Serves the client's connections until the task is cancelled.
    public func run() async {
        await client.run()
    }

    /// Creates a store, runs its client while `body` runs, then stops it.
    public static func with<T: Sendable>(
        _ configuration: Configuration, logger: Logger, _ body: (PostgresStateStore) async throws -> T
    ) async throws -> T {
        let store = try PostgresStateStore(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    package func now() -> Double { configuration.now() }

    /// The schema-qualified, quoted name of a table, for `\(unescaped: table("executions"))`.
    package func table(_ name: String) -> String { "\"\(configuration.schema)\".\"\(name)\"" }

    public func migrate() async throws {
        try await migrateOnce()
    }

    /// Migrates the schema unless this store did already.
    package func migrateOnce() async throws {
        if migrated.withLock({ $0 }) { return }
        try await Self.migrate(self)
        migrated.withLock { $0 = true }
    }

    package func migratedReset() { migrated.withLock { $0 = false } }

    func rememberStarted(_ executionID: String, owner: String) {
        started.withLock { started in
            // Bounded: an entry whose start never comes (the execution ended first) only costs a
            // skipped shortcut once the map is cleared.
            if started.count >= 4096 { started.removeAll() }
            started[executionID] = owner
        }
    }

    /// Whether this process just moved `executionID` to running under `owner` (forgotten on return).
    func takeStarted(_ executionID: String, owner: String) -> Bool {
        started.withLock { started in
            guard started[executionID] == owner else { return false }
            started[executionID] = nil
            return true
        }
    }

    func forgetStarted(_ executionID: String) {
        _ = started.withLock { $0.removeValue(forKey: executionID) }
    }

    /// Runs `body` in a transaction (after migrating), mapping driver errors to `StoreError`.
    package func withTransaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> sending T) async throws -> T {
        try await migrateOnce()
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw storeError(operation, error)
        }
    }

    /// Runs one statement (after migrating) and returns its rows.
    package func rows(_ operation: String, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await migrateOnce()
        do {
            var out: [PostgresRandomAccessRow] = []
            for try await row in try await client.query(query, logger: logger) { out.append(row.makeRandomAccess()) }
            return out
        } catch {
            throw storeError(operation, error)
        }
    }

    package func storeError(_ operation: String, _ error: any Error) -> StoreError {
        let reason = (error as? PSQLError).map { e in e.serverInfo?[.message] ?? "\(e.code)" } ?? "\(error)"
        return StoreError(.unavailable, "postgres store \(location): \(operation): \(reason)", underlying: error)
    }

    private static func clientConfiguration(_ configuration: Configuration) throws -> (PostgresClient.Configuration, String) {
        guard let url = URLComponents(string: configuration.url), url.scheme == "postgres" || url.scheme == "postgresql",
              let host = url.host, !host.isEmpty
        else {
            throw StoreError(.invalidURL, "postgres store: the store URL is not postgres://user:password@host:port/database")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        if let mode = query["sslmode"], mode != "disable" {
            throw StoreError(.invalidURL, "postgres store \(host): sslmode=\(mode) is not supported by the store yet; use sslmode=disable on a trusted network")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        var client = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user?.removingPercentEncoding ?? "postgres",
            password: url.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: .disable)
        client.options.maximumConnections = configuration.maxConnections
        client.options.minimumConnections = 0
        // The prepared statements (`PostgresStateStore+Prepared.swift`) name tables without the
        // schema; every other statement names it.
        client.options.additionalStartupParameters = [("search_path", "\"\(configuration.schema)\"")]
        return (client, "\(host):\(url.port ?? 5432)/\(database)")
    }
}
