public import FlowrunCore
import Foundation
import GRDB

// Owner: resilience. Reserve-if-below-limit in one IMMEDIATE transaction: the write lock is held
// from the first read, so no two reservations (threads or processes) see the same count.
extension SQLiteStateStore: RateLimitStore {
    public func reserve(
        key: String, window: RateLimitWindow, limit: Int, count: Int, now: Double, reservation: String?
    ) async throws -> RateLimitGrant {
        let since = window.countsSince(now: now)
        let expires = window.expiry(now: now)
        let id = reservation ?? UUID().uuidString
        return try await write("reserve") { db in
            if reservation != nil, let row = try Row.fetchOne(db, sql: "SELECT count, retry_at FROM ratelimit_reservations WHERE id = ?", arguments: [id]) {
                return RateLimitGrant(granted: row["count"], retryAt: row["retry_at"])
            }
            try db.execute(sql: "DELETE FROM ratelimit_reservations WHERE key = ? AND expires_at <= ?", arguments: [key, now])
            let used = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM ratelimit_reservations WHERE key = ? AND at >= ?", arguments: [key, since]) ?? 0
            let granted = max(0, min(count, limit - used))
            var retryAt: Double?
            if granted < count {
                switch window {
                case .fixed(_, let end): retryAt = end
                case .sliding(let ms):
                    let oldest = try Double.fetchOne(db, sql: "SELECT MIN(at) FROM ratelimit_reservations WHERE key = ? AND at >= ? AND count > 0", arguments: [key, since])
                    retryAt = (oldest ?? now) + ms
                }
            }
            try db.execute(sql: "INSERT INTO ratelimit_reservations (id, key, at, count, retry_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, key, now, granted, retryAt, expires])
            return RateLimitGrant(granted: granted, retryAt: retryAt)
        }
    }

    public func release(key: String, window: RateLimitWindow, count: Int, now: Double, release: String?) async throws -> Int {
        let since = window.countsSince(now: now)
        let expires = window.expiry(now: now)
        return try await write("release") { db in
            if let release {
                // The release's own row (count 0) marks it as done.
                if try Row.fetchOne(db, sql: "SELECT 1 FROM ratelimit_reservations WHERE id = ?", arguments: [release]) != nil { return 0 }
                try db.execute(sql: "INSERT INTO ratelimit_reservations (id, key, at, count, retry_at, expires_at) VALUES (?, ?, ?, 0, NULL, ?)",
                               arguments: [release, key, now, expires])
            }
            var remaining = count
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, count FROM ratelimit_reservations
                WHERE key = ? AND at >= ? AND expires_at > ? AND count > 0 ORDER BY at DESC, rowid DESC
                """, arguments: [key, since, now])
            for row in rows where remaining > 0 {
                let id: String = row["id"]
                let taken = min(remaining, row["count"] as Int)
                try db.execute(sql: "UPDATE ratelimit_reservations SET count = count - ? WHERE id = ?", arguments: [taken, id])
                remaining -= taken
            }
            return count - remaining
        }
    }
}
