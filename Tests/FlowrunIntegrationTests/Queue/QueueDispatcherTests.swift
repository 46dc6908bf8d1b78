import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import FlowrunRedis
import FlowrunServer
import Foundation
import Logging
import Testing

/// The main process's side of queue mode against the test Postgres and Redis: the record is
/// written before the job is published, and a waiting execution whose reply never arrives on its
/// channel is answered by the sweep (from the kept reply, else from the store).
@Suite("Queue dispatcher", .serialized)
struct QueueDispatcherTests {
    static let logger = Logger(label: "flowrun.tests.queue", factory: { _ in SwiftLogNoOpLogHandler() })

    static func withDispatcher<T: Sendable>(
        before prepare: @Sendable (PostgresStateStore) async throws -> Void = { _ in },
        _ body: (QueueDispatcher, RedisExecutionQueue, PostgresStateStore, LoadedWorkflow) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName("flowrun-dispatch"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try QueueModeTests.loadWorkflow.jsonString().write(to: directory.appendingPathComponent("load.json"), atomically: true, encoding: .utf8)
        let workflows = WorkflowSet(paths: [directory.path], environment: [:], http: nil, logger: logger)
        _ = await workflows.reload()
        let workflow = try #require(workflows.workflows.first)
        let configuration = PostgresStateStore.Configuration(url: StoreFixtures.postgresURL, schema: StoreFixtures.uniqueName("dispatch_test"))
        return try await PostgresStateStore.with(configuration, logger: StoreFixtures.logger) { store in
            try await RedisClient.withClient(url: QueueCluster.redisURL) { redis in
                let prefix = "test-dispatch-\(UInt32.random(in: 1...UInt32.max))"
                let queue = RedisExecutionQueue(redis: redis, configuration: .init(prefix: prefix))
                var settings = QueueDispatcher.Configuration()
                settings.sweepInterval = .milliseconds(200)
                settings.replyGrace = .seconds(1)
                try await prepare(store)
                let dispatcher = try await QueueDispatcher.start(queue: queue, store: store, configuration: settings, logger: logger)
                let result: Result<T, any Error>
                do {
                    result = .success(try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await dispatcher.run() }
                        defer { group.cancelAll() }
                        return try await body(dispatcher, queue, store, workflow)
                    })
                } catch {
                    result = .failure(error)
                }
                try? await store.dropSchema()
                if let keys = try? await redis.send(["KEYS", .string(prefix + "*")]).array?.compactMap(\.string) { _ = try? await redis.delete(keys) }
                return try result.get()
            }
        }
    }

    static func job(_ id: String, _ workflow: LoadedWorkflow) -> ExecutionJob {
        ExecutionJob(executionID: id, workflow: workflow, startNode: "Webhook", input: [Item(json: ["body": ["seq": 7]])], mode: .webhook)
    }

    @Test("submit writes the record (status new, trigger input) before the job is on the stream")
    func recordBeforePublish() async throws {
        try await Self.withDispatcher { dispatcher, queue, store, workflow in
            _ = try await dispatcher.submit(Self.job("d1", workflow), responder: nil)
            let record = try #require(try await store.execution(id: "d1"))
            #expect(record.status == .new && record.ownerID == nil && record.startNode == "Webhook")
            #expect(record.triggerInput?.arrayValue?.first?["json"]?["body"]?["seq"] == 7)
            let jobs = try await queue.read(consumer: "probe", count: 10, block: .milliseconds(100))
            #expect(jobs.map(\.job.executionID) == ["d1"])
            #expect(jobs.first?.job.workflowKey == "queue-load")
        }
    }

    @Test("at start, an execution recorded new long ago and never started is published again; recent and started ones are not")
    func orphansRequeued() async throws {
        let now = Date().timeIntervalSince1970 * 1000
        try await Self.withDispatcher(before: { store in
            for (id, age, owner) in [("old", 300_000.0, nil), ("recent", 1_000.0, nil), ("taken", 300_000.0, "w:1")] as [(String, Double, String?)] {
                var record = ExecutionRecord(id: id, workflowID: "queue-load", workflowName: "queue-load", workflowFile: "/x/load.json",
                                             mode: "webhook", status: .new, startedAt: now - age, resumeOnCrash: false)
                record.ownerID = owner
                try await store.createExecution(record)
            }
        }) { _, queue, _, _ in
            let jobs = try await queue.read(consumer: "probe", count: 10, block: .milliseconds(500))
            #expect(jobs.map(\.job.executionID) == ["old"])
            #expect(jobs.first?.job.workflowKey == "queue-load")
        }
    }

    @Test("a reply lost on the way: the sweep answers from the reply the worker kept, else from the store after the grace")
    func lostReplies() async throws {
        try await Self.withDispatcher { dispatcher, queue, store, workflow in
            let kept = try await dispatcher.submit(Self.job("k1", workflow), responder: nil)
            let rebuilt = try await dispatcher.submit(Self.job("r1", workflow), responder: nil)
            let now = Date().timeIntervalSince1970 * 1000
            // A worker ran both; it kept k1's reply but its message never reached this process, and
            // r1's reply was never kept at all.
            try await store.finishExecution(id: "k1", status: .success, stoppedAt: now, error: nil)
            try await store.finishExecution(id: "r1", status: .error, stoppedAt: now,
                                            error: ["code": "nodeFailed", "message": "Answer failed", "node": "Answer"])
            try await queue.publishReply(["executionId": "k1", "status": "success", "startedAt": 0, "stoppedAt": 1], executionID: "k1", on: nil)
            let keptResult = await kept.result()
            #expect(keptResult.status == .success)
            let rebuiltResult = await rebuilt.result()
            #expect(rebuiltResult.status == .error)
            #expect(rebuiltResult.error?.message == "Answer failed")
            #expect(dispatcher.awaitingReplies == 0)
        }
    }
}
