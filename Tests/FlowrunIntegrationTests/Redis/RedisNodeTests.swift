import FlowrunCore
import FlowrunExpressions
@testable import FlowrunNodes
import FlowrunRedis
import Foundation
import Testing

@Suite("Redis node (n8n-nodes-base.redis v1) against the real server")
struct RedisNodeTests {
    /// Runs `body` with a pool, a client for seeding and checking, and a key prefix (cleaned up).
    func withRedis(_ body: (RedisPool, RedisClient, String) async throws -> Void) async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            try await RedisPool.withPool(logger: RedisTestServer.logger) { pool in
                try await body(pool, redis, p)
            }
        }
    }

    @Test("set (string, with expire) then get into propertyName with dot notation")
    func setAndGet() async throws {
        try await withRedis { pool, redis, p in
            let set = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string("=\(p){{ $json.id }}"), "value": "={{ $json.name }}", "expire": true, "ttl": 100],
                items: [["id": "a", "name": "Ada"], ["id": "b", "name": "Bob"]], pool: pool)
            #expect(set.error == nil, "\(String(describing: set.error))")
            #expect(RedisNodeHarness.output(set) == [["id": "a", "name": "Ada"], ["id": "b", "name": "Bob"]])
            #expect(try await redis.get(p + "a") == Array("Ada".utf8))
            let ttl = try #require(try await redis.send(["TTL", .string(p + "b")]).int)
            #expect(ttl > 90 && ttl <= 100)

            let get = try await RedisNodeHarness.run(
                ["operation": "get", "key": .string("=\(p){{ $json.id }}"), "propertyName": "data.person[0].name", "keyType": "string"],
                items: [["id": "a"], ["id": "missing"]], pool: pool)
            #expect(RedisNodeHarness.output(get) == [
                ["data": ["person": [["name": "Ada"]]]],
                ["data": ["person": [["name": .null]]]],
            ])
            let flat = try await RedisNodeHarness.run(
                ["operation": "get", "key": .string(p + "a"), "propertyName": "a.b", "options": ["dotNotation": false]], pool: pool)
            #expect(RedisNodeHarness.output(flat) == [["a.b": "Ada"]])
        }
    }

    @Test("get reads hash, list and set keys like n8n (automatic: TYPE first; sets only when named)")
    func getKeyTypes() async throws {
        try await withRedis { pool, redis, p in
            _ = try await redis.pipeline([
                ["HSET", .string(p + "h"), "f1", "v1", "f2", "2"],
                ["RPUSH", .string(p + "l"), "x", "y"],
                ["SADD", .string(p + "s"), "m"],
            ])
            func get(_ key: String, _ type: String) async throws -> JSONValue? {
                let run = try await RedisNodeHarness.run(
                    ["operation": "get", "key": .string(p + key), "keyType": .string(type), "propertyName": "v"], pool: pool)
                #expect(run.error == nil, "\(String(describing: run.error))")
                return RedisNodeHarness.output(run).first?["v"]
            }
            #expect(try await get("h", "automatic") == ["f1": "v1", "f2": "2"])
            #expect(try await get("h", "hash") == ["f1": "v1", "f2": "2"])
            #expect(try await get("l", "automatic") == ["x", "y"])
            #expect(try await get("l", "list") == ["x", "y"])
            #expect(try await get("s", "sets") == ["m"])
            // n8n compares TYPE's "set" with "sets": automatic gives undefined, written as null.
            #expect(try await get("s", "automatic") == .null)
            #expect(try await get("nothing", "automatic") == .null)
        }
    }

    @Test("set writes hashes from JSON or key-value words, sets, and list elements; wrong types fail per item")
    func setKeyTypes() async throws {
        try await withRedis { pool, redis, p in
            let hash = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "h"), "keyType": "hash", "value": #"{"a": 1, "b": "two"}"#], pool: pool)
            #expect(hash.error == nil)
            #expect(try await redis.send(["HGETALL", .string(p + "h")]) == .array(["a", "1", "b", "two"].map { .bulkString(Array($0.utf8)) }))
            _ = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "h2"), "keyType": "hash", "valueIsJSON": false, "value": "k1 v1 k2 v2"], pool: pool)
            #expect(try await redis.send(["HGET", .string(p + "h2"), "k2"]).string == "v2")
            // automatic with an object from an expression: a hash.
            _ = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "h3"), "value": "={{ $json.o }}"], items: [["o": ["x": true]]], pool: pool)
            #expect(try await redis.send(["HGET", .string(p + "h3"), "x"]).string == "true")
            _ = try await RedisNodeHarness.run(["operation": "set", "key": .string(p + "s"), "keyType": "sets", "value": "member"], pool: pool)
            #expect(try await redis.send(["SISMEMBER", .string(p + "s"), "member"]) == .integer(1))
            // list: LSET per index (n8n), so the list must exist with enough elements.
            _ = try await redis.send(["RPUSH", .string(p + "l"), "0", "0"])
            _ = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "l"), "value": "={{ $json.v }}"], items: [["v": ["a", "b"]]], pool: pool)
            #expect(try await redis.send(["LRANGE", .string(p + "l"), "0", "-1"]) == .array([.bulkString([97]), .bulkString([98])]))
            let missing = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "nolist"), "keyType": "list", "value": "ab"], pool: pool, continueOnFail: true)
            #expect(RedisNodeHarness.output(missing) == [["error": "ERR no such key"]])
            let number = try await RedisNodeHarness.run(
                ["operation": "set", "key": .string(p + "n"), "value": "={{ 5 }}"], pool: pool)
            #expect(number.error?.message.contains("Could not identify the type to set") == true)
        }
    }

    @Test("incr with expire returns {key: n}; delete passes items through")
    func incrAndDelete() async throws {
        try await withRedis { pool, redis, p in
            for expected in 1...2 {
                let run = try await RedisNodeHarness.run(
                    ["operation": "incr", "key": .string(p + "n"), "expire": true, "ttl": 30], items: [["x": 1]], pool: pool)
                #expect(RedisNodeHarness.output(run) == [[p + "n": .number(Double(expected))]])
            }
            #expect(try await redis.send(["TTL", .string(p + "n")]).int ?? 0 > 0)
            let delete = try await RedisNodeHarness.run(["operation": "delete", "key": .string(p + "n")], items: [["keep": "me"]], pool: pool)
            #expect(RedisNodeHarness.output(delete) == [["keep": "me"]])
            #expect(try await redis.send(["EXISTS", .string(p + "n")]) == .integer(0))
            let wrong = try await RedisNodeHarness.run(["operation": "incr", "key": .string(p + "n")], pool: pool, continueOnFail: true)
            #expect(RedisNodeHarness.output(wrong) == [[p + "n": 1]])
            _ = try await redis.send(["SET", .string(p + "t"), "text"])
            let failing = try await RedisNodeHarness.run(["operation": "incr", "key": .string(p + "t")], pool: pool)
            #expect(failing.error?.message == "ERR value is not an integer or out of range")
        }
    }

    @Test("keys with and without values")
    func keys() async throws {
        try await withRedis { pool, redis, p in
            _ = try await redis.pipeline([["SET", .string(p + "k:1"), "one"], ["RPUSH", .string(p + "k:2"), "a"], ["SET", .string(p + "other"), "x"]])
            let names = try await RedisNodeHarness.run(
                ["operation": "keys", "keyPattern": .string(p + "k:*"), "getValues": false], pool: pool)
            let keys = RedisNodeHarness.output(names).first?["keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(Set(keys) == [p + "k:1", p + "k:2"])
            let values = try await RedisNodeHarness.run(["operation": "keys", "keyPattern": .string(p + "k:*")], pool: pool)
            #expect(RedisNodeHarness.output(values).first?[p + "k:1"] == "one")
            #expect(RedisNodeHarness.output(values).first?[p + "k:2"] == ["a"])
        }
    }

    @Test("push (head and tail), pop (JSON parsed) and publish")
    func pushPopPublish() async throws {
        try await withRedis { pool, redis, p in
            let list = p + "q"
            _ = try await RedisNodeHarness.run(["operation": "push", "list": .string(list), "messageData": "first"], pool: pool)
            _ = try await RedisNodeHarness.run(
                ["operation": "push", "list": .string(list), "messageData": #"{"n": 2}"#, "tail": true], items: [["i": 1]], pool: pool)
            #expect(try await redis.send(["LRANGE", .string(list), "0", "-1"]).array?.compactMap(\.string) == ["first", #"{"n": 2}"#])
            let popTail = try await RedisNodeHarness.run(["operation": "pop", "list": .string(list), "tail": true, "propertyName": "job"], pool: pool)
            #expect(RedisNodeHarness.output(popTail) == [["job": ["n": 2]]])
            let popHead = try await RedisNodeHarness.run(["operation": "pop", "list": .string(list)], pool: pool)
            #expect(RedisNodeHarness.output(popHead) == [["propertyName": "first"]])
            let empty = try await RedisNodeHarness.run(["operation": "pop", "list": .string(list)], pool: pool)
            #expect(RedisNodeHarness.output(empty) == [["propertyName": .null]])

            try await redis.withSubscription(to: [p + "ch"]) { subscription in
                let run = try await RedisNodeHarness.run(
                    ["operation": "publish", "channel": .string(p + "ch"), "messageData": "={{ $json.msg }}"],
                    items: [["msg": "hello"]], pool: pool)
                #expect(RedisNodeHarness.output(run) == [["msg": "hello"]])
                var iterator = subscription.makeAsyncIterator()
                #expect(try await iterator.next()?.text == "hello")
            }
        }
    }

    @Test("info is parsed into an object like n8n's")
    func info() async throws {
        try await withRedis { pool, _, _ in
            let run = try await RedisNodeHarness.run(["operation": "info"], items: [[:], [:]], pool: pool)
            let output = RedisNodeHarness.output(run)
            #expect(output.count == 1)
            let info = try #require(output.first)
            // n8n's parseFloat rule: "7.0.15" is made of digits and dots, so it becomes 7.
            #expect(info["redis_version"] == 7)
            #expect(info["tcp_port"]?.numberValue != nil)
            #expect(info["redis_mode"] == "standalone")
            #expect(info["Server"] == nil)
        }
        let parsed = RedisInfo.parse("# Server\r\nredis_version:7.0.15\r\nratio:1.5\r\nneg:-1\r\nver:1.2.3\r\n\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n")
        #expect(parsed == ["redis_version": 7, "ratio": 1.5, "neg": "-1", "ver": 1.2, "db0": ["keys": 3, "expires": 0, "avg_ttl": 0]])
    }

    @Test("failures: server down and wrong password fail the node; continueOnFail keeps per-item errors")
    func nodeFailures() async throws {
        try await RedisPool.withPool(logger: RedisTestServer.logger) { pool in
            let port = try await RedisFailureTests.closedPort()
            let down = ResolvedCredential(type: "redis", id: "r1", name: "Test Redis", data: ["host": "127.0.0.1", "port": .number(Double(port))])
            let run = try await RedisNodeHarness.run(["operation": "get", "key": "k"], pool: pool, credential: down)
            #expect(run.error?.message.contains("127.0.0.1:\(port)") == true)
            #expect(run.error?.message.contains("could not connect") == true)

            let wrong = try RedisTestServer.credential(password: "not-the-password")
            let auth = try await RedisNodeHarness.run(["operation": "info"], pool: pool, credential: wrong)
            #expect(auth.error?.message.contains("AUTH failed") == true)
            #expect(auth.error?.message.contains("not-the-password") == false)
        }
    }
}

