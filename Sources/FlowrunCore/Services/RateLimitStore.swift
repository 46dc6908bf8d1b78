/// Rate-limit reservations shared by every execution using the store (and every process, with the
/// Postgres store). Owner: resilience; implemented in `*+RateLimit.swift` of each store and by
/// `InMemoryRateLimitStore` when no store is configured.
public protocol RateLimitStore: StateStore {
    /// Reserves up to `count` units for `key` in `window` at `now` (ms since 1970) under `limit`,
    /// atomically (ONE transaction or statement: concurrent callers never exceed the limit
    /// together), and returns how many were granted (0…count) and when the window has room again.
    ///
    /// `reservation` makes the call idempotent: repeating it (an execution resumed after a crash)
    /// returns the first call's grant without reserving again. nil: always a new reservation.
    func reserve(
        key: String, window: RateLimitWindow, limit: Int, count: Int, now: Double, reservation: String?
    ) async throws -> RateLimitGrant

    /// Gives back up to `count` units reserved for `key` that still count in `window` at `now`
    /// (the work they were reserved for did not happen, e.g. a send that failed), newest
    /// reservations first, atomically like `reserve`. Returns how many were given back.
    ///
    /// `release` makes the call idempotent: repeating it (an execution resumed after a crash)
    /// gives nothing back again and returns 0. nil: always a new release.
    func release(key: String, window: RateLimitWindow, count: Int, now: Double, release: String?) async throws -> Int
}

/// Which reservations count against the limit at a given time.
public enum RateLimitWindow: Sendable, Hashable {
    /// A fixed window `[start, end)` (ms since 1970): a calendar day in the workflow's time zone,
    /// an hour, a minute. Reservations made in it count until `end`.
    case fixed(start: Double, end: Double)
    /// The last `milliseconds` before now.
    case sliding(milliseconds: Double)

    /// The earliest reservation time that still counts at `now`.
    public func countsSince(now: Double) -> Double {
        switch self {
        case .fixed(let start, _): start
        case .sliding(let ms): now - ms
        }
    }

    /// How long a reservation made at `now` must be kept.
    public func expiry(now: Double) -> Double {
        switch self {
        case .fixed(_, let end): end
        case .sliding(let ms): now + ms
        }
    }
}

/// The answer of `RateLimitStore.reserve`.
public struct RateLimitGrant: Sendable, Hashable {
    /// Units granted (the first `granted` of the requested ones may go ahead).
    public var granted: Int
    /// When the window next has room (ms since 1970), when some were refused; nil when all granted.
    public var retryAt: Double?

    public init(granted: Int, retryAt: Double?) {
        self.granted = granted
        self.retryAt = retryAt
    }
}
