import FlowrunCore
@testable import FlowrunRedis
import Foundation
import NIOCore
import Testing

@Suite("Redis client: RESP, pipelining, pool")
struct RedisClientTests {
    @Test("every reply type decodes: status, error, integer, binary bulk, nulls, nested arrays")
    func replyTypes() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            try await redis.withConnection { c in
                #expect(try await c.send(["PING"]) == .simpleString("PONG"))
                #expect(try await c.send(["SET", .string(p + "s"), "v"]) == .simpleString("OK"))
                guard case .error(let text) = try await c.send(["NOSUCHCOMMAND", "x"]) else {
                    Issue.record("expected an error reply")
                    return
                }
                #expect(text.hasPrefix("ERR unknown command"))
                #expect(try await c.send(["INCRBY", .string(p + "n"), "-42"]) == .integer(-42))
                let binary = (0...255).map(UInt8.init) + Array("\r\n$-1\r\n".utf8) + [0, 0]
                #expect(try await c.send(["SET", .string(p + "bin"), .bytes(binary)]) == .simpleString("OK"))
                #expect(try await c.send(["GET", .string(p + "bin")]) == .bulkString(binary))
                #expect(try await c.send(["SET", .string(p + "empty"), ""]) == .simpleString("OK"))
                #expect(try await c.send(["GET", .string(p + "empty")]) == .bulkString([]))
                #expect(try await c.send(["GET", .string(p + "missing")]) == .null)
                #expect(try await c.send(["MGET", .string(p + "s"), .string(p + "missing")]) == .array([.bulkString(Array("v".utf8)), .null]))
                #expect(try await c.send(["LRANGE", .string(p + "nolist"), "0", "-1"]) == .array([]))
                // Null array: BLPOP timing out.
                #expect(try await c.send(["BLPOP", .string(p + "nolist"), "0.05"]) == .null)
                // Nested arrays, integers and a nil inside, from a script.
                let nested = try await c.send(["EVAL", "return {1, {2, {'a', 'b'}, {}}, 'x', false}", "0"])
                #expect(nested == .array([
                    .integer(1), .array([.integer(2), .array([.bulkString([97]), .bulkString([98])]), .array([])]),
                    .bulkString([120]), .null,
                ]))
                // An error reply nested in an array (EXEC of a failing command).
                let exec = try await c.pipeline([["MULTI"], ["INCR", .string(p + "s")], ["EXEC"]])
                guard case .array(let results)? = exec.last, case .error(let execError)? = results.first else {
                    Issue.record("expected EXEC to hold an error: \(exec)")
                    return
                }
                #expect(execError.contains("not an integer"))
            }
            // RedisClient.send throws error replies.
            await #expect(throws: RedisBackendError.self) { try await redis.send(["INCR", .string(p + "s")]) }
        }
    }

    @Test("the hiredis reader takes replies split at any byte and rejects malformed input")
    func decoderFragments() throws {
        let wire = Array("+OK\r\n-ERR bad\r\n:7\r\n$3\r\na\r\n\r\n$-1\r\n*2\r\n*1\r\n:1\r\n$0\r\n\r\n*-1\r\n".utf8)
        let expected: [RESPValue] = [
            .simpleString("OK"), .error("ERR bad"), .integer(7), .bulkString(Array("a\r\n".utf8)), .null,
            .array([.array([.integer(1)]), .bulkString([])]), .null,
        ]
        let decoder = try RESPDecoder()
        var decoded: [RESPValue] = []
        for byte in wire {
            try decoder.feed(ByteBuffer(bytes: [byte]))
            while let value = try decoder.next() { decoded.append(value) }
        }
        #expect(decoded == expected)
        let bad = try RESPDecoder()
        #expect(throws: RedisBackendError.self) {
            try bad.feed(ByteBuffer(bytes: Array("?what\r\n".utf8)))
            _ = try bad.next()
        }
    }

    @Test("commands encode binary-safely through redisFormatCommandArgv")
    func encoding() throws {
        var buffer = ByteBuffer()
        try RESPEncoder.encode(["SET", "k", .bytes([0, 13, 10]), ""], into: &buffer)
        #expect(String(decoding: buffer.readableBytesView, as: UTF8.self) == "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\0\r\n\r\n$0\r\n\r\n")
        #expect(throws: RedisBackendError.self) { try RESPEncoder.encode([], into: &buffer) }
    }

    @Test("1,000 pipelined commands, and 200 concurrent sends on one connection, answer in order")
    func pipelining() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            let commands: [[RedisArgument]] = (0..<1000).map { _ in ["INCR", .string(p + "counter")] }
            let replies = try await redis.pipeline(commands)
            #expect(replies == (1...1000).map { .integer(Int64($0)) })
            try await redis.withConnection { c in
                try await withThrowingTaskGroup(of: (Int, RESPValue).self) { group in
                    for i in 0..<200 {
                        group.addTask { (i, try await c.send(["ECHO", .string("m\(i)")])) }
                    }
                    for try await (i, reply) in group { #expect(reply.string == "m\(i)") }
                }
            }
        }
    }

    @Test("the pool reuses connections and never opens more than its maximum")
    func poolReuse() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p, maximumConnections: 3) { redis in
            for i in 0..<50 { try await redis.send(["SET", .string(p + "k\(i)"), "v"]) }
            #expect(await redis.connectionsOpened == 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<60 {
                    group.addTask { try await redis.send(["SET", .string(p + "c\(i)"), .string("\(i)")]) }
                }
                try await group.waitForAll()
            }
            #expect(await redis.connectionsOpened <= 3)
            #expect(try await redis.send(["DBSIZE"]).int ?? 0 >= 110)
        }
    }

    @Test("RedisPool keeps one pool per credential and reuses it across calls")
    func poolPerCredential() async throws {
        try await RedisPool.withPool(logger: RedisTestServer.logger) { pool in
            let credential = try RedisTestServer.credential()
            for _ in 0..<10 {
                let reply = try await pool.withConnection(credential) { try await $0.send(["PING"]) }
                #expect(reply == .simpleString("PONG"))
            }
            #expect(try await pool.connectionsOpened(for: credential) == 1)
            var other = credential
            other.data["database"] = 3
            let db = try await pool.withConnection(other) { try await $0.send(["CLIENT", "INFO"]) }
            #expect(db.string?.contains("db=3") == true)
            #expect(try await pool.connectionsOpened(for: other) == 1)
        }
    }

    @Test("URLs and n8n credentials become configurations; TLS is refused")
    func configuration() throws {
        let c = try RedisConfiguration(url: "redis://us%40er:p%3Ass@example.com:6380/4")
        #expect(c.host == "example.com" && c.port == 6380 && c.database == 4 && c.user == "us@er" && c.password == "p:ss")
        let d = try RedisConfiguration(url: "redis://secret@[::1]")
        #expect(d.host == "::1" && d.port == 6379 && d.password == "secret" && d.user == nil)
        #expect(throws: RedisBackendError.self) { try RedisConfiguration(url: "rediss://h:1") }
        #expect(throws: RedisBackendError.self) { try RedisConfiguration(url: "redis://h:99999") }
        let n8n = ResolvedCredential(type: "redis", data: ["host": "h", "port": 7000, "database": "2", "password": "x", "ssl": false])
        let e = try RedisConfiguration(credential: n8n)
        #expect(e.host == "h" && e.port == 7000 && e.database == 2 && e.password == "x")
        let tls = ResolvedCredential(type: "redis", data: ["host": "h", "ssl": true])
        #expect(throws: RedisBackendError.self) { try RedisConfiguration(credential: tls) }
    }
}
