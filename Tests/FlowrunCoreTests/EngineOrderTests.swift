import FlowrunCore
import FlowrunExpressions
import Testing

@Suite("Engine: execution order, waiting inputs, loops")
struct EngineOrderTests {
    /// Trigger → Branch; true → A (lower on canvas) → A2; false → B (higher) → B2.
    func branching(_ order: String?) -> WorkflowGraph {
        EngineFixture.workflow([
            EngineFixture.node("Start", "trigger", 0, 0),
            EngineFixture.node("Items", "set", 100, 0, ["value": "x"]),
            EngineFixture.node("Split", "pass", 200, 0),
            EngineFixture.node("A", "pass", 300, 200), EngineFixture.node("A2", "pass", 400, 200),
            EngineFixture.node("B", "pass", 300, -200), EngineFixture.node("B2", "pass", 400, -200),
        ], [("Start", 0, "Items", 0), ("Items", 0, "Split", 0), ("Split", 0, "A", 0), ("Split", 0, "B", 0),
            ("A", 0, "A2", 0), ("B", 0, "B2", 0)], order: order)
    }

    @Test("v1 runs depth-first, the top-most child's branch first")
    func v1DepthFirst() async {
        let result = await EngineFixture.run(branching("v1"))
        #expect(result.status == .success)
        #expect(result.executionOrder == ["Start", "Items", "Split", "B", "B2", "A", "A2"])
    }

    @Test("v0 (missing or other executionOrder) runs breadth-first in connection order")
    func v0BreadthFirst() async {
        for order in [nil, "v0", "legacy"] as [String?] {
            let result = await EngineFixture.run(branching(order))
            #expect(result.executionOrder == ["Start", "Items", "Split", "A", "B", "A2", "B2"], "order \(order ?? "absent")")
        }
    }

    @Test("only outputs with items schedule their children")
    func branchesWithoutItemsEnd() async {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"), EngineFixture.node("If", "branch"),
            EngineFixture.node("Yes", "pass"), EngineFixture.node("No", "pass"),
        ], [("Start", 0, "If", 0), ("If", 0, "Yes", 0), ("If", 1, "No", 0)])
        let result = await EngineFixture.run(graph, .init(input: [Item(json: ["ok": true])]))
        #expect(result.runData["Yes"]?.count == 1)
        #expect(result.runData["No"] == nil)
        #expect(result.lastNodeExecuted == "Yes")
    }

    /// Start → Split → (true) Left → Append input 0; (false) Right → Append input 1.
    func mergeGraph(_ order: String?, required: String = "one") -> WorkflowGraph {
        EngineFixture.workflow([
            EngineFixture.node("Start", "trigger", 0, 0), EngineFixture.node("Split", "branch", 100, 0),
            EngineFixture.node("Left", "pass", 200, -100), EngineFixture.node("Right", "pass", 200, 100),
            EngineFixture.node("Append", "append", 300, 0, ["required": .string(required)]),
        ], [("Start", 0, "Split", 0), ("Split", 0, "Left", 0), ("Split", 1, "Right", 0),
            ("Left", 0, "Append", 0), ("Right", 0, "Append", 1)], order: order)
    }

    @Test("a multi-input node waits for both inputs and runs once")
    func mergeWaitsForBoth() async {
        for order in ["v1", nil] as [String?] {
            let input = [Item(json: ["ok": true, "n": 1]), Item(json: ["ok": false, "n": 2])]
            let result = await EngineFixture.run(mergeGraph(order), .init(input: input))
            #expect(result.runData["Append"]?.count == 1)
            #expect(result.json("Append")?.compactMap { $0["n"] } == [1, 2])
        }
    }

    @Test("v1: an input that never fires: the merge runs last with what it has; choose-branch style never runs")
    func mergeInputNeverFires() async {
        let input = [Item(json: ["ok": true, "n": 1])]
        let result = await EngineFixture.run(mergeGraph("v1"), .init(input: input))
        #expect(result.executionOrder == ["Start", "Split", "Left", "Append"])
        #expect(result.json("Append")?.compactMap { $0["n"] } == [1])
        let required = await EngineFixture.run(mergeGraph("v1", required: "all"), .init(input: input))
        #expect(required.runData["Append"] == nil)
        #expect(required.status == .success)
    }

    @Test("v0: the dead branch into the merge is forced to run with an empty item, as n8n's legacy order does")
    func v0ForcesDeadBranch() async {
        let input = [Item(json: ["ok": true, "n": 1])]
        let result = await EngineFixture.run(mergeGraph(nil), .init(input: input))
        #expect(result.runData["Right"]?.count == 1)
        #expect(result.json("Append") == [["ok": true, "n": 1], [:]])
    }

    @Test("v0: a merge whose other parent never ran forces that branch to run with an empty item")
    func v0ForcesOtherParent() async {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"), EngineFixture.node("Data", "set", 0, 0, ["value": 1]),
            EngineFixture.node("Other", "set", 0, 0, ["value": 2]), EngineFixture.node("Append", "append"),
        ], [("Start", 0, "Data", 0), ("Data", 0, "Append", 0), ("Other", 0, "Append", 1)], order: nil)
        let result = await EngineFixture.run(graph)
        #expect(result.runData["Other"]?.count == 1)
        #expect(result.json("Append")?.compactMap { $0["out"] } == [1, 2])
        let v1 = await EngineFixture.run(EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"), EngineFixture.node("Data", "set", 0, 0, ["value": 1]),
            EngineFixture.node("Other", "set", 0, 0, ["value": 2]), EngineFixture.node("Append", "append"),
        ], [("Start", 0, "Data", 0), ("Data", 0, "Append", 0), ("Other", 0, "Append", 1)], order: "v1"))
        #expect(v1.runData["Other"] == nil)
        #expect(v1.json("Append")?.compactMap { $0["out"] } == [1])
    }

    @Test("a loop runs its body once per pass with increasing runIndex")
    func loopRunIndex() async {
        for order in ["v1", nil] as [String?] {
            let graph = EngineFixture.workflow([
                EngineFixture.node("Start", "trigger"), EngineFixture.node("Loop", "loop", 0, 0, ["times": 3]),
                EngineFixture.node("Body", "set", 0, 0, ["value": "x"]), EngineFixture.node("Done", "pass"),
            ], [("Start", 0, "Loop", 0), ("Loop", 1, "Body", 0), ("Body", 0, "Loop", 0), ("Loop", 0, "Done", 0)], order: order)
            let result = await EngineFixture.run(graph)
            #expect(result.runData["Loop"]?.count == 3)
            #expect(result.runData["Body"]?.count == 2)
            #expect(result.json("Done")?.first?["run"] == 2)
        }
    }

    @Test("a node reached from two parents runs once per arriving batch")
    func twoParentsTwoRuns() async {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"), EngineFixture.node("A", "pass"), EngineFixture.node("B", "pass"),
            EngineFixture.node("Join", "pass"),
        ], [("Start", 0, "A", 0), ("Start", 0, "B", 0), ("A", 0, "Join", 0), ("B", 0, "Join", 0)])
        let result = await EngineFixture.run(graph)
        #expect(result.runData["Join"]?.count == 2)
    }
}
