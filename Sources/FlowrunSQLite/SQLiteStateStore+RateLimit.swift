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
}
