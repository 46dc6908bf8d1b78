import FlowrunExpressions
import Testing

@testable import FlowrunCore

@Suite("Workflow diagnostic positions")
struct WorkflowPositionTests {
    @Test("diagnostics in JSON files carry the line and column of the member")
    func jsonPositions() throws {
        let text = """
            {
              "nodes": [
                {"name": "A", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0],
                 "parameters": {"deep": {"x": [1, {"y": "\\u00e9\\"]"}]}}},
                {"name": "A", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [0, 0]}
              ],
              "connections": {
                "Ghost": {"main": [[{"node": "A", "type": "main", "index": 0}]]}
              }
            }
            """
        let report = WorkflowValidator().validate(text: text, format: .json, fileName: "p.json")
        let duplicate = try #require(report.diagnostics.first { $0.code == .duplicateNodeName })
        #expect(duplicate.line == 5 && duplicate.column == 6)
        let ghost = try #require(report.diagnostics.first { $0.code == .unknownConnectionSource })
        #expect(ghost.line == 8 && ghost.column == 5)
    }
}

@Suite("Workflow check context")
struct WorkflowCheckContextTests {
    @Test("deep parameter paths are located, and unknown ones fall back to the nearest ancestor")
    func deepPaths() throws {
        let yaml = """
            nodes:
              - name: A
                type: n8n-nodes-base.if
                parameters:
                  conditions:
                    conditions:
                      - leftValue: "={{ $json.a }}"
                        rightValue: 1
            connections: {}

            """
        let result = WorkflowLoader().load(text: yaml, format: .yaml, fileName: "d.yaml")
        let context = WorkflowCheckContext(file: "d.yaml", format: .yaml, marks: result.marks)
        let leaf = try #require(context.location(of: "nodes[0].parameters.conditions.conditions[0].leftValue"))
        #expect(leaf.line == 7 && leaf.column == 13)
        let fallback = try #require(context.location(of: "nodes[0].parameters.conditions.missing.x"))
        #expect(fallback.line == 5)
        let json = WorkflowLoader().load(text: result.document!.jsonText(), format: .json, fileName: "d.json")
        let jsonContext = WorkflowCheckContext(file: "d.json", format: .json, marks: json.marks)
        #expect(jsonContext.location(of: "nodes[0].parameters.conditions.conditions[0].rightValue") != nil)
    }
}
