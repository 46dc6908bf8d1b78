import FlowrunCore
import FlowrunExpressions
import FlowrunNodes

/// A 10-node workflow of core nodes with expressions over 10,000 items, beside a hand-written
/// Swift function doing the same transformation on the same JSON values.
struct EngineSuite {
    let quick: Bool

    /// Trigger → Set (expressions) → If → Set high / Set low → Merge (append) → Filter → Sort →
    /// Limit → Aggregate.
    static let workflow = #"""
        {
          "name": "bench-engine",
          "settings": {"executionOrder": "v1"},
          "nodes": [
            {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
            {"name": "Score", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0], "parameters": {
              "assignments": {"assignments": [
                {"id": "a1", "name": "score2", "value": "={{ $json.score * 2 }}", "type": "number"},
                {"id": "a2", "name": "label", "value": "={{ $json.name.toUpperCase() }}", "type": "string"}
              ]}, "includeOtherFields": true, "options": {}}},
            {"name": "High?", "type": "n8n-nodes-base.if", "typeVersion": 2.2, "position": [400, 0], "parameters": {
              "conditions": {"options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict", "version": 2},
                "conditions": [{"id": "c1", "leftValue": "={{ $json.score }}", "rightValue": 50, "operator": {"type": "number", "operation": "gt"}}],
                "combinator": "and"}, "options": {}}},
            {"name": "Tag high", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [600, -100], "parameters": {
              "assignments": {"assignments": [{"id": "t1", "name": "tag", "value": "high", "type": "string"}]},
              "includeOtherFields": true, "options": {}}},
            {"name": "Tag low", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [600, 100], "parameters": {
              "assignments": {"assignments": [{"id": "t2", "name": "tag", "value": "low", "type": "string"}]},
              "includeOtherFields": true, "options": {}}},
            {"name": "Merge", "type": "n8n-nodes-base.merge", "typeVersion": 3, "position": [800, 0], "parameters": {}},
            {"name": "Active", "type": "n8n-nodes-base.filter", "typeVersion": 2.2, "position": [1000, 0], "parameters": {
              "conditions": {"options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict", "version": 2},
                "conditions": [{"id": "f1", "leftValue": "={{ $json.active }}", "rightValue": "", "operator": {"type": "boolean", "operation": "true", "singleValue": true}}],
                "combinator": "and"}, "options": {}}},
            {"name": "Sort", "type": "n8n-nodes-base.sort", "typeVersion": 1, "position": [1200, 0], "parameters": {
              "sortFieldsUi": {"sortField": [{"fieldName": "score", "order": "descending"}]}}},
            {"name": "Limit", "type": "n8n-nodes-base.limit", "typeVersion": 1, "position": [1400, 0], "parameters": {"maxItems": 3000}},
            {"name": "Collect", "type": "n8n-nodes-base.aggregate", "typeVersion": 1, "position": [1600, 0], "parameters": {
              "fieldsToAggregate": {"fieldToAggregate": [{"fieldToAggregate": "id"}]}, "options": {}}}
          ],
          "connections": {
            "Start": {"main": [[{"node": "Score", "type": "main", "index": 0}]]},
            "Score": {"main": [[{"node": "High?", "type": "main", "index": 0}]]},
            "High?": {"main": [[{"node": "Tag high", "type": "main", "index": 0}], [{"node": "Tag low", "type": "main", "index": 0}]]},
            "Tag high": {"main": [[{"node": "Merge", "type": "main", "index": 0}]]},
            "Tag low": {"main": [[{"node": "Merge", "type": "main", "index": 1}]]},
            "Merge": {"main": [[{"node": "Active", "type": "main", "index": 0}]]},
            "Active": {"main": [[{"node": "Sort", "type": "main", "index": 0}]]},
            "Sort": {"main": [[{"node": "Limit", "type": "main", "index": 0}]]},
            "Limit": {"main": [[{"node": "Collect", "type": "main", "index": 0}]]}
          }
        }
        """#

    static func input(count: Int) -> [Item] {
        (0..<count).map { i in
            var json = JSONObject()
            json["id"] = .number(Double(i))
            json["name"] = .string("user\(i)")
            json["score"] = .number(Double((i &* 7919) % 100))
            json["active"] = .bool(i % 3 != 0)
            return Item(json: json)
        }
    }

    /// The same transformation written by hand.
    static func handwritten(_ items: [JSONObject]) -> JSONValue {
        var high: [JSONObject] = []
        var low: [JSONObject] = []
        for var json in items {
            let score = json["score"]?.numberValue ?? 0
            json["score2"] = .number(score * 2)
            json["label"] = .string((json["name"]?.stringValue ?? "").uppercased())
            if score > 50 {
                json["tag"] = "high"
                high.append(json)
            } else {
                json["tag"] = "low"
                low.append(json)
            }
        }
        var merged = (high + low).filter { $0["active"] == .bool(true) }
        // Stable sort, descending, as lodash's sortBy then reverse-free comparison in n8n.
        merged = merged.enumerated().sorted { a, b in
            let x = a.element["score"]?.numberValue ?? 0
            let y = b.element["score"]?.numberValue ?? 0
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        let limited = merged.prefix(3000)
        return ["id": .array(limited.map { $0["id"] ?? .null })]
    }

    func run(into report: inout Report) async throws {
        let count = quick ? 2_000 : 10_000
        let loaded = WorkflowLoader().load(text: Self.workflow, format: .json, fileName: "bench-engine.json")
        guard let document = loaded.document, !loaded.hasErrors else {
            throw BenchError("bench workflow does not load: \(loaded.diagnostics)")
        }
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: NodeRegistry.builtIn, file: "bench-engine.json")
        if let problem = diagnostics.first(where: { $0.severity == .error }) {
            throw BenchError("bench workflow is invalid: \(problem)")
        }
        let input = Self.input(count: count)
        let engine = Engine()
        let options = Engine.RunOptions(mode: .manual, input: input)

        let result = await engine.run(graph, options: options)
        let expected = Self.handwritten(input.map(\.json))
        guard result.status == ExecutionStatus.success, result.lastNodeOutput.first?.first?.json == expected.objectValue else {
            throw BenchError("engine result differs from the hand-written one (status \(result.status), error \(result.error.map { "\($0)" } ?? "none"))")
        }

        let samples = quick ? 3 : 5
        let flowrun = await Measure.seconds(samples: samples) { _ = await engine.run(graph, options: options) }
        let jsons = input.map(\.json)
        var sink = 0
        let baseline = await Measure.seconds(samples: samples) {
            if case .object(let o) = Self.handwritten(jsons) { sink &+= o.count }
        }
        if sink == -1 { print("") }
        report.add("engine", "engine_items_per_s", Double(count) / flowrun, unit: "items/s", note: "10 core nodes, \(count) items")
        report.add("engine", "handwritten_items_per_s", Double(count) / baseline, unit: "items/s", note: "same transformation by hand")
        report.add("engine", "engine_ratio", flowrun / baseline, unit: "×", note: "flowrun time / hand-written time")
    }
}
