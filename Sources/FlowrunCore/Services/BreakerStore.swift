/// Circuit-breaker state shared across processes (the Postgres store; SQLite shares it between
/// the processes on one machine). Owner: resilience; implemented in `*+Breakers.swift` of each store.
public protocol BreakerStore: StateStore {
    /// Runs `body` on the breaker at `key` (a fresh closed breaker when none is stored) and stores
    /// the result, atomically: one transaction holding the row's lock, so concurrent callers in
    /// any process see each other's updates.
    func updateBreaker<R: Sendable>(key: String, _ body: @escaping @Sendable (inout CircuitBreaker) -> R) async throws -> R
    /// The breaker at `key`, nil when none is stored (for status pages and tests).
    func breaker(key: String) async throws -> CircuitBreaker?
}

extension NodeServices {
    /// The store's breaker state, when the configured store keeps it.
    public var breakerStore: (any BreakerStore)? { store as? any BreakerStore }
    /// The store's rate-limit counters, when the configured store keeps them.
    public var rateLimitStore: (any RateLimitStore)? { store as? any RateLimitStore }
}
