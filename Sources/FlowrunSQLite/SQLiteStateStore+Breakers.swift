public import FlowrunCore
import Foundation
import GRDB

// Owner: resilience. Breaker state as JSON per key; updates in one IMMEDIATE transaction.
extension SQLiteStateStore: BreakerStore {
    public func updateBreaker<R: Sendable>(key: String, _ body: @escaping @Sendable (inout CircuitBreaker) -> R) async throws -> R {
        let now = now()
        return try await write("updateBreaker") { db in
            var breaker = try Self.decodeBreaker(String.fetchOne(db, sql: "SELECT state FROM breakers WHERE key = ?", arguments: [key]), key: key)
            let result = body(&breaker)
            let text = String(decoding: try JSONEncoder().encode(breaker), as: UTF8.self)
            try db.execute(sql: "INSERT INTO breakers (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                           arguments: [key, text, now])
            return result
        }
    }

    public func breaker(key: String) async throws -> CircuitBreaker? {
        try storedBreakerText(key: key).map { try Self.decodeBreaker($0, key: key) }
    }

    /// The breaker's JSON, read on the calling thread with one cached statement.
    ///
    /// The resilience service reads a closed breaker before and after every outside call. One
    /// SELECT is its own read transaction (and WAL readers never wait for the writer), so this
    /// skips what `read` adds: the hop to a reader queue and back (a thread switch each way) and
    /// BEGIN/COMMIT around a statement compiled anew each time; those were most of an HTTP
    /// Request call's own CPU time.
    private func storedBreakerText(key: String) throws -> String? {
        let pool = try database()
        do {
            return try pool.unsafeRead { db in
                try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM breakers WHERE key = ?"), arguments: [key])
            }
        } catch {
            throw StoreError(.unavailable, "sqlite \(configuration.path): breaker: \(error)", underlying: error)
        }
    }

    static func decodeBreaker(_ text: String?, key: String) throws -> CircuitBreaker {
        guard let text else { return CircuitBreaker() }
        do {
            return try JSONDecoder().decode(CircuitBreaker.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "sqlite store: breaker \"\(key)\" is not a breaker state: \(error)")
        }
    }

    static func createResilienceTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE breakers (key TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, updated_at REAL NOT NULL);
            CREATE TABLE ratelimit_reservations (
                id TEXT PRIMARY KEY NOT NULL, key TEXT NOT NULL, at REAL NOT NULL, count INTEGER NOT NULL,
                retry_at REAL, expires_at REAL NOT NULL
            );
            CREATE INDEX ratelimit_reservations_key ON ratelimit_reservations(key, at);
            """)
    }
}
