public import FlowrunCore
import Foundation
import PostgresNIO

// Owner: resilience. Breaker state as JSON per key; each update holds the row lock (SELECT … FOR
// UPDATE) for its transaction, so processes sharing the store apply updates one after another.
extension PostgresStateStore: BreakerStore {
    public func updateBreaker<R: Sendable>(key: String, _ body: @escaping @Sendable (inout CircuitBreaker) -> R) async throws -> R {
        let now = now()
        let breakers = table("breakers")
        let initial = try Self.encodeBreaker(CircuitBreaker())
        let location = location
        return try await withTransaction("updateBreaker") { connection in
            try await connection.query("INSERT INTO \(unescaped: breakers) (key, state, updated_at) VALUES (\(key), \(initial), \(now)) ON CONFLICT (key) DO NOTHING", logger: logger)
            var text: String?
            for try await state in try await connection.query("SELECT state FROM \(unescaped: breakers) WHERE key = \(key) FOR UPDATE", logger: logger).decode(String.self) {
                text = state
            }
            var breaker = try Self.decodeBreaker(text, key: key, location: location)
            let result = body(&breaker)
            let updated = try Self.encodeBreaker(breaker)
            try await connection.query("UPDATE \(unescaped: breakers) SET state = \(updated), updated_at = \(now) WHERE key = \(key)", logger: logger)
            return result
        }
    }

    public func breaker(key: String) async throws -> CircuitBreaker? {
        let rows = try await rows("breaker", "SELECT state FROM \(unescaped: table("breakers")) WHERE key = \(key)")
        guard let row = rows.first else { return nil }
        return try Self.decodeBreaker(row["state"].decode(String.self), key: key, location: location)
    }

    static func encodeBreaker(_ breaker: CircuitBreaker) throws -> String {
        String(decoding: try JSONEncoder().encode(breaker), as: UTF8.self)
    }

    static func decodeBreaker(_ text: String?, key: String, location: String) throws -> CircuitBreaker {
        guard let text else { return CircuitBreaker() }
        do {
            return try JSONDecoder().decode(CircuitBreaker.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "postgres store \(location): breaker \"\(key)\" is not a breaker state: \(error)")
        }
    }

    static let resilienceTables = [
        "CREATE TABLE {schema}.breakers (key text PRIMARY KEY, state text NOT NULL, updated_at double precision NOT NULL)",
        """
        CREATE TABLE {schema}.ratelimit_reservations (
            id text PRIMARY KEY, key text NOT NULL, at double precision NOT NULL, count integer NOT NULL,
            retry_at double precision, expires_at double precision NOT NULL)
        """,
        "CREATE INDEX ratelimit_reservations_key ON {schema}.ratelimit_reservations (key, at)",
    ]
}
