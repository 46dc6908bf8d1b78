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
        func run(_ job: QueueJob, reclaimed: Bool) async throws -> QueueOutcome {
            runs.withLock { $0[job.executionID, default: 0] += 1 }
            return .finished(reply: ["ran": .string(job.executionID)])
        }
        var counts: [String: Int] { runs.withLock { $0 } }
    }

    static func queue(_ redis: RedisClient, ttl: Duration = .seconds(2)) -> RedisExecutionQueue {
        var configuration = RedisExecutionQueue.Configuration(prefix: "test:queue:\(UUID().uuidString.prefix(8))")
        configuration.heartbeatTTL = ttl
        return RedisExecutionQueue(redis: redis, configuration: configuration)
    }

    /// Removes every key of the test's queue.
    static func clean(_ queue: RedisExecutionQueue) async throws {
        let prefix = String(queue.configuration.stream.dropLast("executions".count))
        let keys = try await queue.redis.send(["KEYS", .string(prefix + "*")]).array?.compactMap(\.string) ?? []
        try await queue.redis.delete(keys)
    }

    /// Polls `condition` until it holds or `timeout` passes (the expectations after it tell).
    static func waitUntil(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !(try await condition()) {
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
            try await Self.clean(queue)
        }
    }

    @Test("the jobs of a worker whose heartbeat stopped are claimed by another within the TTL")
    func reclaimDeadWorker() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            // A TTL of a few seconds: on a loaded machine a second can pass between two awaits.
            let queue = Self.queue(redis, ttl: .seconds(3))
            try await queue.prepare()
            for i in 0..<5 { try await queue.enqueue(QueueJob(executionID: "d\(i)", workflowKey: "wf")) }
            // A worker that read the jobs and died: its heartbeat expires, nothing is acknowledged.
            let taken = try await queue.read(consumer: "dead", count: 5, block: .milliseconds(100))
            #expect(taken.count == 5)
            try await queue.heartbeat(consumer: "dead")
            #expect(try await queue.reclaimAbandoned(by: "alive").isEmpty, "a live heartbeat keeps its jobs")
            try await Task.sleep(for: .milliseconds(3300))
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
            try await Self.clean(queue)
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
            try await Self.clean(queue)
        }
    }

    /// Answers from a script: each call takes the next outcome for its execution.
    final class ScriptedRunner: QueueJobRunner {
        let script: Mutex<[String: [QueueOutcome]]>
        let calls = Atomic<Int>(0)
        init(_ script: [String: [QueueOutcome]]) { self.script = Mutex(script) }
        func run(_ job: QueueJob, reclaimed: Bool) async throws -> QueueOutcome {
            calls.add(1, ordering: .relaxed)
            return script.withLock { s in s[job.executionID]?.isEmpty == false ? s[job.executionID]!.removeFirst() : .runningElsewhere }
        }
    }

    @Test("a second delivery of an ended execution resends the reply the first worker kept, and is acknowledged")
    func secondDelivery() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis)
            try await queue.prepare()
            try await queue.publishReply(["kept": true], executionID: "s1", on: nil)
            let channel = queue.replyChannel(process: "main1", executionID: "s1")
            try await redis.withSubscription(to: [channel]) { subscription in
                try await queue.enqueue(QueueJob(executionID: "s1", workflowKey: "wf", replyChannel: channel))
                let runner = ScriptedRunner(["s1": [.alreadyEnded(fallback: ["rebuilt": true])]])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: "w"), logger: Logger(label: "test")).run()
                    }
                    var iterator = subscription.makeAsyncIterator()
                    let message = try await iterator.next()
                    #expect(message?.text == #"{"kept":true}"#)
                    try await Self.waitUntil {
                        try await redis.xpending(queue.configuration.stream, group: queue.configuration.group).count == 0
                    }
                    group.cancelAll()
                }
            }
            #expect(try await redis.xpending(queue.configuration.stream, group: queue.configuration.group).count == 0)
            try await Self.clean(queue)
        }
    }

    @Test("a job whose execution runs at another live worker stays pending, and is looked at again until it ended")
    func leftToLiveWorker() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis, ttl: .seconds(1))
            try await queue.prepare()
            try await queue.enqueue(QueueJob(executionID: "l1", workflowKey: "wf"))
            let runner = ScriptedRunner(["l1": [.runningElsewhere, .alreadyEnded(fallback: ["done": true])]])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: "w"), logger: Logger(label: "test")).run()
                }
                try await Self.waitUntil {
                    guard runner.calls.load(ordering: .relaxed) >= 2 else { return false }
                    return try await redis.xpending(queue.configuration.stream, group: queue.configuration.group).count == 0
                }
                group.cancelAll()
            }
            #expect(runner.calls.load(ordering: .relaxed) == 2)
            #expect(try await redis.xpending(queue.configuration.stream, group: queue.configuration.group).count == 0)
            #expect(try await queue.storedReply(executionID: "l1") == ["done": true])
            try await Self.clean(queue)
        }
    }

    @Test("three processes claiming the same 40 schedule ticks at once: each tick is claimed exactly once")
    func tickClaims() async throws {
        try await RedisClient.withClient(url: Self.redisURL) { redis in
            let queue = Self.queue(redis)
            let claimers = (0..<3).map { _ in RedisTickClaimer(queue: queue, logger: Logger(label: "test")) }
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let wins = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for tick in 0..<40 {
                    for claimer in claimers {
                        group.addTask {
                            (tick, await claimer.claim(workflow: "wf", node: "Schedule", rule: 0, fireDate: start.addingTimeInterval(Double(tick))))
                        }
                    }
                }
                var wins: [Int: Int] = [:]
                for try await (tick, won) in group where won { wins[tick, default: 0] += 1 }
                return wins
            }
            #expect(wins.count == 40)
            #expect(wins.values.allSatisfy { $0 == 1 })
            // Another rule or node at the same time is another tick.
            #expect(await claimers[0].claim(workflow: "wf", node: "Schedule", rule: 1, fireDate: start))
            try await Self.clean(queue)
        }
    }
}
