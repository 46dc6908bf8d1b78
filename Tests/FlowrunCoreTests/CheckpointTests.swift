import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Synchronization
import Testing

/// Resuming from a checkpoint: an execution stopped after any node and resumed from its JSON
/// checkpoint ends exactly as the uninterrupted run.
@Suite("Execution checkpoints")
struct CheckpointTests {
    /// Keeps every checkpoint, as JSON text (what a store would write).
    final class Recorder: ExecutionObserver {
        let checkpoints = Mutex<[String]>([])
        func checkpoint(_ state: ExecutionState, executionID: String) async {
            let text = state.checkpoint().jsonString()
            checkpoints.withLock { $0.append(text) }
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func graph(_ example: String) throws -> WorkflowGraph {
        let path = root.appendingPathComponent("examples/\(example)").path
        let document = try #require(WorkflowLoader(configuration: .init()).load(contentsOf: path).document)
        return WorkflowGraph.build(document, registry: .builtIn, file: path).graph
    }

    static func outputs(_ result: ExecutionResult) -> JSONValue {
        var o = JSONObject()
        for name in result.runData.keys.sorted() {
            o[name] = .array((result.runData[name] ?? []).map { .array(($0.output ?? []).map { .array($0.map { .object($0.json) }) }) })
        }
        return .object(o)
    }

    @Test("resuming after every node gives the uninterrupted result", arguments: ["loop-split-in-batches.json", "merge.json", "if-switch-branch.json"])
    func resumeAfterEachNode(example: String) async throws {
        let graph = try Self.graph(example)
        let recorder = Recorder()
        let full = await Engine(configuration: .init(observers: [recorder])).run(graph, options: .init(executionID: "full"))
        #expect(full.status == .success, "\(String(describing: full.error))")
        let checkpoints = recorder.checkpoints.withLock { $0 }
        #expect(checkpoints.count == full.executionOrder.count)
        for (index, text) in checkpoints.enumerated() {
            let state = try ExecutionState(checkpoint: try JSONValue(parsing: text))
            let resumed = await Engine().run(graph, options: .init(executionID: "full", resume: state))
            #expect(resumed.status == .success, "resumed after node run \(index + 1): \(String(describing: resumed.error))")
            #expect(resumed.executionOrder == full.executionOrder, "resumed after node run \(index + 1)")
            #expect(Self.outputs(resumed) == Self.outputs(full), "resumed after node run \(index + 1)")
        }
    }

    /// Counts the start and end calls an observer gets.
    final class Ends: ExecutionObserver {
        let calls = Mutex<[String]>([])
        func executionStarted(id: String, graph: WorkflowGraph, mode: ExecutionMode) async { calls.withLock { $0.append("started \(id)") } }
        func executionFinished(_ result: ExecutionResult) async { calls.withLock { $0.append("finished \(result.executionID) \(result.status)") } }
    }

    @Test("an execution that cannot start (unknown start node) still starts and ends for its observers")
    func observersSeeAFailedStart() async throws {
        let graph = try Self.graph("merge.json")
        let ends = Ends()
        let result = await Engine(configuration: .init(observers: [ends])).run(graph, options: .init(startNode: "Nope", executionID: "x"))
        #expect(result.status == .error)
        #expect(result.error?.message.contains("Nope") == true)
        #expect(ends.calls.withLock { $0 } == ["started x", "finished x error"])
    }

    @Test("a checkpoint without run data takes the records back")
    func withoutRunData() async throws {
        let graph = try Self.graph("merge.json")
        let recorder = Recorder()
        let full = await Engine(configuration: .init(observers: [recorder])).run(graph, options: .init())
        let first = try JSONValue(parsing: try #require(recorder.checkpoints.withLock { $0.first }))
        #expect(first["runData"] != nil)
        let state = try ExecutionState(checkpoint: first)
        let light = state.checkpoint(includingRunData: false)
        #expect(light["runData"] == nil)
        let records = ExecutionState.readRunData(ExecutionState.json(state.runData))
        let resumed = await Engine().run(graph, options: .init(resume: try ExecutionState(checkpoint: light, runData: records)))
        #expect(Self.outputs(resumed) == Self.outputs(full))
    }

    @Test("a foreign checkpoint is refused with a clear error")
    func foreign() {
        #expect(throws: ExecutionFailure.self) { try ExecutionState(checkpoint: ["version": 7]) }
    }
}
