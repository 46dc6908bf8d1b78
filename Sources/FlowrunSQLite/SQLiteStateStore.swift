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
        /// When the WAL is copied into the database (off the writer's path).
        public var checkpoint: CheckpointPolicy

        public init(path: String, busyTimeout: Duration = .seconds(10),
                    now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 * 1000 },
                    checkpoint: CheckpointPolicy = CheckpointPolicy()) {
            self.path = path
            self.busyTimeout = busyTimeout
            self.now = now
            self.checkpoint = checkpoint
        }

        /// The store file in a data directory: `<directory>/flowrun.sqlite`.
        public static func dataDirectory(_ directory: String) -> Configuration {
            Configuration(path: (directory as NSString).appendingPathComponent("flowrun.sqlite"))
        }
    }

    public let configuration: Configuration
    /// The open database and the checkpointer its writer reports commits to.
    private let opened = Mutex<(pool: DatabasePool, checkpointer: WALCheckpointer)?>(nil)
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

    deinit {
        // The pool closes its connections as it goes; no sync call onto its queues here (the last
        // reference may be released on one of them).
        opened.withLock { $0?.checkpointer.close() }
    }

    /// The pool, opened and migrated on first use.
    package func database() throws -> DatabasePool {
        try opened.withLock { opened in
            if let opened { return opened.pool }
            let new = try open()
            opened = new
            return new.pool
        }
    }

    /// What the background checkpointer did so far (nil before the store is opened).
    package var checkpointStatus: CheckpointStatus? {
        opened.withLock { $0?.checkpointer.status }
    }

    private func open() throws -> (pool: DatabasePool, checkpointer: WALCheckpointer) {
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
        // The writer's commits start checkpoints on another connection instead of running them
        // (SQLiteStateStore+Checkpoint.swift).
        let checkpointer = WALCheckpointer(path: configuration.path, policy: configuration.checkpoint)
        do {
            try pool.writeWithoutTransaction { db in try checkpointer.install(on: db) }
        } catch {
            try? pool.close()
            throw StoreError(.unavailable, "sqlite \(configuration.path): cannot set up WAL checkpoints: \(error)", underlying: error)
        }
        return (pool, checkpointer)
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

    /// Closes the database (the next operation opens it again); waits for a running checkpoint.
    public func close() throws {
        try opened.withLock { opened in
            guard let (pool, checkpointer) = opened else { return }
            pool.writeWithoutTransaction { db in checkpointer.uninstall(from: db) }
            checkpointer.close()
            try pool.close()
            opened = nil
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
