import Dispatch
import FlowrunCore
import GRDB
import GRDBSQLite
import Glibc
import Synchronization

// WAL checkpoints off the writer's path. SQLite's default checkpoint runs on the connection that
// committed, after its commit, when the WAL passed a size: the writer (and every execution waiting
// for a commit) then stalls for the copy and two fsyncs (about 30 ms for a 32 MB WAL on the
// benchmark VM: webhook p99 28 ms). Here the writer's commits only report the WAL's length (SQLite's
// WAL hook) and a checkpointer copies the WAL into the database on its own connection and queue.
// Its checkpoints are PASSIVE: they take no lock the writer needs, so commits go on meanwhile.
//
// A WAL is reused from its start only when a write transaction begins after everything in it was
// copied, which a checkpoint running beside a busy writer never achieves. So, past
// `Policy.writerFrames`, the writer checkpoints itself once after a commit (only what the background
// checkpoints have not copied yet: a short stall, rare) and its next transaction restarts the WAL;
// `journal_size_limit` cuts a WAL that grew past that back when it restarts.
//
// Durability is SQLite's WAL with `synchronous = NORMAL` either way: a commit is in the WAL (the OS's
// file cache) when the caller resumes, so it survives a crash of the process; checkpoints fsync the
// WAL before copying and the database after, as the default checkpoint does.

extension SQLiteStateStore {
    /// When the WAL is copied into the database.
    public struct CheckpointPolicy: Sendable, Hashable {
        /// A background checkpoint starts after a commit once the WAL has grown by this many
        /// frames (pages) since the last one started; after it, one more runs when the store has
        /// been idle for `idleDelay`, so a quiet store ends with its WAL copied.
        public var backgroundFrames: Int
        /// Past this many frames the writer checkpoints itself after a commit (the rest the
        /// background ones left) so that its next transaction restarts the WAL, once no background
        /// checkpoint runs; past twice this many it waits for the one running: the WAL's bound.
        public var writerFrames: Int
        public var idleDelay: Duration

        public init(backgroundFrames: Int = 1_024, writerFrames: Int = 16_384, idleDelay: Duration = .milliseconds(250)) {
            self.backgroundFrames = max(1, backgroundFrames)
            self.writerFrames = max(self.backgroundFrames, writerFrames)
            self.idleDelay = idleDelay
        }
    }

    /// What the checkpointer has done (for tests and diagnostics).
    package struct CheckpointStatus: Sendable {
        /// Checkpoints run by the background connection / by the writer past `writerFrames`.
        package var background = 0
        package var writer = 0
        /// Frames in the WAL at the writer's last commit (0 after the WAL restarted).
        package var frames = 0
        /// The last checkpoint that failed other than busy (another process checkpointing).
        package var lastFailure: String?
    }
}

/// Runs the store's background checkpoints; its `committed(frames:connection:)` is the writer
/// connection's WAL hook.
final class WALCheckpointer: Sendable {
    let path: String
    let policy: SQLiteStateStore.CheckpointPolicy
    private let queue: DispatchQueue

    private struct State: ~Copyable {
        /// The checkpointing connection, opened by the first background checkpoint.
        var connection: Connection?
        /// A background checkpoint is queued or running.
        var running = false
        /// WAL frames when the last background checkpoint started.
        var startedAt = 0
        /// The writer checkpoints itself after a commit that leaves at least this many frames.
        var writerAt: Int
        /// The writer is checkpointing (no background checkpoint starts meanwhile).
        var writerCheckpointing = false
        /// The WAL's sync before the writer's checkpoint: asked of the queue, then done.
        var walSync = WALSync.none
        /// Bumped by every background checkpoint: an idle check finding it changed does nothing.
        var generation = 0
        var closed = false
        var status = SQLiteStateStore.CheckpointStatus()
    }

    private let state: Mutex<State>

    /// A SQLite connection handle.
    // @unchecked: the checkpointing connection is used only on `queue` (and closed there).
    private struct Connection: @unchecked Sendable {
        let handle: OpaquePointer
        /// The database file, read-only, to fsync what checkpoints copied.
        let databaseFile: Int32
    }

