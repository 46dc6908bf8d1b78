public import FlowrunCore
import FlowrunExpressions
import Foundation
import GRDB
import Synchronization

/// The embedded state store: one SQLite file (default `<dataDirectory>/flowrun.sqlite`) in WAL
/// mode, shared safely by the processes of one machine.
///
/// The file is opened and migrated lazily, on the first operation, so a run that never touches the
/// store never opens it. Writes that correctness depends on run in IMMEDIATE transactions: the
/// write lock is taken when the transaction begins, so two processes cannot both read and then
/// write on stale data; a busy database is retried for `busyTimeout`.
public final class SQLiteStateStore: StateStore {
    public struct Configuration: Sendable {
        /// The database file; its directory is created when missing.
        public var path: String
        /// How long a write waits for another process's write lock before failing.
        public var busyTimeout: Duration
        /// Wall-clock milliseconds since 1970 (expiry, heartbeats); inject a fixed clock in tests.
        public var now: @Sendable () -> Double

        public init(path: String, busyTimeout: Duration = .seconds(10),
                    now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 * 1000 }) {
            self.path = path
            self.busyTimeout = busyTimeout
            self.now = now
        }

        /// The store file in a data directory: `<directory>/flowrun.sqlite`.
        public static func dataDirectory(_ directory: String) -> Configuration {
            Configuration(path: (directory as NSString).appendingPathComponent("flowrun.sqlite"))
        }
    }

    public let configuration: Configuration
    private let pool = Mutex<DatabasePool?>(nil)
    /// Writes waiting for the next group commit.
    let batch = Mutex(WriteBatchState())

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Wall-clock milliseconds since 1970, from the configured clock.
    package func now() -> Double { configuration.now() }

    public func migrate() async throws {
        _ = try database()
    }

    /// The pool, opened and migrated on first use.
    package func database() throws -> DatabasePool {
        try pool.withLock { pool in
            if let pool { return pool }
            let opened = try open()
            pool = opened
            return opened
        }
    }

    private func open() throws -> DatabasePool {
        let directory = (configuration.path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.unavailable, "sqlite \(configuration.path): cannot create the directory \(directory): \(error.localizedDescription)", underlying: error)
            }
        }
        var config = GRDB.Configuration()
        let seconds = Double(configuration.busyTimeout.components.seconds) + Double(configuration.busyTimeout.components.attoseconds) / 1e18
        config.busyMode = .timeout(seconds)
        config.prepareDatabase { db in
            // WAL with NORMAL sync: a commit survives a process crash (the crash test's concern);
            // only a power loss may lose the last transactions.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: configuration.path, configuration: config)
        } catch {
            throw StoreError(.unavailable, "sqlite \(configuration.path): cannot open the database: \(error)", underlying: error)
        }
        try Self.migrate(pool, path: configuration.path)
        return pool
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is held from the start), in its own
    /// savepoint: writes of concurrent callers share one transaction (group commit, see
    /// `SQLiteStateStore+GroupCommit.swift`). Returns once the transaction committed.
    package func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = try database()
        let path = configuration.path
        @Sendable func wrapped(_ error: any Error) -> any Error {
            if error is StoreError { return error }
            return StoreError(.unavailable, "sqlite \(path): \(operation): \(error)", underlying: error)
        }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = PendingWrite(
                perform: { db in
                    do {
                        let value = try body(db)
                        return (false, { commitError in
                            if let commitError { continuation.resume(throwing: wrapped(commitError)) } else { continuation.resume(returning: value) }
                        })
                    } catch {
                        let failure = wrapped(error)
                        return (true, { _ in continuation.resume(throwing: failure) })
                    }
                },
                fail: { continuation.resume(throwing: wrapped($0)) })
            enqueue(job, on: pool)
        }
    }

    /// Runs `body` on a read-only snapshot.
    package func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = try database()
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "sqlite \(configuration.path): \(operation): \(error)", underlying: error)
        }
    }

    /// Closes the database (the next operation opens it again).
    public func close() throws {
        try pool.withLock { pool in
            try pool?.close()
            pool = nil
        }
    }

    /// JSON text for a column.
    package static func text(_ value: JSONValue?) -> String? { value?.jsonString() }

    /// A JSON column read back.
    package static func json(_ text: String?, _ what: String) throws -> JSONValue? {
        guard let text else { return nil }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw StoreError(.corrupt, "sqlite: \(what) is not JSON: \(error)")
        }
    }
}
