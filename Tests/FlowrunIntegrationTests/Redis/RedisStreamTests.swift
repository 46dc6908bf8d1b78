import FlowrunCore
import FlowrunRedis
import Foundation
import Testing

@Suite("Redis client: streams, SET NX PX, pub/sub")
struct RedisStreamTests {
    @Test("XGROUP CREATE MKSTREAM, XADD, XREADGROUP, XPENDING, XACK, XAUTOCLAIM")
    func consumerGroup() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            let stream = p + "jobs"
            #expect(try await redis.xgroupCreate(stream, group: "workers", startingAt: "0"))
            #expect(try await redis.xgroupCreate(stream, group: "workers", startingAt: "0") == false)
            var ids: [String] = []
            for i in 0..<3 {
                ids.append(try await redis.xadd(stream, fields: [("execution", .string("e\(i)")), ("blob", .bytes([0, 255, 13, 10]))]))
            }
            #expect(try await redis.xlen(stream) == 3)
            let read = try await redis.xreadgroup(group: "workers", consumer: "w1", stream: stream, count: 10)
            #expect(read.map(\.id) == ids)
            #expect(read.map { $0.string("execution") } == ["e0", "e1", "e2"])
            #expect(read.first?["blob"] == [0, 255, 13, 10])

            let summary = try await redis.xpending(stream, group: "workers")
            #expect(summary.count == 3 && summary.smallestID == ids[0] && summary.largestID == ids[2])
            #expect(summary.consumers == ["w1": 3])
            #expect(try await redis.xack(stream, group: "workers", ids: [ids[0]]) == 1)

            let pending = try await redis.xpending(stream, group: "workers", count: 10, consumer: "w1")
            #expect(pending.map(\.id) == [ids[1], ids[2]])
            #expect(pending.allSatisfy { $0.consumer == "w1" && $0.deliveries == 1 })

            // w1 "dies": w2 claims what has been idle for 50 ms.
            try await Task.sleep(for: .milliseconds(80))
            let claimed = try await redis.xautoclaim(stream, group: "workers", consumer: "w2", minIdle: .milliseconds(50), count: 10)
            #expect(claimed.entries.map(\.id) == [ids[1], ids[2]])
            #expect(claimed.nextStart == "0-0")
            #expect(claimed.deletedIDs.isEmpty)
            #expect(try await redis.xpending(stream, group: "workers").consumers == ["w2": 2])
            // Re-reading its own pending entries (id 0) gives w2 the claimed ones.
            let own = try await redis.xreadgroup(group: "workers", consumer: "w2", stream: stream, startingAt: "0")
            #expect(own.map(\.id) == [ids[1], ids[2]])
            #expect(try await redis.xack(stream, group: "workers", ids: [ids[1], ids[2]]) == 2)
            #expect(try await redis.xpending(stream, group: "workers").count == 0)
        }
    }

    @Test("XREADGROUP BLOCK waits on the blocking pool, returns [] on timeout and wakes on XADD")
    func blockingRead() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p, maximumConnections: 1) { redis in
            let stream = p + "blocking"
            try await redis.xgroupCreate(stream, group: "g")
            let started = ContinuousClock.now
            let none = try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, block: .milliseconds(150))
            #expect(none.isEmpty)
            #expect(ContinuousClock.now - started >= .milliseconds(140))
            try await withThrowingTaskGroup(of: [RedisStreamEntry].self) { group in
                group.addTask { try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, block: .seconds(5)) }
                // The ordinary pool (size 1) is not held up by the blocked read.
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await redis.send(["PING"]) == .simpleString("PONG"))
                try await redis.xadd(stream, fields: [("k", "v")])
                let woke = try #require(try await group.next())
                #expect(woke.map { $0.string("k") } == ["v"])
            }
        }
    }

    @Test("SET NX PX sets once, with an expiry")
    func setNX() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            // 60 s: the key must outlive the test's steps even on a loaded machine.
            #expect(try await redis.set(p + "lock", "a", ifNotExists: true, expiresIn: .seconds(60)))
            #expect(try await redis.set(p + "lock", "b", ifNotExists: true, expiresIn: .seconds(60)) == false)
            #expect(try await redis.get(p + "lock") == Array("a".utf8))
            let ttl = try #require(try await redis.send(["PTTL", .string(p + "lock")]).int)
            #expect(ttl > 0 && ttl <= 60_000)
            #expect(try await redis.delete([p + "lock"]) == 1)
        }
    }

    @Test("SUBSCRIBE delivers published messages as an AsyncSequence on its own connection")
    func pubSub() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p) { redis in
            let received = try await redis.withSubscription(to: [p + "a", p + "b"], patterns: [p + "p.*"]) { subscription in
                #expect(try await redis.publish("one", to: p + "a") == 1)
                #expect(try await redis.publish(.bytes([0, 1, 2]), to: p + "b") == 1)
                #expect(try await redis.publish("three", to: p + "p.x") == 1)
                var messages: [RedisPubSubMessage] = []
                for try await message in subscription {
                    messages.append(message)
                    if messages.count == 3 { break }
                }
                return messages
            }
            #expect(received.map(\.channel) == [p + "a", p + "b", p + "p.x"])
            #expect(received.map(\.payload) == [Array("one".utf8), [0, 1, 2], Array("three".utf8)])
            #expect(received[2].pattern == p + "p.*")
            // Subscription closed: nobody receives any more.
            #expect(try await redis.publish("late", to: p + "a") == 0)
        }
    }
}
