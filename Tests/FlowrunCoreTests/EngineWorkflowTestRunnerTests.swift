import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Testing

@Suite("Workflow tests (n8n's pinned-data convention)")
struct EngineWorkflowTestRunnerTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    func write(_ json: JSONValue) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-wt-\(UUID().uuidString).json").path
        try json.jsonString().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func workflow(pinned: JSONValue, extra: JSONObject = [:]) -> JSONValue {
        var w: JSONObject = [
            "nodes": [
                ["name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Out", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0], "parameters": [:]],
            ],
            "connections": ["Start": ["main": [[["node": "Out", "type": "main", "index": 0]]]]],
            "pinData": ["Out": pinned],
        ]
        for (k, v) in extra { w[k] = v }
        return .object(w)
    }

    @Test("every example workflow passes its own test")
    func examplesPass() async throws {
        let runner = WorkflowTestRunner(registry: .builtIn)
        // Examples that carry pinned data are their own tests; the others (HTTP, Postgres, Redis,
        // webhook examples) need live services and are run by the integration and server suites.
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".yaml") }.sorted()
            .filter { file in
                let text = (try? String(contentsOf: Self.examples.appendingPathComponent(file), encoding: .utf8)) ?? ""
                let needsService = ["n8n-nodes-base.redis", "n8n-nodes-base.postgres", "n8n-nodes-base.webhook"].contains { text.contains($0) }
                return text.contains("pinData") && !needsService
            }
        #expect(files.count >= 6)
        for file in files {
            var engine = Engine()
            engine.configuration.subworkflows = FileSubworkflowRunner(
                registry: .builtIn, baseDirectory: (Self.examples.appendingPathComponent(file).path as NSString).deletingLastPathComponent)
            var fileRunner = runner
            fileRunner.engine = engine
            let outcome = await fileRunner.run(file: Self.examples.appendingPathComponent(file).path)
            #expect(outcome.verdict == .passed, "\(file): \(outcome.failures.map(\.description))")
        }
    }

    @Test("pinned nodes really run; a differing output fails with the path of the difference; key order is ignored")
    func comparison() async throws {
        let runner = WorkflowTestRunner(registry: .builtIn)
        let trigger: JSONObject = ["trigger": ["mode": "webhook", "input": ["json": ["a": 1, "b": 2]]]]
        // Outside manual mode a trigger passes its start item through.
        let pass = await runner.run(file: try write(workflow(pinned: [["json": ["b": 2, "a": 1]]], extra: trigger)))
        #expect(pass.verdict == .passed, "\(pass.failures)")
        let fail = await runner.run(file: try write(workflow(pinned: [["json": ["a": 1, "b": 3]]], extra: trigger)))
        #expect(fail.verdict == .failed)
        #expect(fail.failures.first?.message.contains("[0][0].json.b") == true)
        let ok = await runner.run(file: try write(workflow(pinned: [["json": [:]]])))
        #expect(ok.verdict == .passed)
    }

    @Test("a pinned node that never runs fails as n8n's harness does; files without pinData fail; other JSON is skipped")
    func missingData() async throws {
        var w = workflow(pinned: [["json": [:]]]).objectValue!
        w["pinData"] = ["Ghost": [["json": [:]]]]
        let runner = WorkflowTestRunner(registry: .builtIn)
        let missing = await runner.run(file: try write(.object(w)))
        #expect(missing.failures.first?.message == "Data for node \"Ghost\" is missing!")
        w.removeValue(forKey: "pinData")
        let noPin = await runner.run(file: try write(.object(w)))
        #expect(noPin.failures.first?.message == "Workflow data does not contain pinData")
        let notWorkflow = await runner.run(file: try write([1, 2, 3]))
        #expect(notWorkflow.verdict == .notATest)
    }

    @Test("Jest toEqual: arrays ordered, keys unordered, 1 equals 1.0, null is not missing")
    func equality() {
        #expect(TestComparison.firstDifference(expected: ["a": 1, "b": [1, 2]], actual: ["b": [1, 2], "a": 1.0]) == nil)
        #expect(TestComparison.firstDifference(expected: ["b": [1, 2]], actual: ["b": [2, 1]]) == ".b[0]")
        #expect(TestComparison.firstDifference(expected: ["a": .null], actual: [:]) == ".a (missing)")
        #expect(TestComparison.firstDifference(expected: ["a": "1"], actual: ["a": 1]) == ".a")
    }
}
