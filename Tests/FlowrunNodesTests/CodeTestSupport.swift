import FlowrunCore
import FlowrunExpressions
import Foundation
import Logging
import Synchronization

@testable import FlowrunNodes

/// The repository's runners/ folder, found from this file's path.
let codeTestRunnersDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("runners").path
}()

func makeCodeTestPool(
    timeout: Duration = .seconds(20), memoryLimitMB: Int = 256, builtins: [String] = [], processes: Int = 1
) -> TaskRunnerPool {
    TaskRunnerPool(configuration: .init(
        runnersDirectory: codeTestRunnersDirectory, maxProcessesPerLanguage: processes, taskTimeout: timeout,
        memoryLimitMB: memoryLimitMB, allowedBuiltinModules: builtins))
}

/// Answers runner calls from fixed node outputs and records console output.
final class RecordingHost: TaskRunnerHost {
    let outputs: [String: [[[Item]]]]
    private let logged = Mutex<[[String]]>([])
    var logs: [[String]] { logged.withLock { $0 } }

    init(outputs: [String: [[[Item]]]] = [:]) { self.outputs = outputs }

    func answer(method: String, params: JSONValue) async throws -> JSONValue {
        guard method == "nodeData" else { throw TaskRunnerError(.userCode, "not available") }
        let name = params["node"]?.stringValue ?? ""
        guard let runs = outputs[name] else {
            return ["exists": false, "executed": false, "runs": 0, "run": 0, "outputs": .null, "parameters": .null, "branch": .null]
        }
        let run = params["run"]?.numberValue.map { Int($0) } ?? runs.count - 1
        let selected: JSONValue = run < runs.count
            ? .array(runs[run].map { .array($0.map { $0.jsonValue() }) }) : .null
        return ["exists": true, "executed": true, "runs": .number(Double(runs.count)), "run": .number(Double(run)),
                "outputs": selected, "parameters": [:], "branch": 0]
    }

    func log(_ arguments: [String]) { logged.withLock { $0.append(arguments) } }
}

/// A task object as `CodeTask.make` builds it, without an execution.
func codeTestTask(
    _ code: String, mode: String = "runOnceForAllItems", kind: String = "code", items: [JSONObject] = [["n": 1], ["n": 2]],
    continueOnFail: Bool = false, env: JSONValue = .null
) -> JSONObject {
    [
        "kind": .string(kind), "mode": .string(mode), "code": .string(code),
        "items": .array(items.enumerated().map { ["json": .object($0.element), "pairedItem": ["item": .number(Double($0.offset))]] }),
        "node": ["name": "Code", "type": "n8n-nodes-base.code", "typeVersion": 2, "parameters": [:]],
        "runIndex": 0, "workflowMode": "manual", "executionId": "1", "workflow": ["id": "w", "name": "Test", "active": false],
        "timezone": "UTC", "now": 1_700_000_000_000, "continueOnFail": .bool(continueOnFail), "vars": [:], "env": env,
    ]
}

/// Runs a task and returns the items' json, or the error message.
func runCode(
    _ pool: TaskRunnerPool, _ task: JSONObject, language: TaskRunnerLanguage = .javaScript, host: RecordingHost = RecordingHost()
) async -> Result<[JSONValue], TaskRunnerError> {
    do {
        return .success(try await pool.run(language, task: task, host: host).items)
    } catch {
        return .failure(error)
    }
}

/// Run data for node-level tests: outputs per node and run, and where each node's input came from.
struct FakeRunData: ExpressionDataSource {
    var runs: [String: [[[Item]]]] = [:]
    var sources: [String: ExpressionSource] = [:]
    var nodes: Set<String> = []

    func nodeExists(_ name: String) -> Bool { nodes.contains(name) || runs[name] != nil }
    func outputs(of node: String, runIndex: Int?) -> [[Item]]? {
        guard let list = runs[node], !list.isEmpty else { return nil }
        let index = runIndex ?? list.count - 1
        return index < list.count ? list[index] : nil
    }
    func source(of node: String, input: Int) -> ExpressionSource? { input == 0 ? sources[node] : nil }
    func isPinned(_ node: String) -> Bool { false }
    func parameters(of node: String) -> JSONObject? { nodeExists(node) ? [:] : nil }
    func nodeInfo(_ node: String) -> ExpressionNodeInfo? { nil }
}

func makeCodeTestContext(node: String = "Code", input: [Item], data: FakeRunData = FakeRunData(), continueOnFail: Bool = false) -> ExecutionContext {
    ExecutionContext(
        executionID: "1", workflowID: "w", workflowName: "Test", nodeName: node, nodeType: "n8n-nodes-base.code",
        typeVersion: 2, runIndex: 0, mode: .manual, logger: Logger(label: "test"), clock: ContinuousClock(),
        timeZone: "UTC", continueOnFail: continueOnFail, nodeContext: NodeContextStore(), subworkflows: nil,
        evaluation: EvaluationContext(dataSource: data, activeNode: node, inputItems: input, timeZone: "UTC"))
}

func makeCodeConfiguration(type: String = "n8n-nodes-base.code", version: Double = 2, _ parameters: JSONObject) -> NodeConfiguration {
    NodeConfiguration(nodeName: "Code", type: type, typeVersion: version, parameters: parameters)
}

extension Result {
    var value: Success? { if case .success(let v) = self { v } else { nil } }
    var failure: Failure? { if case .failure(let e) = self { e } else { nil } }
}