    init(path: String, policy: SQLiteStateStore.CheckpointPolicy) {
        self.path = path
        self.policy = policy
        self.queue = DispatchQueue(label: "flowrun.sqlite.checkpoint", qos: .utility)
        self.state = Mutex(State(writerAt: policy.writerFrames))
    }

    var status: SQLiteStateStore.CheckpointStatus { state.withLock { $0.status } }

    /// Makes `db` (the pool's writer) report its commits here instead of checkpointing itself.
    /// The hook holds a reference to `self` until `uninstall(from:)`, so a commit never reaches a
    /// checkpointer that is gone.
    func install(on db: Database) throws {
        // The hook replaces SQLite's automatic checkpoint (itself a WAL hook).
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        // A WAL that grew past the bound (a long reader kept it from restarting) is cut back when it restarts.
        try db.execute(sql: "PRAGMA journal_size_limit = \(Int64(policy.writerFrames) * 4_200)")
        sqlite3_wal_hook(db.sqliteConnection, walHook, Unmanaged.passRetained(self).toOpaque())
    }

    /// Removes the hook `install(on:)` set and its reference to `self`.
    func uninstall(from db: Database) {
        guard let context = sqlite3_wal_hook(db.sqliteConnection, nil, nil) else { return }
        Unmanaged<WALCheckpointer>.fromOpaque(context).release()
    }

    private enum Action { case none, background, writer, writerAfterBackground, syncWAL }

    /// The writer's checkpoint first syncs the WAL (SQLite does before copying it), which holds the
    /// writer for as long as the WAL's unsynced pages take to reach the disk: 10–80 ms for the frames
    /// a busy writer appended since the last background checkpoint on the benchmark VM, every
    /// `writerFrames` (under a second of webhook load), and each execution in flight waited that
    /// long (the webhook p99). So the checkpointer's queue syncs the WAL first, while the writer goes
    /// on, and the writer checkpoints after its next commit once that is done, with little left to sync.
    enum WALSync { case none, running, done }

    /// After each commit of the writer, on its thread: `frames` is the WAL's length in frames.
    func committed(frames: Int, connection: OpaquePointer?) {
        let action = state.withLock { s -> Action in
            if frames < s.status.frames {
                // The WAL restarted.
                s.startedAt = 0
                s.writerAt = policy.writerFrames
            }
            s.status.frames = frames
            guard !s.closed else { return .none }
            if frames >= s.writerAt, !s.running, frames < 2 * policy.writerFrames, s.walSync != .done {
                if s.walSync == .running { return .none }
                s.walSync = .running
                return .syncWAL
            }
            if frames >= s.writerAt, !s.running || frames >= 2 * policy.writerFrames {
                s.walSync = .none
                // If the WAL does not restart (a reader in another process holds it), try again a
                // quarter of the bound later rather than after every commit.
                s.writerAt = frames + max(1, policy.writerFrames / 4)
                s.status.writer += 1
                s.writerCheckpointing = true
                // Twice the bound: the background checkpoint has run that long; wait for its end.
                return s.running ? .writerAfterBackground : .writer
            }
            if !s.running, frames - s.startedAt >= policy.backgroundFrames {
                s.running = true
                return .background
            }
            return .none
        }
        switch action {
        case .none: return
        case .writer, .writerAfterBackground:
            // The background checkpoint runs on `queue` and never waits for the writer.
            if action == .writerAfterBackground { queue.sync {} }
            let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            if code != SQLITE_OK && code != SQLITE_BUSY { noteFailure(code, connection) }
            state.withLock { $0.writerCheckpointing = false }
        case .background:
            queue.async { self.checkpoint() }
        case .syncWAL:
            queue.async { self.syncWAL() }
        }
    }

    /// Prepares the writer's checkpoint (see `WALSync`); runs on `queue`: one more background
    /// checkpoint (its copies synced), then the WAL synced, so the writer copies and syncs only what
    /// it appended meanwhile.
    private func syncWAL() {
        if let connection = state.withLock({ s -> Connection? in
            if s.connection == nil, !s.closed { s.connection = openConnection(&s.status) }
            return s.closed ? nil : s.connection
        }) {
            _ = pass(connection)
        }
        let file = Glibc.open(path + "-wal", O_RDONLY | O_CLOEXEC)
        if file >= 0 {
            // Twice: the second writes what the writer appended while the first ran, a fraction of it.
            _ = fdatasync(file)
            _ = fdatasync(file)
            Glibc.close(file)
        }
        state.withLock { if $0.walSync == .running { $0.walSync = .done } }
    }

