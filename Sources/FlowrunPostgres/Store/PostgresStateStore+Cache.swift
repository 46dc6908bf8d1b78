public import FlowrunCore
public import FlowrunExpressions
import PostgresNIO

extension PostgresStateStore: CacheStore, StaticDataStore {
    public func cacheValue(forKey key: String) async throws -> JSONValue? {
        let rows = try await rows("cacheValue", "SELECT value FROM \(unescaped: table("cache")) WHERE key = \(key) AND (expires_at IS NULL OR expires_at > \(now()))")
        return try rows.first.map { try json($0["value"].decode(String.self), "cache value") }
    }

    public func setCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws {
        let expires = ttl.map { now() + $0.storeMilliseconds }
        _ = try await rows("setCacheValue", """
            INSERT INTO \(unescaped: table("cache")) (key, value, expires_at) VALUES (\(key), \(value.jsonString()), \(expires))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
            """)
    }

    public func createCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws -> Bool {
        let now = now()
        let expires = ttl.map { now + $0.storeMilliseconds }
        let cache = table("cache")
        let rows = try await rows("createCacheValue", """
            INSERT INTO \(unescaped: cache) AS c (key, value, expires_at) VALUES (\(key), \(value.jsonString()), \(expires))
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
            WHERE c.expires_at IS NOT NULL AND c.expires_at <= \(now)
            RETURNING key
            """)
        return !rows.isEmpty
    }

    public func removeCacheValue(forKey key: String) async throws {
        _ = try await rows("removeCacheValue", "DELETE FROM \(unescaped: table("cache")) WHERE key = \(key)")
    }

    public func staticData(workflowID: String) async throws -> JSONValue? {
        let rows = try await rows("staticData", "SELECT data FROM \(unescaped: table("static_data")) WHERE workflow_id = \(workflowID)")
        return try rows.first.map { try json($0["data"].decode(String.self), "static data of workflow \(workflowID)") }
    }

    public func setStaticData(_ value: JSONValue, workflowID: String) async throws {
        _ = try await rows("setStaticData", """
            INSERT INTO \(unescaped: table("static_data")) (workflow_id, data, updated_at) VALUES (\(workflowID), \(value.jsonString()), \(now()))
            ON CONFLICT (workflow_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
            """)
    }

    /// A JSON text column read back.
    package func json(_ text: String?, _ what: String) throws -> JSONValue {
        guard let text else { return .null }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw StoreError(.corrupt, "postgres store \(location): \(what) is not JSON: \(error)")
        }
    }
}
