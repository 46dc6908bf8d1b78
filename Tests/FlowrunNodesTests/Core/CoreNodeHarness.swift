import FlowrunCore
import FlowrunExpressions
import Synchronization

@testable import FlowrunNodes

/// A clock whose sleeps return at once and are recorded (Wait tests).
final class InstantClock: Clock, Sendable {
    private let sleeps = Mutex<[Duration]>([])
    private let base = ContinuousClock()
    var now: ContinuousClock.Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {
        let d = deadline - base.now
        sleeps.withLock { $0.append(d) }
    }
    var recorded: [Duration] { sleeps.withLock { $0 } }
}

/// Runs one built-in node inside a small workflow: Manual Trigger → Test Data (input 0)
/// [→ Test Data 2 (input 1)] → the node.
struct CoreRun {
    var result: ExecutionResult

    /// The json of each output of the node's last run; nil when it did not run.
    var outputs: [[JSONObject]]? {
        guard let record = result.runData["Node"]?.last, let out = record.output else { return nil }
        return out.map { $0.map(\.json) }
    }

    /// Output 0's json.
    var items: [JSONObject] { outputs?.first ?? [] }

    /// The items of every run of the node, output `index`.
    func runs(output index: Int = 0) -> [[JSONObject]] {
        (result.runData["Node"] ?? []).map { record in
            guard let out = record.output, index < out.count else { return [] }
            return out[index].map(\.json)
        }
    }

    /// The node's error message, if the run failed.
    var error: String? { result.runData["Node"]?.last?.error?.message ?? result.error?.message }

    /// The node's error.
    var nodeError: NodeError? { result.runData["Node"]?.last?.error }

    static func node(_ name: String, _ type: String, _ version: Double, _ x: Double, _ parameters: JSONObject, _ extra: JSONObject = [:]) -> JSONValue {
        var o: JSONObject = ["name": .string(name), "type": .string(type), "typeVersion": .number(version),
                             "position": [.number(x), 0], "parameters": .object(parameters)]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    static func run(
        _ type: String, _ version: Double, _ parameters: JSONObject = [:], items: [JSONObject] = [[:]],
        second: [JSONObject]? = nil, extra: JSONObject = [:], timeZone: String? = nil, clock: InstantClock = InstantClock(),
        full: String = "n8n-nodes-base."
    ) async -> CoreRun {
        var nodes: [JSONValue] = [
            node("Trigger", "n8n-nodes-base.manualTrigger", 1, 0, [:]),
            node("Data", "n8n-nodes-testing.testData", 1, 200, ["data": .array(items.map(JSONValue.object))]),
            node("Node", full + type, version, 600, parameters, extra),
        ]
        var connections: JSONObject = [
            "Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
            "Data": ["main": [[["node": "Node", "type": "main", "index": 0]]]],
        ]
        if let second {
            nodes.append(node("Data2", "n8n-nodes-testing.testData", 1, 400, ["data": .array(second.map(JSONValue.object))]))
            connections["Trigger"] = ["main": [[["node": "Data", "type": "main", "index": 0], ["node": "Data2", "type": "main", "index": 0]]]]
            connections["Data2"] = ["main": [[["node": "Node", "type": "main", "index": 1]]]]
        }
        var settings: JSONObject = ["executionOrder": "v1"]
        if let timeZone { settings["timezone"] = .string(timeZone) }
        let workflow: JSONValue = ["name": "test", "nodes": .array(nodes), "connections": .object(connections), "settings": .object(settings)]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "test.json")
        let graph = WorkflowGraph.build(loaded.document!, registry: .builtIn).graph
        let engine = Engine(configuration: .init(clock: clock))
        return CoreRun(result: await engine.run(graph))
    }
}
