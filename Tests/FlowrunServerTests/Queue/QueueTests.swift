import FlowrunExpressions
import FlowrunRedis
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import FlowrunServer

/// Queue mode against the real Redis of scripts/services/redis.sh.
@Suite("Queue mode on a Redis stream")
struct QueueTests {
    static var redisURL: String { ProcessInfo.processInfo.environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379" }

    /// Counts runs per execution id and answers `{"ran": id}`.
    final class CountingRunner: QueueJobRunner {
        let runs = Mutex<[String: Int]>([:])
        func run(_ job: QueueJob, reclaimed: Bool) async throws -> JSONValue? {
            runs.withLock { $0[job.executionID, default: 0] += 1 }
            return ["ran": .string(job.executionID)]
        }
        var counts: [String: Int] { runs.withLock { $0 } }
    }

    static func queue(_ redis: RedisClient, ttl: Duration = .seconds(2)) -> RedisExecutionQueue {
        var configuration = RedisExecutionQueue.Configuration()
        let suffix = UUID().uuidString.prefix(8)
        configuration.stream = "test:queue:\(suffix)"
        configuration.group = "workers"
        configuration.heartbeatPrefix = "test:queue:\(suffix):worker:"
        configuration.replyPrefix = "test:queue:\(suffix):reply:"
        configuration.heartbeatTTL = ttl
        return RedisExecutionQueue(redis: redis, configuration: configuration)
    }

    static func waitUntil(_ condition: () -> Bool, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("two workers run 60 jobs, each exactly once, and acknowledge them all")
    func exactlyOnce() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis)
            try await queue.prepare()
            let runner = CountingRunner()
            for i in 0..<60 { try await queue.enqueue(QueueJob(executionID: "e\(i)", workflowKey: "wf")) }
            let logger = Logger(label: "test")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        try await QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: name, concurrency: 3), logger: logger).run()
                    }
                }
                try await Self.waitUntil { runner.counts.count == 60 }
                group.cancelAll()
            }
            #expect(runner.counts.count == 60)
            #expect(runner.counts.values.allSatisfy { $0 == 1 })
            let pending = try await redis.xpending(queue.configuration.stream, group: queue.configuration.group, count: 100)
            #expect(pending.isEmpty)
        }
    }

    @Test("the jobs of a worker whose heartbeat stopped are claimed by another within the TTL")
    func reclaimDeadWorker() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis, ttl: .seconds(1))
            try await queue.prepare()
            for i in 0..<5 { try await queue.enqueue(QueueJob(executionID: "d\(i)", workflowKey: "wf")) }
            // A worker that read the jobs and died: its heartbeat expires, nothing is acknowledged.
            try await queue.heartbeat(consumer: "dead")
            let taken = try await queue.read(consumer: "dead", count: 5, block: .milliseconds(100))
            #expect(taken.count == 5)
            #expect(try await queue.reclaimAbandoned(by: "alive").isEmpty, "a live heartbeat keeps its jobs")
            try await Task.sleep(for: .milliseconds(1300))
            let runner = CountingRunner()
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: "alive"), logger: Logger(label: "test")).run()
                }
                try await Self.waitUntil { runner.counts.count == 5 }
                group.cancelAll()
            }
            #expect(runner.counts == ["d0": 1, "d1": 1, "d2": 1, "d3": 1, "d4": 1])
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("the worker sends the execution's response to the waiting process's channel")
    func reply() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis)
            try await queue.prepare()
            let channel = queue.replyChannel(process: "main1", executionID: "r1")
            try await redis.withSubscription(to: [channel]) { subscription in
                try await queue.enqueue(QueueJob(executionID: "r1", workflowKey: "wf", replyChannel: channel))
                let runner = CountingRunner()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: "w"), logger: Logger(label: "test")).run()
                    }
                    var iterator = subscription.makeAsyncIterator()
                    let message = try await iterator.next()
                    #expect(message.map { String(decoding: $0.payload, as: UTF8.self) } == #"{"ran":"r1"}"#)
                    group.cancelAll()
                }
            }
        }
    }
}
