public import FlowrunCore
import Foundation
import PostgresNIO

// Owner: resilience. Reserve-if-below-limit in one transaction holding an advisory lock on the
// key: concurrent reservations for one key, from any process, run one after another.
extension PostgresStateStore: RateLimitStore {
    public func reserve(
        key: String, window: RateLimitWindow, limit: Int, count: Int, now: Double, reservation: String?
    ) async throws -> RateLimitGrant {
        let since = window.countsSince(now: now)
        let expires = window.expiry(now: now)
        let id = reservation ?? UUID().uuidString
        let reservations = table("ratelimit_reservations")
        let lockName = "ratelimit " + table("ratelimit_reservations") + " " + key
        return try await withTransaction("reserve") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockName), 0))", logger: logger)
            if reservation != nil {
                for try await (granted, retryAt) in try await connection.query(
                    "SELECT count, retry_at FROM \(unescaped: reservations) WHERE id = \(id)", logger: logger
                ).decode((Int, Double?).self) {
                    return RateLimitGrant(granted: granted, retryAt: retryAt)
                }
            }
            try await connection.query("DELETE FROM \(unescaped: reservations) WHERE key = \(key) AND expires_at <= \(now)", logger: logger)
            var used = 0
            var oldest: Double?
            for try await (sum, minimum) in try await connection.query(
                "SELECT COALESCE(SUM(count), 0)::bigint, MIN(at) FILTER (WHERE count > 0) FROM \(unescaped: reservations) WHERE key = \(key) AND at >= \(since)",
                logger: logger
            ).decode((Int, Double?).self) {
                used = sum
                oldest = minimum
            }
            let granted = max(0, min(count, limit - used))
            var retryAt: Double?
            if granted < count {
                switch window {
                case .fixed(_, let end): retryAt = end
                case .sliding(let ms): retryAt = (oldest ?? now) + ms
                }
            }
            try await connection.query("""
                INSERT INTO \(unescaped: reservations) (id, key, at, count, retry_at, expires_at)
                VALUES (\(id), \(key), \(now), \(granted), \(retryAt), \(expires))
                """, logger: logger)
            return RateLimitGrant(granted: granted, retryAt: retryAt)
        }
    }

    public func release(key: String, window: RateLimitWindow, count: Int, now: Double, release: String?) async throws -> Int {
        let since = window.countsSince(now: now)
        let expires = window.expiry(now: now)
        let reservations = table("ratelimit_reservations")
        let lockName = "ratelimit " + table("ratelimit_reservations") + " " + key
        return try await withTransaction("release") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockName), 0))", logger: logger)
            if let release {
                // The release's own row (count 0) marks it as done.
                let inserted = try await connection.query("""
                    INSERT INTO \(unescaped: reservations) (id, key, at, count, retry_at, expires_at)
                    VALUES (\(release), \(key), \(now), 0, NULL, \(expires)) ON CONFLICT (id) DO NOTHING RETURNING id
                    """, logger: logger)
                var isNew = false
                for try await _ in inserted { isNew = true }
                if !isNew { return 0 }
            }
            var rows: [(String, Int)] = []
            for try await row in try await connection.query("""
                SELECT id, count FROM \(unescaped: reservations)
                WHERE key = \(key) AND at >= \(since) AND expires_at > \(now) AND count > 0 ORDER BY at DESC, id DESC
                """, logger: logger).decode((String, Int).self) {
                rows.append(row)
            }
            var remaining = count
            for (id, reserved) in rows where remaining > 0 {
                let taken = min(remaining, reserved)
                try await connection.query("UPDATE \(unescaped: reservations) SET count = count - \(taken) WHERE id = \(id)", logger: logger)
                remaining -= taken
            }
            return count - remaining
        }
    }
}
