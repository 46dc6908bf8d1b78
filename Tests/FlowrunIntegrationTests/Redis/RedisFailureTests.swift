import FlowrunCore
import FlowrunRedis
import Foundation
import NIOCore
import NIOPosix
import Testing

@Suite("Redis client: failures")
struct RedisFailureTests {
    @Test("a closed port fails fast with connectionRefused, retryable")
    func serverDown() async throws {
        let port = try await Self.closedPort()
        let redis = try RedisClient(url: "redis://127.0.0.1:\(port)", connectTimeout: .seconds(2))
        let error = await #expect(throws: RedisBackendError.self) { try await redis.send(["PING"]) }
        #expect(error?.code == .connectionRefused)
        #expect(error?.retryDisposition == .retryable(after: nil))
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        await redis.shutdown()
    }

    @Test("a connection killed mid-command fails that command; the pool replaces it")
    func killedMidFlight() async throws {
        let p = RedisTestServer.prefix()
        try await RedisTestServer.withClient(prefix: p, maximumConnections: 1) { redis in
            let id = try #require(try await redis.send(["CLIENT", "ID"]).int)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: RedisBackendError.self) {
                        // Long enough that only the kill can end it, even on a loaded machine.
                        try await redis.send(["BLPOP", .string(p + "never"), "60"])
                    }
                    #expect(error?.code == .connectionClosed)
                }
                // Kill it from another connection once the BLPOP is in flight.
                let killer = try await RedisNIOConnection.connect(try RedisTestServer.configuration)
                var killed = Int64(0)
                for _ in 0..<100 where killed == 0 {
                    try await Task.sleep(for: .milliseconds(20))
                    if case .integer(let n) = try await killer.send(["CLIENT", "KILL", "ID", .string(String(id))]) { killed = n }
                }
                #expect(killed == 1)
                await killer.closeAndWait()
                try await group.waitForAll()
            }
            #expect(try await redis.send(["PING"]) == .simpleString("PONG"))
            #expect(try await redis.send(["CLIENT", "ID"]).int != id)
            #expect(await redis.connectionsOpened == 2)
        }
    }

    @Test("a reply slower than the command timeout fails with timeout; the pool recovers")
    func timeout() async throws {
        let p = RedisTestServer.prefix()
        // The timeout applies to every command of this client, the PINGs and the clean-up too: 5 s
        // leaves them room on a loaded machine (2 s did not, once), and is still far below the
        // 60 s the BLPOP would block.
        try await RedisTestServer.withClient(prefix: p, maximumConnections: 1, commandTimeout: .seconds(5)) { redis in
            let started = ContinuousClock.now
            let error = await #expect(throws: RedisBackendError.self) {
                try await redis.send(["BLPOP", .string(p + "never"), "60"])
            }
            #expect(error?.code == .timeout)
            // Ended by the timeout, not by the 60 s BLPOP.
            #expect(ContinuousClock.now - started < .seconds(45))
            let pong = try await redis.send(["PING"])
            #expect(pong == .simpleString("PONG"))
            #expect(await redis.connectionsOpened == 2)
        }
    }

    @Test("wrong passwords fail with authentication errors; AUTH user password works (ACL user)")
    func authentication() async throws {
        let p = RedisTestServer.prefix()
        let user = "flowrun-test-\(UUID().uuidString.prefix(8))"
        try await RedisTestServer.withClient(prefix: p) { admin in
            try await admin.send(["ACL", "SETUSER", .string(user), "on", ">right-pass", .string("~\(p)*"), "+@all"])
            do {
                var good = try RedisTestServer.configuration
                good.user = user
                good.password = "right-pass"
                let client = RedisClient(configuration: good, logger: RedisTestServer.logger)
                #expect(try await client.set(p + "acl", .string("ok")))
                #expect(try await client.get(p + "acl") == Array("ok".utf8))
                await client.shutdown()

                var bad = good
                bad.password = "wrong-pass"
                let refused = RedisClient(configuration: bad, logger: RedisTestServer.logger)
                let error = await #expect(throws: RedisBackendError.self) { try await refused.send(["PING"]) }
                #expect(error?.code == .authentication)
                #expect(error?.retryDisposition == .permanent)
                #expect(error?.description.contains("wrong-pass") == false)
                await refused.shutdown()

                // Through the node's service: the pool surfaces the same error.
                try await RedisPool.withPool(logger: RedisTestServer.logger) { pool in
                    let credential = try RedisTestServer.credential(password: "nope", user: user)
                    await #expect(throws: RedisBackendError.self) {
                        try await pool.withConnection(credential) { try await $0.send(["PING"]) }
                    }
                }
            } catch {
                _ = try? await admin.send(["ACL", "DELUSER", .string(user)])
                throw error
            }
            try await admin.send(["ACL", "DELUSER", .string(user)])
        }
    }

    /// A loopback port nothing listens on (bound then closed).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}
