import FlowrunCore
import FlowrunExpressions
import Testing

@Suite("Node parameters: typed reading, defaults, expressions, diagnostics")
struct NodeParameterTests {
    func configuration(_ parameters: JSONObject) -> NodeConfiguration {
        NodeConfiguration(nodeName: "N", type: "test.set", typeVersion: 1, parameters: parameters)
    }

    @Test("missing keys take the default; literals convert as JavaScript does")
    func literals() {
        let c = configuration(["s": 12, "n": "3.5", "b": "true", "i": 7.9, "options": ["flag": false]])
        let p = c.parameters
        #expect(p["s"].string().constantValue == "12")
        #expect(p["n"].number().constantValue == 3.5)
        #expect(p["b"].bool().constantValue == true)
        #expect(p["i"].int().constantValue == 7)
        #expect(p["options"]["flag"].bool(default: true).constantValue == false)
        #expect(p["options"]["missing"].bool(default: true).constantValue == true)
        #expect(p["absent"]["deeper"].string(default: "d").constantValue == "d")
        #expect(c.issues.issues.isEmpty)
    }

    @Test("wrong shapes are reported with their parameter path and the default is used")
    func wrongShapes() {
        let c = configuration(["n": "many", "rules": ["values": 3], "options": ["flag": ["x": 1]], "mode": "weird"])
        let p = c.parameters
        #expect(p["n"].number(default: 1).constantValue == 1)
        #expect(p["rules"]["values"].elements().isEmpty)
        #expect(p["options"]["flag"].bool().constantValue == false)
        #expect(p["mode"].choice(["a", "b"], default: "a").constantValue == "weird")
        #expect(c.issues.issues.map(\.path) == ["n", "rules.values", "options.flag", "mode"])
    }

    @Test("fixedCollection lists are read element by element with indexed paths")
    func elements() {
        let c = configuration(["rules": ["values": [["key": "a"], ["key": 5]]]])
        let values = c.parameters["rules"]["values"].elements()
        #expect(values.map(\.path) == ["rules.values[0]", "rules.values[1]"])
        #expect(values.map { $0["key"].string().constantValue } == ["a", "5"])
    }

    @Test("strings starting with = are expressions evaluated per item through the context")
    func expressions() async throws {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"),
            EngineFixture.node("Set", "set", 0, 0, ["value": "={{ $json.n * 10 }}"]),
        ], [("Start", 0, "Set", 0)])
        let setNode = try #require(graph.node("Set")?.implementation as? SetValueNode)
        #expect(setNode.value.isExpression)
        let result = await EngineFixture.run(graph, .init(input: [Item(json: ["n": 1]), Item(json: ["n": 2])]))
        #expect(result.json("Set")?.map { $0["out"] } == [10, 20])
    }

    @Test("an expression that fails names the node, parameter and item")
    func expressionErrors() async {
        let graph = EngineFixture.workflow([
            EngineFixture.node("Start", "trigger"),
            EngineFixture.node("Set", "set", 0, 0, ["value": "={{ $('Nowhere').item.json.x }}"]),
        ], [("Start", 0, "Set", 0)])
        let result = await EngineFixture.run(graph)
        #expect(result.status == .error)
        #expect(result.error?.nodeError?.node == "Set")
        #expect(result.error?.nodeError?.parameter == "value")
        #expect(result.error?.nodeError?.itemIndex == 0)
    }

    @Test("the typed graph reports expression syntax errors with a column, and unknown node references")
    func loadTimeExpressionDiagnostics() {
        let nodes: [JSONValue] = [
            EngineFixture.node("Start", "trigger"),
            EngineFixture.node("A", "set", 0, 0, ["value": "={{ $json.a + }}"]),
            EngineFixture.node("B", "set", 0, 0, ["value": ["deep": ["={{ $('Ghost').item.json.x }} {{ $('Ghost').first() }}"]]]),
        ]
        let text = JSONValue.object(["nodes": .array(nodes), "connections": [:]]).jsonString()
        let document = WorkflowLoader().load(text: text, format: .json, fileName: "t.json").document!
        let diagnostics = WorkflowGraph.build(document, registry: EngineFixture.registry).diagnostics
        #expect(diagnostics.map(\.code) == [.expressionSyntax, .unknownNodeReference])
        #expect(diagnostics[0].node == "A" && diagnostics[0].parameter == "value" && diagnostics[0].column != nil)
        #expect(diagnostics[1].parameter == "value.deep[0]")
        #expect(diagnostics[1].message.contains("Ghost"))
    }

    @Test("the registry resolves exact type versions and knows triggers and newest versions")
    func registry() {
        let registry = EngineFixture.registry
        if case .found(let t) = registry.resolve("test.pass", version: 1) { #expect(t.description.type == "test.pass") } else { Issue.record("not found") }
        if case .unsupportedVersion(let supported) = registry.resolve("test.pass", version: 2) { #expect(supported == [1]) } else { Issue.record("version accepted") }
        if case .unknownType = registry.resolve("nope", version: 1) {} else { Issue.record("unknown type resolved") }
        #expect(registry.isTrigger("test.trigger") == true)
        #expect(registry.isTrigger("test.pass") == false)
        #expect(registry.newestVersion(of: "test.pass") == 1)
    }
}
