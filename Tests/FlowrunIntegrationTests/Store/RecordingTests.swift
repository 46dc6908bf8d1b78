import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Logging
import Testing

/// The runtime records executions node by node, retries them and replays them offline.
@Suite("Execution recording and replay")
struct RecordingTests {
    static func workflow(value: String) -> String {
        let document: JSONValue = [
            "name": "Recorded", "id": "rec1",
            "nodes": [
                ["parameters": [:], "name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]],
                ["parameters": ["assignments": ["assignments": [["id": "1", "name": "greeting", "value": .string(value), "type": "string"]]],
                                "includeOtherFields": true, "options": [:]],
                 "name": "Greet", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0]],
                ["parameters": [:], "name": "Done", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [400, 0]],
            ],
            "connections": [
                "Start": ["main": [[["node": "Greet", "type": "main", "index": 0]]]],
                "Greet": ["main": [[["node": "Done", "type": "main", "index": 0]]]],
            ],
            "settings": ["executionOrder": "v1"],
        ]
        return document.jsonString(indent: 2)
    }

    @Test("a run is recorded before it starts and node by node; retry and replay read it back")
    func recordRetryReplay() async throws {
        try await StoreFixtures.withRecordingRuntime("flowrun-rec") { runtime, store, file in
            let engine = { (_: String) in Engine(configuration: .init(observers: runtime.observers, services: runtime.services)) }
            let graph = try Runtime.loadGraph(file)
            let options = Engine.RunOptions(input: [Item(json: ["name": "Ada"])], executionID: "run1")
            let result = try await runtime.execute(graph, file: file, engine: engine(file), options: options)
            #expect(result.status == .success)

            let record = try #require(try await store.execution(id: "run1"))
            #expect(record.status == .success)
            #expect(record.workflowFile == file)
            #expect(record.workflowID == "rec1")
            #expect(record.ownerID == nil)
            #expect(record.lastNode == "Done")
            #expect(record.triggerInput == [["json": ["name": "Ada"]]])
            let runs = try await Runtime.runData(store, executionID: "run1")
            #expect(runs.keys.sorted() == ["Done", "Greet", "Start"])
            #expect(runs["Done"]?.first?.output?.first?.map { $0.json } == [["name": "Ada", "greeting": "hello"]])
            await #expect(throws: StoreError(.duplicate, "")) {
                _ = try await runtime.execute(graph, file: file, engine: engine(file), options: options)
            }

            let retried = try await runtime.retryExecution(id: "run1", makeEngine: engine)
            #expect(retried.status == .success)
            let retryRecord = try #require(try await store.execution(id: retried.executionID))
            #expect(retryRecord.retryOf == "run1")
            #expect(retryRecord.status == .success)

            let same = try await runtime.replayExecution(id: "run1", makeEngine: engine)
            #expect(same.matches)
            #expect(same.answered == ["Start"])
            #expect(same.compared == 2)

            try Self.workflow(value: "bye").write(toFile: file, atomically: true, encoding: .utf8)
            let changed = try await runtime.replayExecution(id: "run1", makeEngine: engine)
            #expect(changed.differences.map(\.node) == ["Done", "Greet"])
            #expect(changed.differences.allSatisfy { $0.kind == .output })
        }
    }
}
