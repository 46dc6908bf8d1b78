/// Durable state with one interface and two implementations: embedded SQLite (FlowrunSQLite, the
/// default) and Postgres (FlowrunPostgres/Store).
///
/// A store conforms to the sub-protocols of the features it keeps: `ExecutionStore` (executions and
/// their node runs), `StaticDataStore` (workflow static data), `CacheStore` (values with a
/// time-to-live), and the resilience component's rate-limit and breaker stores. Both built-in stores
/// conform to all of them; reach one through `NodeServices.store` with a cast
/// (`services.store as? any CacheStore`) or the typed accessors below.
///
/// Operations that correctness depends on are atomic in the store (one transaction or one
/// statement), never read-then-write in Swift. Times are wall-clock milliseconds since 1970, taken
/// from the store's injected clock, so tests control expiry.
public protocol StateStore: Sendable {
    /// Creates or upgrades the schema. Idempotent; safe when several processes start at once.
    func migrate() async throws
}

extension NodeServices {
    /// The store's execution records, when the configured store keeps them.
    public var executionStore: (any ExecutionStore)? { store as? any ExecutionStore }
    /// The store's workflow static data, when the configured store keeps it.
    public var staticDataStore: (any StaticDataStore)? { store as? any StaticDataStore }
    /// The store's cache, when the configured store has one.
    public var cacheStore: (any CacheStore)? { store as? any CacheStore }
}
