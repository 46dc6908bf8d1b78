public import FlowrunExpressions

/// Node caches: JSON values by key with an optional time-to-live, shared by every execution using
/// the store (and every process, with the Postgres store). Expired values read as absent.
public protocol CacheStore: StateStore {
    /// The value at `key`, nil when absent or expired.
    func cacheValue(forKey key: String) async throws -> JSONValue?
    /// Stores `value` at `key`, replacing what is there; `ttl` nil keeps it until removed.
    func setCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws
    /// Stores `value` only when `key` is absent or expired, atomically; false when a live value
    /// is there (a distributed "first writer wins").
    func createCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws -> Bool
    /// Removes the value at `key` (nothing when absent).
    func removeCacheValue(forKey key: String) async throws
}

extension Duration {
    /// The duration in milliseconds, for expiry timestamps.
    package var storeMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