    /// A PASSIVE checkpoint on `connection`, the pages it copied synced; returns SQLite's code and
    /// the WAL's frames and those copied as the checkpoint saw them.
    private func pass(_ connection: Connection) -> (code: Int32, walFrames: Int32, copied: Int32) {
        var walFrames: Int32 = 0
        var copied: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(connection.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copied)
        if code != SQLITE_OK && code != SQLITE_BUSY { noteFailure(code, connection.handle) }
        if code == SQLITE_OK, copied > 0 {
            // SQLite syncs the database only after a checkpoint that reached the WAL's end as it is
            // when the copy ends, which a busy writer never lets happen (frames were appended
            // meanwhile: `walFrames` is the WAL the checkpoint started with, so it cannot tell). The
            // copied pages would then wait for the writer's own checkpoint, whose sync (10+ ms, the
            // writer stalled) would write them all. Sync them here (next to nothing when SQLite did).
            _ = fdatasync(connection.databaseFile)
        }
        return (code, walFrames, copied)
    }

    /// One PASSIVE checkpoint on the checkpointing connection; runs on `queue`.
    private func checkpoint() {
        let (connection, generation) = state.withLock { s -> (Connection?, Int) in
            if s.closed { return (nil, 0) }
            s.generation += 1
            s.startedAt = s.status.frames
            if s.connection == nil { s.connection = openConnection(&s.status) }
            return (s.connection, s.generation)
        }
        guard let connection else {
            state.withLock { $0.running = false }
            return
        }
        let (code, walFrames, copied) = pass(connection)
        let rest = state.withLock { s -> Bool in
            s.running = false
            s.status.background += 1
            return !s.closed && (code != SQLITE_OK || copied < walFrames || s.status.frames != Int(walFrames))
        }
        // Frames were committed while it ran: copy them too once the store has been idle a while.
        if rest {
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(policy.idleDelay / .nanoseconds(1)))) {
                let idle = self.state.withLock { s -> Bool in
                    guard !s.closed, !s.running, !s.writerCheckpointing, s.generation == generation else { return false }
                    s.running = true
                    return true
                }
                if idle { self.checkpoint() }
            }
        }
    }

    /// A read-write connection to the database for checkpoints, or nil (and the reason noted).
    private func openConnection(_ status: inout SQLiteStateStore.CheckpointStatus) -> Connection? {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            status.lastFailure = "cannot open \(path) for checkpoints: SQLite error \(code)"
            sqlite3_close_v2(connection)
            return nil
        }
        // Checkpoints fsync the WAL before copying and the database after (as the writer's would);
        // reading the schema first makes the connection open the WAL.
        let setup = sqlite3_exec(connection, "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; SELECT count(*) FROM sqlite_master", nil, nil, nil)
        if setup != SQLITE_OK {
            status.lastFailure = "cannot prepare \(path) for checkpoints: \(String(cString: sqlite3_errmsg(connection)))"
            sqlite3_close_v2(connection)
            return nil
        }
        let file = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            status.lastFailure = "cannot open \(path) for checkpoints: errno \(errno)"
            sqlite3_close_v2(connection)
            return nil
        }
        return Connection(handle: connection, databaseFile: file)
    }

    private func noteFailure(_ code: Int32, _ connection: OpaquePointer?) {
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
        state.withLock { $0.status.lastFailure = "checkpoint of \(path): \(message)" }
    }

    /// Stops checkpointing: waits for a running checkpoint, closes the connection.
    func close() {
        state.withLock { $0.closed = true }
        queue.sync {
            let connection = state.withLock { s -> Connection? in
                defer { s.connection = nil }
                return s.connection
            }
            if let connection {
                sqlite3_close_v2(connection.handle)
                Glibc.close(connection.databaseFile)
            }
        }
    }
}

/// SQLite's WAL hook of the writer connection: `context` is its `WALCheckpointer`.
private func walHook(_ context: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ frames: Int32) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: Int(frames), connection: connection)
    return SQLITE_OK
}
