public import FlowrunCore
import Synchronization

/// Decides whether one more request of a client fits its limit.
///
/// `TokenBucketLimiter` keeps buckets in memory (one process); `StoreRateLimiter` counts in a
/// shared `RateLimitStore` (every process using the store).
public protocol ClientRateLimiter: Sendable {
    /// Takes one unit for `key`; nil when allowed, else the seconds until the client may retry.
    func acquire(key: String, limit: Int, windowSeconds: Double, now: Double) async -> Double?
}

/// In-memory token buckets: `limit` tokens, refilled at `limit / windowSeconds` per second.
public final class TokenBucketLimiter: ClientRateLimiter {
    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    /// Buckets idle this long (seconds) are dropped so that client keys cannot grow memory forever.
    private let idleSeconds: Double

    public init(idleSeconds: Double = 3600) {
        self.idleSeconds = idleSeconds
    }

    public func acquire(key: String, limit: Int, windowSeconds: Double, now: Double) async -> Double? {
        let rate = Double(limit) / windowSeconds
        return buckets.withLock { buckets in
            if buckets.count > 10_000 {
                buckets = buckets.filter { now - $0.value.updated < idleSeconds }
            }
            var bucket = buckets[key] ?? Bucket(tokens: Double(limit), updated: now)
            bucket.tokens = min(Double(limit), bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / rate
        }
    }
}

/// Counts requests in a shared store over a sliding window (the resilience helper's
/// `RateLimitStore`), so several `flowrun serve` processes share one limit.
public struct StoreRateLimiter: ClientRateLimiter {
    public let store: any RateLimitStore

    public init(store: any RateLimitStore) {
        self.store = store
    }

    public func acquire(key: String, limit: Int, windowSeconds: Double, now: Double) async -> Double? {
        let ms = now * 1000
        do {
            let grant = try await store.reserve(
                key: "webhook:" + key, window: .sliding(milliseconds: windowSeconds * 1000), limit: limit, count: 1, now: ms,
                reservation: nil)
            if grant.granted >= 1 { return nil }
            return max(0.001, ((grant.retryAt ?? ms + windowSeconds * 1000) - ms) / 1000)
        } catch {
            // A store that cannot answer must not take the gateway down: let the request through.
            return nil
        }
    }
}
