import FlowrunCore
import FlowrunExpressions
import FlowrunSQLite
import Foundation
import Testing

/// A rate-limit node waiting for room (onLimit wait) outlasts a SIGKILL: `flowrun executions
/// recover` resumes the execution (the workflow opts in), it waits only what is left of the
/// window, then passes, without a second grant inside one window.
@Suite("Rate-limit wait across a restart", .serialized)
struct RateLimitWaitRestartTests {
    static let windowSeconds = 20.0

    static let workflow: JSONValue = [
        "id": "wf-rate-wait", "name": "Rate limit wait",
        "settings": ["executionOrder": "v1", "flowrun": ["resumeOnCrash": true]],
        "nodes": [
            ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
            ["name": "Limit", "type": "flowrun.rateLimit", "typeVersion": 1, "position": [200, 0],
             "parameters": ["key": "restart-test", "limit": 1, "window": "sliding", "duration": .number(windowSeconds),
                            "durationUnit": "seconds", "onLimit": "wait", "maxWaitSeconds": 600]],
            ["name": "Done", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [400, 0], "parameters": [:]],
        ],
        "connections": ["Trigger": ["main": [[["node": "Limit", "type": "main", "index": 0]]]],
                        "Limit": ["main": [[["node": "Done", "type": "main", "index": 0]]]]],
    ]

    @Test("an execution waiting for the window is SIGKILLed; recover resumes it and it passes once the window has room")
    func waitSurvivesRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-rate-wait-\(UInt64.random(in: 1...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.workflow.jsonString(indent: 2).write(to: directory.appendingPathComponent("wait.json"), atomically: true, encoding: .utf8)
        let store = SQLiteStateStore(configuration: .dataDirectory(directory.appendingPathComponent("data").path))
        defer { try? store.close() }
        let arguments = ["--data-dir", "data"]
        let debug = ["FLOWRUN_LOG_LEVEL": "debug", "FLOWRUN_LOG_FORMAT": "json"]

        // The first execution takes the window's only slot.
        let first = try FlowrunProcess(["run", "wait.json"] + arguments, in: directory, log: directory.appendingPathComponent("first.log"))
        #expect(try await first.exitStatus(within: 120) == 0, "\(first.logText)")

        // The second waits for room, and dies waiting.
        let second = try FlowrunProcess(["run", "wait.json"] + arguments, environment: debug, in: directory,
                                        log: directory.appendingPathComponent("second.log"))
        defer { second.kill() }
        _ = try await second.logLine("Rate limit waits for room", within: 120)
        second.kill()
        #expect(second.process.terminationReason == .uncaughtSignal)
        let waiting = try await store.unfinishedExecutions()
        #expect(waiting.count == 1)
        let id = try #require(waiting.first?.id)
        #expect(waiting.first?.lastNode == "Trigger", "the Limit node was running")

        // The restart: recovery resumes it; it waits out the rest of the window, then passes.
        let recover = try FlowrunProcess(["executions", "recover"] + arguments, in: directory, log: directory.appendingPathComponent("recover.log"))
        #expect(try await recover.exitStatus(within: 180) == 0, "\(recover.logText)")
        #expect(try await store.unfinishedExecutions().isEmpty)
        let resumed = try #require(try await store.execution(id: id))
        #expect(resumed.status == .success, "\(resumed.error?.jsonString() ?? "")")
        let runs = try await store.nodeRuns(executionID: id)
        #expect(Dictionary(grouping: runs, by: \.node).mapValues(\.count) == ["Trigger": 1, "Limit": 1, "Done": 1])
        let limitRun = try #require(runs.first { $0.node == "Limit" }.map { NodeRunRecord(jsonValue: $0.data) })
        #expect(limitRun.output?.map(\.count) == [1], "the item passed")

        // No two grants inside one window: the second grant came a full window after the first.
        let executions = try await store.executions(matching: ExecutionQuery(workflowID: "wf-rate-wait"))
        #expect(executions.count == 2)
        let firstID = try #require(executions.first { $0.id != id }?.id)
        let firstLimit = try #require(try await store.nodeRuns(executionID: firstID).first { $0.node == "Limit" }.map { NodeRunRecord(jsonValue: $0.data) })
        #expect(firstLimit.output?.map(\.count) == [1])
        // The first grant came after its run started, the second before its run ended.
        let firstGrantAtLeast = firstLimit.startTime
        let secondGrantAtMost = limitRun.startTime + limitRun.executionTime
        #expect(secondGrantAtMost - firstGrantAtLeast >= Self.windowSeconds * 1000,
                "first grant after \(firstGrantAtLeast), second by \(secondGrantAtMost)")
    }
}
