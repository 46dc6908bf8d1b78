import Synchronization

/// What the resilience service last read from its `BreakerStore` for a breaker that was reset
/// (closed, no failures counted, no probe out), so the calls of one execution do not each read
/// the store before and after calling.
///
/// Staleness is bounded two ways: an entry serves only the execution whose call read it, and only
/// for `maxAge` milliseconds (on the breaker's clock) after that read. So a breaker another process
/// opened or counted a failure on is seen at once by every execution that starts afterwards, and
/// within `maxAge` by one already running. This process's own changes are never hidden: every
/// update (a failure, a probe, a reset) removes the entry before its transaction starts, and a
/// read that overlapped an update is not kept, so the next call reads the store again.
///
/// Only reset breakers are kept: for them a call changes nothing (`admit` lets it through and
/// `recordSuccess` leaves it as it is), so serving it from here skips reads, never writes.
final class BreakerReadCache: Sendable {
    struct Entry: Sendable {
        var execution: String
        var readAt: Double
    }

    struct Slot: Sendable {
        var entry: Entry?
        /// Bumped by every update's start and end; a read keeps its result only if it is unchanged.
        var epoch: UInt64 = 0
        /// Updates of this breaker under way in this process.
        var updating = 0
    }

    struct State: Sendable {
        var slots: [String: Slot] = [:]
        /// Bumped by every sweep (which forgets slots, and with them their epochs).
        var sweeps: UInt64 = 0
    }

    /// A read of the store under way: what `finishRead` needs to decide whether to keep it.
    struct Ticket: Sendable {
        var key: String
        var epoch: UInt64
        var sweeps: UInt64
    }

    /// Milliseconds an entry serves its execution; 0 turns the cache off.
    let maxAge: Double
    /// More slots than this are swept of idle and expired ones on insert (breaker keys are hosts,
    /// credentials or names: few, but unbounded over a long-running process).
    let sweepAbove: Int
    private let state = Mutex(State())

    init(maxAge: Double, sweepAbove: Int = 256) {
        self.maxAge = maxAge
        self.sweepAbove = sweepAbove
    }

    /// Whether the breaker at `key` was read reset for `execution` less than `maxAge` ago (and no
    /// update of it started since).
    func isReset(_ key: String, execution: String, now: Double) -> Bool {
        guard maxAge > 0 else { return false }
        return state.withLock { state in
            guard let slot = state.slots[key], slot.updating == 0, let entry = slot.entry else { return false }
            return entry.execution == execution && now >= entry.readAt && now - entry.readAt < maxAge
        }
    }

    /// Call before reading the store for `key`.
    func startRead(_ key: String) -> Ticket {
        state.withLock { Ticket(key: key, epoch: $0.slots[key]?.epoch ?? 0, sweeps: $0.sweeps) }
    }

    /// Keeps what a read found when the breaker was reset and no update of it started or ended
    /// while it read.
    func finishRead(_ ticket: Ticket, breaker: CircuitBreaker, execution: String, now: Double) {
        guard maxAge > 0, breaker.isReset else { return }
        state.withLock { state in
            let slot = state.slots[ticket.key] ?? Slot()
            guard state.sweeps == ticket.sweeps, slot.epoch == ticket.epoch, slot.updating == 0 else { return }
            if state.slots[ticket.key] == nil, state.slots.count >= sweepAbove {
                let maxAge = maxAge
                state.slots = state.slots.filter { $0.value.updating > 0 || $0.value.entry.map { now - $0.readAt < maxAge } ?? false }
                state.sweeps &+= 1
            }
            state.slots[ticket.key, default: Slot()].entry = Entry(execution: execution, readAt: now)
        }
    }

    /// Call before updating the breaker at `key` (in the store or locally): forgets the entry.
    func startUpdate(_ key: String) {
        state.withLock { state in
            var slot = state.slots[key] ?? Slot()
            slot.entry = nil
            slot.epoch &+= 1
            slot.updating += 1
            state.slots[key] = slot
        }
    }

    /// Call when that update is over, whatever its outcome.
    func finishUpdate(_ key: String) {
        state.withLock { state in
            guard var slot = state.slots[key] else { return }
            slot.epoch &+= 1
            slot.updating = max(0, slot.updating - 1)
            state.slots[key] = slot
        }
    }

    /// Slots held (tests: the sweep keeps it bounded).
    var count: Int { state.withLock { $0.slots.count } }
}
