import FlowrunCore
import FlowrunExpressions
import Synchronization

/// Small node types for engine tests (the real nodes live in FlowrunNodes).
struct PassNode: Node {
    static let description = NodeDescription(type: "test.pass", typeVersions: [1], displayName: "Pass")
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] { [input.main] }
}

struct TriggerNode: Node {
    static let description = NodeDescription(type: "test.trigger", typeVersions: [1], displayName: "Trigger", isTrigger: true)
    init(configuration: NodeConfiguration) throws {}
    /// Passes the start items through, as Execute Workflow Trigger does.
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] { [input.main] }
}

/// Output 0 for items whose `ok` is true, output 1 for the others.
struct BranchNode: Node {
    static let description = NodeDescription(type: "test.branch", typeVersions: [1], displayName: "Branch", outputs: 2, outputNames: ["true", "false"])
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.main.filter { $0.json["ok"] == .bool(true) }, input.main.filter { $0.json["ok"] != .bool(true) }]
    }
}

/// Fails for items without `ok: true`; per-item error items when continuing on failure.
struct FailNode: Node {
    static let description = NodeDescription(type: "test.fail", typeVersions: [1], displayName: "Fail")
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var out: [Item] = []
        for (i, item) in input.main.enumerated() {
            if item.json["ok"] == .bool(true) {
                out.append(item)
            } else if context.continueOnFail {
                out.append(Item(json: ["error": "boom"], pairedItem: [PairedItem(item: i)]))
            } else {
                throw context.error("boom", itemIndex: i)
            }
        }
        return [out]
    }
}

/// Two inputs, appended; `required` parameter: "all" requires both in v1.
struct AppendNode: Node {
    static let description = NodeDescription(type: "test.append", typeVersions: [1], displayName: "Append", inputs: 2)
    let requiresBoth: Bool
    init(configuration: NodeConfiguration) throws {
        requiresBoth = configuration.parameters["required"].string(default: "one").constantValue == "all"
    }
    var requiredInputs: RequiredInputs { requiresBoth ? .inputs([0, 1]) : .count(1) }
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.items(0) + input.items(1)]
    }
}

/// Sets `value` (an expression or constant) on every item as `out`.
struct SetValueNode: Node {
    static let description = NodeDescription(type: "test.set", typeVersions: [1], displayName: "Set value")
    let value: Param<JSONValue?>
    init(configuration: NodeConfiguration) throws {
        value = configuration.parameters["value"].json()
    }
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [try input.main.enumerated().map { i, item in
            var o = item
            o.json["out"] = try value.value(for: i, in: context) ?? .null
            return o
        }]
    }
}

/// Outputs nothing.
struct EmptyNode: Node {
    static let description = NodeDescription(type: "test.empty", typeVersions: [1], displayName: "Empty")
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] { [[]] }
}

/// A loop: output 1 ("loop") while the node ran fewer than `times` times, then output 0 ("done").
struct LoopNode: Node {
    static let description = NodeDescription(type: "test.loop", typeVersions: [1], displayName: "Loop", outputs: 2, outputNames: ["done", "loop"])
    let times: Int
    init(configuration: NodeConfiguration) throws {
        times = configuration.parameters["times"].int(default: 3).constantValue ?? 3
    }
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main.map { item in
            var o = item
            o.json["run"] = .number(Double(context.runIndex))
            return o
        }
        return context.runIndex + 1 < times ? [[], items] : [items, []]
    }
}

/// Fails until its third attempt (attempts counted in the node context).
struct FlakyNode: Node {
    static let description = NodeDescription(type: "test.flaky", typeVersions: [1], displayName: "Flaky")
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let attempt = (context.state["attempts"]?.numberValue ?? 0) + 1
        context.state["attempts"] = .number(attempt)
        if attempt < 3 { throw context.error("attempt \(Int(attempt)) failed") }
        return [input.main.map { var o = $0; o.json["attempts"] = .number(attempt); return o }]
    }
}

/// Waits 60 s on the engine's clock (for cancellation tests).
struct SlowNode: Node {
    static let description = NodeDescription(type: "test.slow", typeVersions: [1], displayName: "Slow")
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        try await context.sleep(for: .seconds(60))
        return [input.main]
    }
}

/// Would reach the outside world: always throws when it really runs.
struct OutsideNode: Node {
    static let description = NodeDescription(type: "test.outside", typeVersions: [1], displayName: "Outside", hasSideEffects: true)
    init(configuration: NodeConfiguration) throws {}
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        throw context.error("the outside world was reached")
    }
}

/// A clock whose sleeps return at once and are recorded.
final class RecordingClock: Clock, @unchecked Sendable {
    // Mutex-protected: sleeps may be recorded from any task.
    private let sleeps = Mutex<[Duration]>([])
    private let base = ContinuousClock()
    var now: ContinuousClock.Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }
    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {
        let d = deadline - base.now
        sleeps.withLock { $0.append(d) }
        try Task.checkCancellation()
    }
    var recorded: [Duration] { sleeps.withLock { $0 } }
}

enum EngineFixture {
    static let registry = NodeRegistry([
        PassNode.self, TriggerNode.self, BranchNode.self, FailNode.self, AppendNode.self, SetValueNode.self,
        EmptyNode.self, LoopNode.self, FlakyNode.self, SlowNode.self, OutsideNode.self,
    ])

    /// A node entry: name, type suffix (`pass` → `test.pass`), position, parameters, extra keys.
    static func node(_ name: String, _ type: String, _ x: Double = 0, _ y: Double = 0, _ parameters: JSONObject = [:], _ extra: JSONObject = [:]) -> JSONValue {
        var o: JSONObject = ["name": .string(name), "type": .string("test.\(type)"), "typeVersion": 1,
                             "position": [.number(x), .number(y)], "parameters": .object(parameters)]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    /// A workflow from nodes and edges (`from`, output, `to`, input).
    static func workflow(_ nodes: [JSONValue], _ edges: [(String, Int, String, Int)], order: String? = "v1", pinData: JSONObject? = nil) -> WorkflowGraph {
        var connections = JSONObject()
        for (from, output, to, input) in edges {
            var main = connections[from]?["main"]?.arrayValue ?? []
            while main.count <= output { main.append([]) }
            var list = main[output].arrayValue ?? []
            list.append(["node": .string(to), "type": "main", "index": .number(Double(input))])
            main[output] = .array(list)
            connections[from] = ["main": .array(main)]
        }
        var w: JSONObject = ["name": "test", "nodes": .array(nodes), "connections": .object(connections)]
        if let order { w["settings"] = ["executionOrder": .string(order)] }
        if let pinData { w["pinData"] = .object(pinData) }
        let loaded = WorkflowLoader().load(text: JSONValue.object(w).jsonString(), format: .json, fileName: "test.json")
        return WorkflowGraph.build(loaded.document!, registry: registry).graph
    }

    static func run(_ graph: WorkflowGraph, _ options: Engine.RunOptions = .init(), clock: RecordingClock = RecordingClock()) async -> ExecutionResult {
        await Engine(configuration: .init(clock: clock)).run(graph, options: options)
    }
}

extension ExecutionResult {
    /// Output `output` items' json of the last run of `node`.
    func json(_ node: String, output: Int = 0, run: Int? = nil) -> [JSONObject]? {
        guard let runs = runData[node], !runs.isEmpty else { return nil }
        let record = runs[run ?? runs.count - 1]
        guard let out = record.output, output < out.count else { return nil }
        return out[output].map(\.json)
    }
}
