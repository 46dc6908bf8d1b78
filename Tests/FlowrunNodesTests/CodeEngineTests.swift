import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// Code nodes inside real executions: the engine's run data behind `$('X')`, paired items and `$prevNode`.
@Suite("Code nodes in the engine")
struct CodeEngineTests {
    static func workflow(_ nodes: [(name: String, mode: String, code: String)]) -> String {
        let nodeJSON = nodes.enumerated().map { index, node in
            let code = JSONValue.string(node.code).jsonString()
            return """
                {"name": "\(node.name)", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [\(index * 200), 0],
                 "parameters": {"mode": "\(node.mode)", "jsCode": \(code)}}
                """
        }.joined(separator: ",")
        let connections = zip(nodes, nodes.dropFirst()).map { from, to in
            "\"\(from.name)\": {\"main\": [[{\"node\": \"\(to.name)\", \"type\": \"main\", \"index\": 0}]]}"
        }.joined(separator: ",")
        return "{\"name\": \"t\", \"nodes\": [\(nodeJSON)], \"connections\": {\(connections)}, \"settings\": {\"executionOrder\": \"v1\"}}"
    }

    static func run(_ text: String) async throws -> ExecutionResult {
        let document = try #require(WorkflowLoader(configuration: .init()).load(text: text, format: .json, fileName: "t.json").document)
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: NodeRegistry([CodeNode.self]))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return await Engine().run(graph, options: .init(mode: .manual, startNode: "Data", executionID: "e1"))
    }

    @Test("$('X').item, .first(), .all() and $prevNode across three Code nodes")
    func lookups() async throws {
        let result = try await Self.run(Self.workflow([
            ("Data", "runOnceForAllItems", "return [{v: 1}, {v: 2}, {v: 3}]"),
            ("Double", "runOnceForEachItem", "return {d: $json.v * 2}"),
            ("Lookup", "runOnceForEachItem",
             "return {d: $json.d, v: $('Data').item.json.v, first: $('Data').first().json.v, count: $('Data').all().length, prev: $prevNode.name, exec: $execution.id}"),
        ]))
        #expect(result.status == .success, "\(String(describing: result.error))")
        let output = result.runData["Lookup"]?.first?.output?.first?.map(\.json)
        #expect(output == [
            ["d": 2, "v": 1, "first": 1, "count": 3, "prev": "Double", "exec": "e1"],
            ["d": 4, "v": 2, "first": 1, "count": 3, "prev": "Double", "exec": "e1"],
            ["d": 6, "v": 3, "first": 1, "count": 3, "prev": "Double", "exec": "e1"],
        ])
    }

    @Test("without paired items $('X').item fails with n8n's message")
    func pairedItemErrors() async throws {
        let result = try await Self.run(Self.workflow([
            ("Data", "runOnceForAllItems", "return [{v: 1}, {v: 2}]"),
            ("Merge all", "runOnceForAllItems", "return [{total: $input.all().length}, {total: 0}, {total: 1}]"),
            ("Lookup", "runOnceForEachItem", "return {v: $('Data').item.json.v}"),
        ]))
        #expect(result.status == .error)
        #expect(result.error?.nodeError?.message == "Paired item data for item from node 'Merge all' is unavailable. Ensure 'Merge all' is providing the required output.")
    }

    @Test("console.log output lands in the node's run record, per run")
    func consoleInRecord() async throws {
        let result = try await Self.run(Self.workflow([
            ("Data", "runOnceForAllItems", "console.log('made', 2, {a: 1}); return [{v: 1}, {v: 2}]"),
            ("Each", "runOnceForEachItem", "console.log('item', $json.v); return $json"),
        ]))
        #expect(result.status == .success, "\(String(describing: result.error))")
        // Each argument formatted as n8n's runner does (strings quoted, objects as JSON).
        #expect(result.runData["Data"]?.first?.console == ["'made' 2 {\"a\":1}"])
        #expect(result.runData["Each"]?.first?.console == ["'item' 1", "'item' 2"])
    }
}
