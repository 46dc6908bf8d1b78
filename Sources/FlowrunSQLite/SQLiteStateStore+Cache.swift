public import FlowrunCore
public import FlowrunExpressions
import GRDB

extension SQLiteStateStore: CacheStore, StaticDataStore {
    public func cacheValue(forKey key: String) async throws -> JSONValue? {
        let now = now()
        let text = try await read("cacheValue") { db in
            try String.fetchOne(db, sql: "SELECT value FROM cache WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)", arguments: [key, now])
        }
        return try Self.json(text, "cache value")
    }

    public func setCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws {
        let expires = ttl.map { now() + $0.storeMilliseconds }
        let text = value.jsonString()
        try await write("setCacheValue") { db in
            try db.execute(sql: "INSERT INTO cache (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
                           arguments: [key, text, expires])
        }
    }

    public func createCacheValue(_ value: JSONValue, forKey key: String, ttl: Duration?) async throws -> Bool {
        let now = now()
        let expires = ttl.map { now + $0.storeMilliseconds }
        let text = value.jsonString()
        return try await write("createCacheValue") { db in
            try db.execute(sql: """
                INSERT INTO cache (key, value, expires_at) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                WHERE cache.expires_at IS NOT NULL AND cache.expires_at <= ?
                """, arguments: [key, text, expires, now])
            return db.changesCount > 0
        }
    }

    public func removeCacheValue(forKey key: String) async throws {
        try await write("removeCacheValue") { db in
            try db.execute(sql: "DELETE FROM cache WHERE key = ?", arguments: [key])
        }
    }

    public func staticData(workflowID: String) async throws -> JSONValue? {
        let text = try await read("staticData") { db in
            try String.fetchOne(db, sql: "SELECT data FROM static_data WHERE workflow_id = ?", arguments: [workflowID])
        }
        return try Self.json(text, "static data of workflow \(workflowID)")
    }

    public func setStaticData(_ value: JSONValue, workflowID: String) async throws {
        let now = now()
        let text = value.jsonString()
        try await write("setStaticData") { db in
            try db.execute(sql: "INSERT INTO static_data (workflow_id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(workflow_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                           arguments: [workflowID, text, now])
        }
    }
}
