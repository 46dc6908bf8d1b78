import FlowrunCore
import FlowrunExpressions
import Testing

/// What the engine does with `NodeServices`: secrets scrubbed before recording, sub-node lookups.
@Suite("Engine services")
struct EngineServicesTests {
    /// Echoes a secret into its output, or fails with it in the message when `fail` is set.
    struct LeakyNode: Node {
        static let description = NodeDescription(type: "test.leaky", typeVersions: [1], displayName: "Leaky")
        let fail: Bool
        init(configuration: NodeConfiguration) throws {
            fail = configuration.parameters["fail"].bool(default: false).constantValue ?? false
        }
        func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
            if fail { throw context.error("login failed for token s3cr3t-token-value") }
            return [[Item(json: ["header": "Bearer s3cr3t-token-value", "nested": ["k": "x s3cr3t-token-value y"]])]]
        }
    }

    /// Lists the names of its `ai_languageModel` sub-nodes.
    struct ChainNode: Node {
        static let description = NodeDescription(type: "test.chain", typeVersions: [1], displayName: "Chain")
        init(configuration: NodeConfiguration) throws {}
        func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
            [[Item(json: ["models": .array(context.subNodes("ai_languageModel").map { .string($0.name) })])]]
        }
    }

    static let registry = NodeRegistry([TriggerNode.self, LeakyNode.self, ChainNode.self, PassNode.self])

    static func graph(_ text: String) throws -> WorkflowGraph {
        let document = try #require(WorkflowLoader(configuration: .init()).load(text: text, format: .json, fileName: "t.json").document)
        return WorkflowGraph.build(document, registry: registry).graph
    }

    @Test("outputs and errors are scrubbed of registered secrets before they are recorded")
    func redaction() async throws {
        let graph = try Self.graph("""
            {"nodes": [
              {"name": "T", "type": "test.trigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
              {"name": "Echo", "type": "test.leaky", "typeVersion": 1, "position": [200, 0], "parameters": {}},
              {"name": "Fail", "type": "test.leaky", "typeVersion": 1, "position": [400, 0], "parameters": {"fail": true}}],
             "connections": {"T": {"main": [[{"node": "Echo", "type": "main", "index": 0}]]},
                             "Echo": {"main": [[{"node": "Fail", "type": "main", "index": 0}]]}}}
            """)
        let services = NodeServices()
        services.redactor.register(secret: "s3cr3t-token-value")
        let result = await Engine(configuration: .init(services: services)).run(
            graph, options: .init(startNode: "T", input: [Item(json: ["body": "token s3cr3t-token-value"])]))
        let echoed = try #require(result.runData["Echo"]?.first?.output?.first?.first?.json)
        #expect(echoed["header"] == "Bearer [redacted]")
        #expect(echoed["nested"]?["k"] == "x [redacted] y")
        #expect(result.error?.nodeError?.message == "login failed for token [redacted]")
        #expect(result.runData["Fail"]?.first?.error?.message == "login failed for token [redacted]")
        #expect(result.runData["T"]?.first?.input.first??.first?.json["body"] == "token [redacted]", "the trigger's input is recorded too")
        #expect(!ExecutionState.json(result.runData).jsonString().contains("s3cr3t"))
    }

    @Test("a node finds the sub-nodes connected into it by connection kind")
    func subNodes() async throws {
        let graph = try Self.graph("""
            {"nodes": [
              {"name": "T", "type": "test.trigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
              {"name": "Chain", "type": "test.chain", "typeVersion": 1, "position": [200, 0], "parameters": {}},
              {"name": "Model", "type": "test.pass", "typeVersion": 1, "position": [200, 200], "parameters": {}}],
             "connections": {"T": {"main": [[{"node": "Chain", "type": "main", "index": 0}]]},
                             "Model": {"ai_languageModel": [[{"node": "Chain", "type": "ai_languageModel", "index": 0}]]}}}
            """)
        let result = await Engine().run(graph, options: .init(startNode: "T"))
        #expect(result.runData["Chain"]?.first?.output?.first?.first?.json["models"] == ["Model"])
        #expect(result.runData["Model"] == nil, "a sub-node never runs on its own")
    }
}
