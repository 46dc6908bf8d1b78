import FlowrunCore
import FlowrunExpressions
import FlowrunSQLite
import Foundation
import Testing

/// The SQLite store's WAL checkpoints run beside the writer (SQLiteStateStore+Checkpoint.swift):
/// the WAL stays bounded while the writer keeps committing, and what was committed survives a
/// reopen and a SIGKILL of the process.
@Suite("WAL checkpoints", .serialized)
struct WALCheckpointTests {
    static func temporaryDirectory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName(name))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func run(_ n: Int) -> StoredNodeRun {
        StoredNodeRun(node: "Set", runIndex: 0, data: [
            "startTime": 1_800_000_000_000, "executionTime": 1, "executionIndex": 1, "source": [["previousNode": "Start"]],
            "executionStatus": "success", "data": ["main": [[["json": ["n": .number(Double(n)), "text": .string(String(repeating: "x", count: 200))]]]]],
        ])
    }

    @Test("The WAL stays bounded while the writer commits without pause, and every commit is kept")
    func boundedWhileWriting() async throws {
        let directory = try Self.temporaryDirectory("flowrun-wal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("flowrun.sqlite").path
        let policy = SQLiteStateStore.CheckpointPolicy(backgroundFrames: 16, writerFrames: 150, idleDelay: .milliseconds(20))
        let store = SQLiteStateStore(configuration: .init(path: path, checkpoint: policy))
        let total = 3_000
        let concurrent = 16
        var largestWAL = 0
        for chunk in stride(from: 0, to: total, by: concurrent) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in chunk..<min(total, chunk + concurrent) {
                    group.addTask {
                        let id = "wal-\(n)"
                        try await store.createExecution(ExecutionRecord(id: id, workflowID: "wal", mode: "webhook", status: .new, startedAt: Double(n)))
                        try await store.recordUpdate(ExecutionUpdate(
                            executionID: id, markRunning: true, nodeRuns: [Self.run(n)],
                            end: .init(status: .success, stoppedAt: Double(n) + 1, error: nil)))
                    }
                }
                try await group.waitForAll()
            }
            largestWAL = max(largestWAL, Self.fileSize(path + "-wal"))
        }
        let status = try #require(store.checkpointStatus)
        #expect(status.background > 0, "background checkpoints ran")
        #expect(status.writer > 0, "the writer restarted the WAL past its bound")
        #expect(status.lastFailure == nil)
        // Far fewer frames than were written (two commits per execution, several pages each): the
        // WAL was restarted instead of growing; at most twice the bound and one group commit.
        let frame = 4_096 + 24
        #expect(largestWAL <= (2 * policy.writerFrames + 200) * frame, "WAL grew to \(largestWAL / frame) frames: \(status)")
        try store.close()

        let reopened = SQLiteStateStore(configuration: .init(path: path))
        defer { try? reopened.close() }
        let records = try await reopened.executions(matching: ExecutionQuery(workflowID: "wal", limit: total + 10))
        #expect(records.count == total)
        #expect(records.allSatisfy { $0.status == .success })
        for n in [0, total / 2, total - 1] {
            #expect(try await reopened.nodeRuns(executionID: "wal-\(n)") == [Self.run(n)])
        }
        #expect(try await reopened.unfinishedExecutions().isEmpty)
    }

    @Test("Unfinished executions are found through the partial status index, finished ones by any status")
    func statusQueries() async throws {
        let directory = try Self.temporaryDirectory("flowrun-wal-status")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteStateStore(configuration: .init(path: directory.appendingPathComponent("flowrun.sqlite").path))
        defer { try? store.close() }
        let statuses: [ExecutionRecord.Status] = [.new, .running, .waiting, .success, .error, .crashed, .canceled]
        for (n, status) in statuses.enumerated() {
            try await store.createExecution(ExecutionRecord(id: "s-\(n)", workflowID: "w", mode: "webhook", status: status, startedAt: Double(n)))
        }
        #expect(Set(try await store.unfinishedExecutions().map(\.status)) == [.new, .running, .waiting])
        #expect(try await store.executions(matching: ExecutionQuery(statuses: [.waiting])).map(\.id) == ["s-2"])
        #expect(try await store.executions(matching: ExecutionQuery(statuses: [.new, .success])).map(\.id) == ["s-3", "s-0"])
        #expect(try await store.executions(matching: ExecutionQuery(statuses: [.error, .crashed])).map(\.id) == ["s-5", "s-4"])
        try await store.finishExecution(id: "s-1", status: .success, stoppedAt: 10, error: nil)
        #expect(Set(try await store.unfinishedExecutions().map(\.id)) == ["s-0", "s-2"])
    }

    @Test("An update that ends an execution sets its last node and checkpoint only while it was new or running")
    func endingUpdate() async throws {
        let directory = try Self.temporaryDirectory("flowrun-wal-end")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteStateStore(configuration: .init(path: directory.appendingPathComponent("flowrun.sqlite").path))
        defer { try? store.close() }
        let end = ExecutionUpdate.End(status: .success, stoppedAt: 5, error: nil)
        try await store.createExecution(ExecutionRecord(id: "e-1", mode: "webhook", startedAt: 1))
        try await store.recordUpdate(ExecutionUpdate(executionID: "e-1", markRunning: true, nodeRuns: [Self.run(1)], checkpoint: ["at": "Set"], end: end))
        let ended = try #require(try await store.execution(id: "e-1"))
        #expect(ended.status == .success && ended.lastNode == "Set" && ended.stoppedAt == 5 && ended.ownerID == nil)
        #expect(try await store.checkpoint(executionID: "e-1") == ["at": "Set"])
        #expect(try await store.nodeRuns(executionID: "e-1") == [Self.run(1)])

        // Taken over as crashed before the late update arrives: the end is written, the rest is not.
        try await store.createExecution(ExecutionRecord(id: "e-2", mode: "webhook", startedAt: 2, ownerID: "gone"))
        #expect(try await store.takeOver(executionID: "e-2", from: "gone", to: nil, status: .crashed, at: 3))
        try await store.recordUpdate(ExecutionUpdate(executionID: "e-2", markRunning: true, nodeRuns: [Self.run(2)], checkpoint: ["at": "Set"], end: end))
        let late = try #require(try await store.execution(id: "e-2"))
        #expect(late.status == .success && late.lastNode == nil)
        #expect(try await store.checkpoint(executionID: "e-2") == nil)

        await #expect(throws: StoreError.self) {
            try await store.recordUpdate(ExecutionUpdate(executionID: "missing", end: end))
        }
    }

    @Test("Every execution a webhook answered is in the store after flowrun serve is killed while checkpoints run")
    func killedWhileCheckpointing() async throws {
        let directory = try Self.temporaryDirectory("flowrun-wal-kill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        let workflow: JSONValue = [
            "name": "wal-kill", "id": "wal-kill", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["parameters": ["path": "wal", "httpMethod": "POST", "responseMode": "onReceived", "options": [:]],
                 "name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
                 "webhookId": "6c1d2e3f-0000-4000-8000-000000000010"],
                ["parameters": ["assignments": ["assignments": [["id": "1", "name": "n", "value": "={{ $json.body.n }}", "type": "number"]]], "options": [:]],
                 "name": "Set", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0]],
            ],
            "connections": ["Webhook": ["main": [[["node": "Set", "type": "main", "index": 0]]]]],
        ]
        try Data(workflow.jsonString().utf8).write(to: workflows.appendingPathComponent("wal-kill.json"))
        let data = directory.appendingPathComponent("data").path
        let serve = try await ServeProcess.start(["workflows", "--data-dir", data], in: directory, logName: "serve.log")
        defer { serve.kill() }

        // Enough executions for several background checkpoints (one per 1,000 WAL frames), 8 at a time.
        var answered: [String] = []
        for chunk in stride(from: 0, to: 1_200, by: 8) {
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for n in chunk..<chunk + 8 {
                    group.addTask {
                        let answer = try await serve.request("POST", "/webhook/wal", json: ["n": .number(Double(n))])
                        return answer.status == 200 ? answer.header("x-flowrun-execution-id") : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            answered += ids
        }
        #expect(answered.count == 1_200)
        serve.kill()
        #expect(serve.process.terminationReason == .uncaughtSignal)

        let database = (data as NSString).appendingPathComponent("flowrun.sqlite")
        // Pages reached the database file itself: checkpoints ran before the kill.
        #expect(Self.fileSize(database) > 64 * 4_096, "database file \(Self.fileSize(database)) bytes")
        let store = SQLiteStateStore(configuration: .dataDirectory(data))
        defer { try? store.close() }
        let recorded = try await store.executions(matching: ExecutionQuery(workflowID: "wal-kill", limit: 10_000))
        let missing = Set(answered).subtracting(recorded.map(\.id))
        #expect(missing.isEmpty, "\(missing.count) answered executions lost")
    }
}
