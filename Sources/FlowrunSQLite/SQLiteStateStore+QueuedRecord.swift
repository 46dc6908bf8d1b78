public import FlowrunCore
import GRDB
import Synchronization

// A new execution's record queued without its caller waiting (`QueuedRecordStore`): the webhook
// path runs the execution while the record waits for the writer, and answers once it committed.
// When the execution's end is written while the record still waits for the writer (the writer is
// busy with the previous transaction, the usual case under load), the end joins it: one INSERT with
// the final status, stop time, error and node runs instead of an INSERT as `new` and an UPDATE of
// the same row, one commit instead of two, and the row never enters the unfinished-status index.
// An end written after the record was taken by the writer is an UPDATE in a later transaction, as
// for a record whose commit was awaited.

/// A queued execution record, and the end that joined it.
final class QueuedRecord: Sendable {
    let record: ExecutionRecord
    let trigger: JSONColumn?
    /// Set (under the batch lock) while the record waits; read by the writer once it took it.
    let end = Mutex<JoinedEnd?>(nil)

    init(record: ExecutionRecord, trigger: JSONColumn?) {
        self.record = record
        self.trigger = trigger
    }
}

/// An execution's end written while its record was queued.
struct JoinedEnd: Sendable {
    var update: ExecutionUpdate
    var runs: [JSONColumn]
    var runData: String?
    /// Tells the end's writer the outcome (nil: committed).
    var finish: @Sendable ((any Error)?) -> Void
}

extension SQLiteStateStore: QueuedRecordStore {
    public func queueExecution(_ record: ExecutionRecord) -> RecordCommit {
        let commit = RecordCommit()
        let pool: DatabasePool
        do {
            pool = try database()
        } catch {
            commit.resolve(error)
            return commit
        }
        let path = configuration.path
        let id = record.id
        let queued = QueuedRecord(record: record, trigger: record.triggerInput.map { JSONColumn($0) })
        @Sendable func wrapped(_ error: any Error) -> any Error {
            if error is StoreError { return error }
            return StoreError(.unavailable, "sqlite \(path): createExecution: \(error)", underlying: error)
        }
        // Tells the record's waiters and the joined end's writer; a record that was not written
        // (with no end joined) makes its end, when it comes, fail instead of updating another row.
        @Sendable func settle(_ error: (any Error)?, _ end: JoinedEnd?) {
            if error != nil, end == nil { batch.withLock { _ = $0.failedRecords.insert(id) } }
            commit.resolve(error)
            end?.finish(error)
        }
        let job = PendingWrite(
            perform: { db in
                let end = queued.end.withLock { $0 }
                do {
                    try Self.insert(queued, end: end, db)
                    return (false, { settle($0.map(wrapped), end) })
                } catch {
                    let failure = wrapped(error)
                    return (true, { _ in settle(failure, end) })
                }
            },
            fail: { settle(wrapped($0), queued.end.withLock { $0 }) })
        enqueue(job, record: queued, on: pool)
        return commit
    }

    /// Joins `update` (an end) to its execution's queued record when the writer has not taken it
    /// yet, and waits for their commit; false when there is no such record (write it as usual).
    func joinQueuedRecord(_ update: ExecutionUpdate, runs: [JSONColumn], runData: String?) async throws -> Bool {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
            let joined = batch.withLock { state -> Bool in
                guard let queued = state.queuedRecords.removeValue(forKey: update.executionID) else { return false }
                queued.end.withLock {
                    $0 = JoinedEnd(update: update, runs: runs, runData: runData) { error in
                        if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: true) }
                    }
                }
                return true
            }
            if !joined { continuation.resume(returning: false) }
        }
    }

    /// Throws when `id`'s queued record was not written (a duplicate id): its updates must not
    /// touch the row of that id. Its end forgets it.
    func refuseIfRecordFailed(_ id: String, ending: Bool) throws {
        let failed = batch.withLock { state -> Bool in
            if state.failedRecords.isEmpty { return false }
            return ending ? state.failedRecords.remove(id) != nil : state.failedRecords.contains(id)
        }
        if failed { throw StoreError(.notFound, "sqlite: recordUpdate: the record of execution \(id) was not written") }
    }

    private static let insertEndedSQL = """
        INSERT OR IGNORE INTO executions (\(recordColumns), checkpoint, run_data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The queued record as `new`, or with the joined end: what `createExecution` and then
    /// `recordUpdate` write, in one row.
    private static func insert(_ queued: QueuedRecord, end joined: JoinedEnd?, _ db: Database) throws {
        let r = queued.record
        guard let joined, let end = joined.update.end else {
            try insert(r, triggerInput: queued.trigger, db, orIgnore: true)
            if db.changesCount == 0 { throw StoreError(.duplicate, "sqlite: createExecution: an execution with id \(r.id) exists") }
            return
        }
        let update = joined.update
        try db.cachedStatement(sql: insertEndedSQL).execute(arguments: [
            r.id, r.workflowID, r.workflowName, r.workflowFile, r.mode, end.status.rawValue, r.startedAt, end.stoppedAt, r.startNode,
            queued.trigger?.inlineText, update.nodeRuns.last?.node ?? r.lastNode, text(end.error), nil as String?, r.resumeOnCrash, r.retryOf,
            text(update.checkpoint), joined.runData,
        ])
        if db.changesCount == 0 { throw StoreError(.duplicate, "sqlite: createExecution: an execution with id \(r.id) exists") }
        if let trigger = queued.trigger { try insertInput(trigger, executionID: r.id, db) }
        if joined.runData == nil {
            for (run, data) in zip(update.nodeRuns, joined.runs) { try insertNodeRun(run, data, executionID: r.id, db) }
        }
    }
}
