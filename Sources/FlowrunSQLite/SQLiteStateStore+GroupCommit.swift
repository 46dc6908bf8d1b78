import FlowrunCore
import GRDB
import Synchronization

// Group commit: every write of the store goes through one queue. The writes that arrive while a
// transaction is being written are committed together in the next one, so concurrent executions
// share one `BEGIN IMMEDIATE … COMMIT` (one WAL append) and one hop onto GRDB's writer queue.
// A write that throws is rolled back alone and its caller gets the error; the others commit (the
// batch is written without savepoints, and again with one per write when one failed). Callers
// resume only after their transaction committed.

/// One caller's write, waiting for the next transaction.
struct PendingWrite: Sendable {
    /// Runs the write inside the batch's transaction; returns what to tell the caller once the
    /// transaction ended (nil error: committed), and whether the write itself failed.
    let perform: @Sendable (Database) -> (failed: Bool, finish: @Sendable ((any Error)?) -> Void)
    /// Tells the caller the write was not attempted.
    let fail: @Sendable (any Error) -> Void
}

/// The writes waiting for a transaction, and whether one is being written.
struct WriteBatchState: ~Copyable {
    var waiting: [PendingWrite] = []
    var draining = false
    /// Queued execution records among `waiting`, by id: an end written meanwhile joins its insert.
    var queuedRecords: [String: QueuedRecord] = [:]
    /// Ids of queued records that were not written, until their execution's end is refused.
    var failedRecords: Set<String> = []
}

extension SQLiteStateStore {
    /// Queues `job`; starts a transaction on the writer queue unless one is running (that one
    /// takes the job with the next batch).
    /// `record`: the queued execution record the job inserts (an end may join it while it waits).
    func enqueue(_ job: PendingWrite, record: QueuedRecord? = nil, on pool: DatabasePool) {
        let start = batch.withLock { state -> Bool in
            state.waiting.append(job)
            if let record { state.queuedRecords[record.record.id] = record }
            if state.draining { return false }
            state.draining = true
            return true
        }
        if start { pool.asyncWriteWithoutTransaction { db in self.drain(db) } }
    }

    /// Writes batches until none is waiting. Runs on GRDB's writer queue.
    private func drain(_ db: Database) {
        while true {
            let jobs = batch.withLock { state -> [PendingWrite] in
                if state.waiting.isEmpty {
                    state.draining = false
                    return []
                }
                defer {
                    state.waiting.removeAll(keepingCapacity: true)
                    if !state.queuedRecords.isEmpty { state.queuedRecords.removeAll(keepingCapacity: true) }
                }
                return state.waiting
            }
            if jobs.isEmpty { return }
            commit(jobs, db)
        }
    }

    /// Writes `jobs` in one transaction, first without savepoints (two statements and the pages'
    /// copies into SQLite's sub-journal fewer per write); when one fails, the transaction is rolled
    /// back and, with more than one write, written again with a savepoint per write.
    private func commit(_ jobs: [PendingWrite], _ db: Database) {
        do {
            try Self.run("BEGIN IMMEDIATE", db)
        } catch {
            // Not even the transaction began (a busy database past the timeout): every write fails.
            for job in jobs { job.fail(error) }
            return
        }
        var finishes: [@Sendable ((any Error)?) -> Void] = []
        finishes.reserveCapacity(jobs.count)
        var failed = false
        for job in jobs {
            let (jobFailed, finish) = job.perform(db)
            finishes.append(finish)
            if jobFailed || !db.isInsideTransaction {
                failed = true
                break
            }
        }
        if !failed {
            finish(finishes, db)
            return
        }
        if db.isInsideTransaction { try? Self.run("ROLLBACK", db) }
        if jobs.count == 1, let finish = finishes.first {
            // Its own failure (or SQLite's rollback, as the commit's error).
            finish(StoreError(.unavailable, "sqlite: the transaction was rolled back by SQLite"))
            return
        }
        // The writes' results so far are dropped (nothing was committed): each runs again.
        commitWithSavepoints(jobs, db)
    }

    /// Commits (or rolls back) the open transaction and tells each write.
    private func finish(_ finishes: [@Sendable ((any Error)?) -> Void], _ db: Database) {
        var commitError: (any Error)?
        if db.isInsideTransaction {
            do {
                try Self.run("COMMIT", db)
            } catch {
                commitError = error
                try? Self.run("ROLLBACK", db)
            }
        } else {
            commitError = StoreError(.unavailable, "sqlite: the transaction was rolled back by SQLite")
        }
        for finish in finishes { finish(commitError) }
    }

    /// Writes `jobs` in one transaction, each in its own savepoint: one that fails is rolled back
    /// alone, the others commit.
    private func commitWithSavepoints(_ jobs: [PendingWrite], _ db: Database) {
        var finishes: [@Sendable ((any Error)?) -> Void] = []
        finishes.reserveCapacity(jobs.count)
        do {
            try Self.run("BEGIN IMMEDIATE", db)
        } catch {
            for job in jobs { job.fail(error) }
            return
        }
        for job in jobs {
            guard db.isInsideTransaction else {
                // SQLite rolled the transaction back on its own (I/O error, full disk): the rest fail.
                job.fail(StoreError(.unavailable, "sqlite: the transaction was rolled back by SQLite"))
                continue
            }
            do {
                try Self.run("SAVEPOINT write", db)
            } catch {
                job.fail(error)
                continue
            }
            let (failed, finish) = job.perform(db)
            if failed {
                try? Self.run("ROLLBACK TO SAVEPOINT write", db)
            }
            try? Self.run("RELEASE SAVEPOINT write", db)
            finishes.append(finish)
        }
        finish(finishes, db)
    }

    /// A statement without arguments, prepared once per connection.
    private static func run(_ sql: String, _ db: Database) throws {
        try db.cachedStatement(sql: sql).execute()
    }
}
