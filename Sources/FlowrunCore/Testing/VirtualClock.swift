import Synchronization

/// A clock for workflow tests: sleeping returns at once and moves the clock's time forward, as
/// n8n's Wait tests do with fake timers. `nowMilliseconds` follows the wall clock plus the time slept.
public final class VirtualClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let elapsed = Mutex<Duration>(.zero)
    private let wallClock: @Sendable () -> Double

    public init(wallClock: @escaping @Sendable () -> Double) {
        self.wallClock = wallClock
    }

    public var now: Instant { Instant(offset: elapsed.withLock { $0 }) }
    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        elapsed.withLock { if deadline.offset > $0 { $0 = deadline.offset } }
    }

    /// Wall time plus the time slept so far, in milliseconds.
    public func milliseconds() -> Double {
        let e = elapsed.withLock { $0 }.components
        return wallClock() + Double(e.seconds) * 1000 + Double(e.attoseconds) / 1e15
    }
}
