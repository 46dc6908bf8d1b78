import Synchronization

/// Rate-limit reservations in this process's memory: for runs without a state store. Atomic under
/// one lock; forgotten when the process ends.
public final class InMemoryRateLimitStore: RateLimitStore {
    private struct Entry {
        var at: Double
        var count: Int
        var expires: Double
    }

    private struct State {
        var entries: [String: [Entry]] = [:]
        var grants: [String: RateLimitGrant] = [:]
        var releases: Set<String> = []
    }

    private let state = Mutex(State())

    public init() {}

    public func migrate() async throws {}

    public func reserve(
        key: String, window: RateLimitWindow, limit: Int, count: Int, now: Double, reservation: String?
    ) async throws -> RateLimitGrant {
        state.withLock { s in
            if let reservation, let grant = s.grants[reservation] { return grant }
            var list = s.entries[key, default: []].filter { $0.expires > now }
            let since = window.countsSince(now: now)
            let counted = list.filter { $0.at >= since }
            let used = counted.reduce(0) { $0 + $1.count }
            let granted = max(0, min(count, limit - used))
            if granted > 0 { list.append(Entry(at: now, count: granted, expires: window.expiry(now: now))) }
            s.entries[key] = list
            let retryAt: Double? = granted == count ? nil : Self.retryAt(window: window, counted: counted, now: now)
            let grant = RateLimitGrant(granted: granted, retryAt: retryAt)
            if let reservation { s.grants[reservation] = grant }
            return grant
        }
    }

    public func release(key: String, window: RateLimitWindow, count: Int, now: Double, release: String?) async throws -> Int {
        state.withLock { s in
            if let release, !s.releases.insert(release).inserted { return 0 }
            var list = s.entries[key, default: []].filter { $0.expires > now }
            let since = window.countsSince(now: now)
            var remaining = count
            // Newest first: entries are appended in time order.
            for i in list.indices.reversed() where remaining > 0 && list[i].at >= since {
                let taken = min(remaining, list[i].count)
                list[i].count -= taken
                remaining -= taken
            }
            s.entries[key] = list.filter { $0.count > 0 }
            return count - remaining
        }
    }

    private static func retryAt(window: RateLimitWindow, counted: [Entry], now: Double) -> Double {
        switch window {
        case .fixed(_, let end): return end
        case .sliding(let ms): return (counted.map(\.at).min() ?? now) + ms
        }
    }
}
