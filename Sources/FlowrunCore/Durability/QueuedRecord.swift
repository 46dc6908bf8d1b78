import Synchronization

/// An execution store that can take a new execution's record without its caller waiting for the
/// commit: the embedded store queues it for its single writer and tells through the returned
/// `RecordCommit` when the transaction holding it committed. When the execution's end is written
/// while its record still waits for the writer, the two become one insert with the final status.
///
/// For executions whose caller is told about them only after `RecordCommit.wait()` returned (a
/// webhook answers after it): a crash before that commit loses an execution nobody was told of.
public protocol QueuedRecordStore: ExecutionStore {
    /// Queues the insert of `record` (status `new`); returns at once.
    func queueExecution(_ record: ExecutionRecord) -> RecordCommit
}

/// When a queued record committed: `wait()` returns then, or throws why it was not written
/// (`StoreError`, `.duplicate` when the id exists).
public final class RecordCommit: Sendable {
    private enum State {
        case pending([CheckedContinuation<Void, any Error>])
        case committed
        case failed(any Error)
    }

    private let state = Mutex(State.pending([]))

    public init() {}

    /// A record that is already committed.
    public static let committed: RecordCommit = {
        let commit = RecordCommit()
        commit.resolve(nil)
        return commit
    }()

    /// Waits for the commit; throws when the record was not written.
    public func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = state.withLock { state in
                switch state {
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                case .committed: return .success(())
                case .failed(let error): return .failure(error)
                }
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Whether the record is known not to have been written.
    public var failed: Bool {
        state.withLock { if case .failed = $0 { return true } else { return false } }
    }

    /// Sets the outcome (nil: committed) and wakes the waiters; later calls are ignored.
    public func resolve(_ error: (any Error)?) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard case .pending(let waiters) = state else { return [] }
            state = error.map { .failed($0) } ?? .committed
            return waiters
        }
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }
}
