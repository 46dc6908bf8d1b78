import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Testing

/// Runs every n8n workflow fixture under `<package root>/../shared/conformance/n8n-fixtures` with
/// flowrun's workflow-test runner (n8n's harness rules) and requires at least 90% of the fixtures
/// that use only core nodes to pass. Fixtures needing the Code node or the network are left out
/// until those issues land; every failure is printed with its reason.
@Suite("n8n workflow fixtures")
struct FixtureConformanceTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/n8n-fixtures")

    /// n8n's core node types (issue 4's list) plus the test-only data node.
    static let coreTypes: Set<String> = Set([
        "manualTrigger", "start", "noOp", "set", "if", "switch", "filter", "merge", "splitInBatches", "splitOut",
        "aggregate", "limit", "sort", "removeDuplicates", "summarize", "renameKeys", "itemLists", "dateTime", "wait",
        "stopAndError", "executeWorkflow", "executeWorkflowTrigger", "errorTrigger", "stickyNote",
    ].map { "n8n-nodes-base.\($0)" } + ["n8n-nodes-testing.testData"])

    struct Entry {
        var file: String
        var coreOnly: Bool
    }

    static func manifest() throws -> [Entry] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("manifest.json"))
        let value = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        return (value.arrayValue ?? []).compactMap { entry in
            guard let file = entry["file"]?.stringValue else { return nil }
            let types = (entry["node_types_used"]?.arrayValue ?? []).compactMap { $0.stringValue?.split(separator: "@").first.map(String.init) }
            let excluded = entry["needs_code_node"] == .bool(true) || entry["needs_network"] == .bool(true)
                || entry["deterministic"] == .bool(false)
            return Entry(file: file, coreOnly: !excluded && types.allSatisfy { coreTypes.contains($0) })
        }
    }

    @Test("at least 90% of the core-node fixtures pass")
    func coreFixtures() async throws {
        setenv("TZ", "UTC", 1)
        tzset()
        let entries = try Self.manifest().filter(\.coreOnly)
        try #require(!entries.isEmpty, "no fixtures found under \(Self.fixtures.path)")
        var passed = 0
        var failures: [String] = []
        for entry in entries {
            let path = Self.fixtures.appendingPathComponent(entry.file).path
            let runner = WorkflowTestRunner(registry: .builtIn, engine: Self.engine(for: path))
            let outcome = await runner.run(file: path)
            if outcome.verdict == .passed {
                passed += 1
            } else {
                failures.append("\(entry.file): " + outcome.failures.map { String($0.description.prefix(600)) }.joined(separator: "; "))
            }
        }
        let share = Double(passed) / Double(entries.count)
        print("n8n fixtures (core nodes): \(passed) of \(entries.count) pass (\(Int((share * 100).rounded()))%)")
        for failure in failures { print("  FAIL \(failure)") }
        #expect(share >= 0.9, "\(passed) of \(entries.count) core-node fixtures pass; failing:\n\(failures.joined(separator: "\n"))")
    }

    static func engine(for path: String) -> Engine {
        var configuration = Engine.Configuration()
        configuration.subworkflows = FileSubworkflowRunner(
            registry: .builtIn, baseDirectory: (path as NSString).deletingLastPathComponent, engineConfiguration: configuration)
        return Engine(configuration: configuration)
    }
}
