import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// The Code node fixtures of n8n's own tests (../shared/conformance/n8n-fixtures/Code), run
/// through the engine and compared the way n8n's test harness compares them.
@Suite("Code node n8n fixtures")
struct CodeFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/conformance/n8n-fixtures")

    struct Outcome {
        var result: ExecutionResult
        var pinData: JSONObject
    }

    static func run(_ relativePath: String) async throws -> Outcome {
        let path = fixtures.appendingPathComponent(relativePath).path
        let loaded = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: true, newestTypeVersion: { NodeRegistry.builtIn.newestVersion(of: $0) }))
            .load(contentsOf: path)
        let document = try #require(loaded.document)
        let pinData = document.pinData ?? [:]
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: .builtIn, file: relativePath)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        // n8n's harness deletes pinData before running: pinned nodes really execute.
        let result = await Engine(configuration: .init()).run(graph, options: .init(mode: .manual, executionID: "1"))
        return Outcome(result: result, pinData: pinData)
    }

    /// n8n's comparison: every run of the node, output 0, pairedItem and binary removed, key order ignored.
    static func matches(_ outcome: Outcome, node: String) -> Bool {
        guard let runs = outcome.result.runData[node], runs.count == 1, let expected = outcome.pinData[node]?.arrayValue else { return false }
        let actual = (runs[0].output?.first ?? []).map { JSONValue.object(["json": .object($0.json)]) }
        let wanted = expected.map { Item(jsonValue: $0) }.map { JSONValue.object(["json": .object($0.json)]) }
        return actual.map(canonical) == wanted.map(canonical)
    }

    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(uniqueKeysWithValues: object.sorted { $0.key < $1.key }.map { ($0.key, canonical($0.value)) }))
        case .array(let array):
            return .array(array.map(canonical))
        default:
            return value
        }
    }

    @Test("ImmutableOutput: each Code node sees its own copy of its input")
    func immutableOutput() async throws {
        let outcome = try await Self.run("Code/test__ImmutableOutput.workflow.json")
        #expect(outcome.result.status == .success)
        #expect(Self.matches(outcome, node: "JS1"))
        #expect(Self.matches(outcome, node: "JS"))
    }

    @Test("do_not_obfuscate_validation_error: the validation message reaches the error output verbatim")
    func validationErrorOutput() async throws {
        let outcome = try await Self.run("Code/test__workflow.do_not_obfuscate_validation_error.json")
        #expect(outcome.result.status == .success)
        #expect(Self.matches(outcome, node: "No Operation, do nothing"))
    }

    @Test("datetime_format_fails: .format() is not a function in Code and stops the run; .toFormat() works")
    func dateTimeFormat() async throws {
        // As in n8n, the failing node stops the workflow (the fixture pins a wall-clock value and is
        // marked non-deterministic), so the workaround node is checked on its own.
        let outcome = try await Self.run("Code/test__workflow.datetime_format_fails.json")
        #expect(outcome.result.status == .error)
        let failing = outcome.result.runData["Code with DateTime.format()"]?.first
        #expect(failing?.error?.message == "DateTime.now(...).format is not a function [line 3]")
        let document = try #require(WorkflowLoader(configuration: .init()).load(
            contentsOf: Self.fixtures.appendingPathComponent("Code/test__workflow.datetime_format_fails.json").path).document)
        let workaround = try #require(document.node(named: "Code with DateTime.toFormat() (workaround)"))
        let node = try CodeNode(configuration: makeCodeConfiguration(workaround.parameters), pool: makeCodeTestPool())
        let input = [Item(pairedItem: [PairedItem(item: 0)])]
        let output = try await node.execute(NodeInput([input]), context: makeCodeTestContext(input: input))
        let formatted = output.first?.first?.json["formatted"]?.stringValue ?? ""
        #expect(formatted.wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/) != nil)
    }
}
