import FlowrunCore
import FlowrunExpressions
import Testing

@Suite("Typed graph: resolution and diagnostics")
struct GraphBuildTests {
    func build(_ nodes: [JSONValue], _ edges: [(String, Int, String, Int)] = []) -> (WorkflowGraph, [Diagnostic]) {
        var connections = JSONObject()
        for (from, output, to, input) in edges {
            var main = connections[from]?["main"]?.arrayValue ?? []
            while main.count <= output { main.append([]) }
            var list = main[output].arrayValue ?? []
            list.append(["node": .string(to), "type": "main", "index": .number(Double(input))])
            main[output] = .array(list)
            connections[from] = ["main": .array(main)]
        }
        let text = JSONValue.object(["nodes": .array(nodes), "connections": .object(connections)]).jsonString()
        let document = WorkflowLoader().load(text: text, format: .json, fileName: "t.json").document!
        return WorkflowGraph.build(document, registry: EngineFixture.registry, file: "t.json")
    }

    @Test("unknown types and versions are reported and the rest of the file is still checked")
    func unsupported() {
        let (graph, diagnostics) = build([
            ["name": "A", "type": "x.unknown", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
            ["name": "B", "type": "test.pass", "typeVersion": 7, "parameters": [:], "position": [0, 0]],
            ["name": "C", "type": "test.loop", "typeVersion": 1, "parameters": ["times": "many"], "position": [0, 0]],
        ])
        #expect(diagnostics.map(\.code) == [.unsupportedNodeType, .unsupportedTypeVersion, .invalidParameter])
        #expect(diagnostics[0].message.contains("x.unknown"))
        #expect(diagnostics[2].node == "C")
        #expect(diagnostics[2].parameter == "times")
        #expect(graph.node("C")?.implementation != nil)
    }

    @Test("output and input indexes are checked against the node types")
    func indexes() {
        let (_, diagnostics) = build([
            ["name": "A", "type": "test.branch", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
            ["name": "B", "type": "test.pass", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
        ], [("A", 1, "B", 0), ("A", 2, "B", 0), ("B", 0, "A", 1)])
        #expect(diagnostics.map(\.code) == [.invalidOutputIndex, .invalidInputIndex])
    }

    @Test("an error output adds one output to the node")
    func errorOutput() {
        let (graph, diagnostics) = build([
            ["name": "A", "type": "test.pass", "typeVersion": 1, "parameters": [:], "position": [0, 0], "onError": "continueErrorOutput"],
            ["name": "B", "type": "test.pass", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
        ], [("A", 1, "B", 0)])
        #expect(diagnostics.isEmpty)
        #expect(graph.node("A")?.outputCount == 2)
    }

    @Test("connections are indexed by source and by destination as n8n does, cycles allowed")
    func connectionMaps() {
        let (graph, _) = build([
            ["name": "A", "type": "test.pass", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
            ["name": "M", "type": "test.append", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
        ], [("A", 0, "M", 1), ("M", 0, "A", 0)])
        #expect(graph.byDestination["M"]?.count == 2)
        #expect(graph.byDestination["M"]?[0].isEmpty == true)
        #expect(graph.parentNodes(of: "M").contains("A"))
        #expect(graph.childNodes(of: "A") == ["M"])
    }

    @Test("the start node follows n8n: a trigger first, disabled nodes never")
    func startNode() {
        let (graph, _) = build([
            ["name": "P", "type": "test.pass", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
            ["name": "T0", "type": "test.trigger", "typeVersion": 1, "parameters": [:], "position": [0, 0], "disabled": true],
            ["name": "T1", "type": "test.trigger", "typeVersion": 1, "parameters": [:], "position": [0, 0]],
        ])
        #expect(graph.defaultStartNode?.name == "T1")
    }
}
