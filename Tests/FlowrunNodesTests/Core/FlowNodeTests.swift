import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("Flow nodes: triggers, NoOp, loops, Wait, Stop and Error, Date & Time")
struct FlowNodeTests {
    @Test("NoOp passes items, Test Data emits its data")
    func noOp() async {
        let run = await CoreRun.run("noOp", 1, [:], items: [["a": 1], ["a": 2]])
        #expect(run.items == [["a": 1], ["a": 2]])
    }

    @Test("Split In Batches v3 loops and emits processed items on done")
    func loopV3() async {
        let nodes: [JSONValue] = [
            CoreRun.node("Trigger", "n8n-nodes-base.manualTrigger", 1, 0, [:]),
            CoreRun.node("Data", "n8n-nodes-testing.testData", 1, 200, ["data": [["n": 1], ["n": 2], ["n": 3]]]),
            CoreRun.node("Loop", "n8n-nodes-base.splitInBatches", 3, 400, ["batchSize": 2]),
            CoreRun.node("Body", "n8n-nodes-base.set", 3.4, 600, ["assignments": ["assignments": [["name": "m", "type": "number", "value": "={{ $json.n * 10 }}"]]]]),
            CoreRun.node("Done", "n8n-nodes-base.noOp", 1, 800, [:]),
        ]
        let connections: JSONValue = [
            "Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
            "Data": ["main": [[["node": "Loop", "type": "main", "index": 0]]]],
            "Loop": ["main": [[["node": "Done", "type": "main", "index": 0]], [["node": "Body", "type": "main", "index": 0]]]],
            "Body": ["main": [[["node": "Loop", "type": "main", "index": 0]]]],
        ]
        let workflow: JSONValue = ["name": "loop", "nodes": .array(nodes), "connections": connections, "settings": ["executionOrder": "v1"]]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "loop.json")
        let graph = WorkflowGraph.build(loaded.document!, registry: .builtIn).graph
        let result = await Engine().run(graph)
        #expect(result.runData["Loop"]?.count == 3)
        #expect(result.runData["Done"]?.last?.output?.first?.map(\.json) == [["m": 10], ["m": 20], ["m": 30]])
    }

    @Test("Split In Batches v1/v2 hand out batches and keep the context")
    func loopLegacy() async {
        let v1 = await CoreRun.run("splitInBatches", 1, ["batchSize": 2], items: [["n": 1], ["n": 2], ["n": 3]])
        #expect(v1.items == [["n": 1], ["n": 2]])
        let v2 = await CoreRun.run("splitInBatches", 2, [:], items: [["n": 1]])
        #expect(v2.outputs?[0] == [["n": 1]])
        #expect(v2.outputs?[1].isEmpty == true)
    }

    @Test("Wait sleeps on the engine clock", arguments: [1.0, 1.1])
    func wait(version: Double) async {
        let clock = InstantClock()
        let run = await CoreRun.run("wait", version, ["amount": 2, "unit": "minutes"], items: [["a": 1]], clock: clock)
        #expect(run.items == [["a": 1]])
        #expect(clock.recorded.contains { $0 > .seconds(119) && $0 <= .seconds(120) })
        let defaults = InstantClock()
        _ = await CoreRun.run("wait", version, [:], items: [[:]], clock: defaults)
        let expected: Duration = version < 1.1 ? .seconds(3600) : .seconds(5)
        #expect(defaults.recorded.contains { $0 > expected - .seconds(1) && $0 <= expected })
    }

    @Test("Stop and Error fails with a message or an error object")
    func stopAndError() async {
        let message = await CoreRun.run("stopAndError", 1, ["errorMessage": "={{ 'bad ' + $json.n }}"], items: [["n": 1]])
        #expect(message.error == "bad 1")
        let object = await CoreRun.run("stopAndError", 1, ["errorType": "errorObject", "errorObject": "{\"code\": 7}"], items: [[:]])
        #expect(object.nodeError?.extra["code"] == 7)
        #expect(object.nodeError?.extra["name"] == "User-thrown error")
    }

    @Test("Date & Time v2: format, extract, add, between")
    func dateTimeV2() async {
        let format = await CoreRun.run("dateTime", 2, ["operation": "formatDate", "date": "={{ $json.d }}", "format": "yyyy/MM/dd"], items: [["d": 1_682_918_315]])
        #expect(format.items == [["formattedDate": "2023/05/01"]])
        let extract = await CoreRun.run("dateTime", 2, ["operation": "extractDate", "date": "2023-04-11T14:30:00", "part": "hour"], items: [[:]], timeZone: "America/New_York")
        #expect(extract.items == [["datePart": 14]])
        let add = await CoreRun.run("dateTime", 2, ["operation": "addToDate", "magnitude": "2024-01-31T00:00:00Z", "timeUnit": "months", "duration": 1], items: [[:]], timeZone: "UTC")
        #expect(add.items == [["newDate": "2024-02-29T00:00:00.000Z"]])
        let between = await CoreRun.run("dateTime", 2, ["operation": "getTimeBetweenDates", "startDate": "2024-01-01", "endDate": "2024-01-03"], items: [[:]], timeZone: "UTC")
        #expect(between.items == [["timeDifference": ["days": 2]]])
        let keep = await CoreRun.run("dateTime", 2, ["operation": "formatDate", "date": "={{ $json.d }}", "options": ["includeInputFields": true]], items: [["d": nil]])
        #expect(keep.items == [["d": nil, "formattedDate": nil]])
    }

    @Test("Date & Time v2 keeps the zone of a DateTime returned by an expression")
    func dateTimeObjects() async {
        let run = await CoreRun.run("dateTime", 2, [
            "operation": "formatDate", "date": "={{ DateTime.fromISO('2024-05-01T10:00:00+09:00', { setZone: true }) }}", "format": "HH:mm ZZ",
        ], items: [[:]], timeZone: "UTC")
        #expect(run.items == [["formattedDate": "10:00 +09:00"]])
        let text = await CoreRun.run("dateTime", 2, [
            "operation": "formatDate", "date": "={{ '2024-05-01T10:00:00+09:00' }}", "format": "HH:mm ZZ",
        ], items: [[:]], timeZone: "UTC")
        #expect(text.items == [["formattedDate": "01:00 +00:00"]])
    }

    @Test("Date & Time v1: moment formats and calculations")
    func dateTimeV1() async {
        let run = await CoreRun.run("dateTime", 1, ["value": "={{ $json.t }}", "toFormat": "YYYY-MM-DD", "options": ["toTimezone": "UTC"]], items: [["t": 1_680_244_261]])
        #expect(run.items == [["t": 1_680_244_261, "data": "2023-03-31"]])
        let unix = await CoreRun.run("dateTime", 1, ["value": "2023-03-31T06:31:01Z", "toFormat": "X", "dataPropertyName": "x"], items: [[:]])
        #expect(unix.items == [["x": "1680244261"]])
        let calc = await CoreRun.run("dateTime", 1, ["action": "calculate", "value": "2024-01-01T00:00:00Z", "duration": 2, "timeUnit": "days"], items: [[:]])
        #expect(calc.items == [["data": "2024-01-03T00:00:00.000Z"]])
    }

    @Test("Execute Workflow Trigger keeps declared inputs (v1.1) or passes through (v1)")
    func executeWorkflowTrigger() async {
        let node = try? ExecuteWorkflowTriggerNode(configuration: NodeConfiguration(
            nodeName: "T", type: "n8n-nodes-base.executeWorkflowTrigger", typeVersion: 1.1,
            parameters: ["workflowInputs": ["values": [["name": "a"], ["name": "b"]]]]))
        #expect(node?.fields == ["a", "b"])
        let v1 = try? ExecuteWorkflowTriggerNode(configuration: NodeConfiguration(
            nodeName: "T", type: "n8n-nodes-base.executeWorkflowTrigger", typeVersion: 1, parameters: [:]))
        #expect(v1?.fields == nil)
    }

    @Test("Execute Workflow runs a sub-workflow from a file", arguments: [1.0, 1.1, 1.2, 1.3])
    func executeWorkflow(version: Double) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-h5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sub: JSONValue = [
            "name": "sub", "nodes": [
                ["name": "Start", "type": "n8n-nodes-base.executeWorkflowTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Double", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
                 "parameters": ["assignments": ["assignments": [["name": "d", "type": "number", "value": "={{ $json.n * 2 }}"]]]]],
            ],
            "connections": ["Start": ["main": [[["node": "Double", "type": "main", "index": 0]]]]],
        ]
        let path = folder.appendingPathComponent("sub.json").path
        try sub.jsonString().write(toFile: path, atomically: true, encoding: .utf8)
        let nodes: [JSONValue] = [
            CoreRun.node("Trigger", "n8n-nodes-base.manualTrigger", 1, 0, [:]),
            CoreRun.node("Data", "n8n-nodes-testing.testData", 1, 200, ["data": [["n": 1], ["n": 4]]]),
            CoreRun.node("Node", "n8n-nodes-base.executeWorkflow", version, 400, ["source": "localFile", "workflowPath": .string(path), "mode": "each"]),
        ]
        let connections: JSONValue = [
            "Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
            "Data": ["main": [[["node": "Node", "type": "main", "index": 0]]]],
        ]
        let workflow: JSONValue = ["name": "main", "nodes": .array(nodes), "connections": connections, "settings": ["executionOrder": "v1"]]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: folder.appendingPathComponent("main.json").path)
        let graph = WorkflowGraph.build(loaded.document!, registry: .builtIn).graph
        let runner = FileSubworkflowRunner(registry: .builtIn, baseDirectory: folder.path)
        let result = await Engine(configuration: .init(subworkflows: runner)).run(graph)
        #expect(result.runData["Node"]?.last?.output?.first?.map(\.json) == [["d": 2], ["d": 8]])
    }

    @Test("Execute Workflow finds a sub-workflow by id in a folder given as a relative path")
    func executeWorkflowByIDRelativeFolder() async throws {
        // A folder given relative to the working directory, as in `flowrun serve workflows/`
        // (`.flowrun/` is git-ignored).
        let relative = ".flowrun/test-relative-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: relative, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: relative) }
        let sub: JSONValue = [
            "id": "sub-by-id", "name": "sub", "nodes": [
                ["name": "Start", "type": "n8n-nodes-base.executeWorkflowTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Mark", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
                 "parameters": ["assignments": ["assignments": [["name": "found", "type": "boolean", "value": true]]]]],
            ],
            "connections": ["Start": ["main": [[["node": "Mark", "type": "main", "index": 0]]]]],
        ]
        try sub.jsonString().write(toFile: relative + "/sub.json", atomically: true, encoding: .utf8)
        let workflow: JSONValue = [
            "name": "main", "settings": ["executionOrder": "v1"],
            "nodes": [
                CoreRun.node("Trigger", "n8n-nodes-base.manualTrigger", 1, 0, [:]),
                CoreRun.node("Call", "n8n-nodes-base.executeWorkflow", 1, 200, ["source": "database", "workflowId": "sub-by-id"]),
            ],
            "connections": ["Trigger": ["main": [[["node": "Call", "type": "main", "index": 0]]]]],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "main.json")
        let graph = WorkflowGraph.build(try #require(loaded.document), registry: .builtIn).graph
        let runner = FileSubworkflowRunner(registry: .builtIn, baseDirectory: relative)
        let result = await Engine(configuration: .init(subworkflows: runner)).run(graph)
        #expect(result.error == nil, "\(result.error.map { "\($0)" } ?? "")")
        #expect(result.runData["Call"]?.last?.output?.first?.map(\.json) == [["found": true]])
    }
}
