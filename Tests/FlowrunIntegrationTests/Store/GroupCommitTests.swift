import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Testing

/// Writes of concurrent callers share transactions (group commit), and executions are recorded
/// with their node runs at the end, without the inputs that their sources give back.
@Suite("Group commit and deferred node runs")
struct GroupCommitTests {
    static func record(_ id: String) -> ExecutionRecord {
        ExecutionRecord(id: id, workflowID: "w", mode: "webhook", startedAt: 1000, ownerID: "owner")
    }

    @Test("concurrent writes all commit; one that fails is rolled back alone", arguments: StoreKind.allCases)
    func concurrentWrites(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            try await store.createExecution(Self.record("taken"))
            let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for i in 0..<60 {
                    let id = i == 30 ? "taken" : "e\(i)"
                    group.addTask {
                        do {
                            try await store.createExecution(Self.record(id))
                            try await store.recordUpdate(ExecutionUpdate(
                                executionID: id, markRunning: true, nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: ["i": .number(Double(i))])],
                                end: .init(status: .success, stoppedAt: 2000, error: nil)))
                            return (id, true)
                        } catch let error as StoreError {
                            #expect(error.code == .duplicate, "\(error)")
                            return (id, false)
                        }
                    }
                }
                var out: [(String, Bool)] = []
                for try await outcome in group { out.append(outcome) }
                return out
            }
            #expect(outcomes.filter { !$0.1 }.map(\.0) == ["taken"])
            let all = try await store.executions(matching: ExecutionQuery(limit: 1000))
            #expect(all.count == 60)
            #expect(all.filter { $0.id != "taken" }.allSatisfy { $0.status == .success && $0.lastNode == "A" && $0.ownerID == nil })
            #expect(try await store.execution(id: "taken")?.status == .new, "the failed create changed nothing")
            #expect(try await store.nodeRuns(executionID: "e7") == [StoredNodeRun(node: "A", runIndex: 0, data: ["i": 7])])
        }
    }

    @Test("a progress write that commits after the end does not undo it", arguments: StoreKind.allCases)
    func lateProgress(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            try await store.createExecution(Self.record("e1"))
            try await store.recordUpdate(ExecutionUpdate(executionID: "e1", nodeRuns: [StoredNodeRun(node: "B", runIndex: 0, data: [:])],
                                                         end: .init(status: .success, stoppedAt: 2000, error: nil)))
            try await store.recordUpdate(ExecutionUpdate(executionID: "e1", markRunning: true, nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: [:])]))
            let record = try #require(try await store.execution(id: "e1"))
            #expect(record.status == .success)
            #expect(record.lastNode == "B")
            #expect(try await store.nodeRuns(executionID: "e1").map(\.node) == ["A", "B"])
        }
    }

    @Test("node runs are stored as n8n's ITaskData without inputs; reading them back derives the inputs")
    func derivedInputs() async throws {
        try await StoreFixtures.withRecordingRuntime("flowrun-deferred") { runtime, store, file in
            let engine = Engine(configuration: .init(observers: runtime.observers, services: runtime.services))
            let options = Engine.RunOptions(input: [Item(json: ["name": "Ada"])], executionID: "d1")
            let result = try await runtime.execute(try Runtime.loadGraph(file), file: file, engine: engine, options: options)
            #expect(result.status == .success)
            let stored = try await store.nodeRuns(executionID: "d1")
            #expect(stored.map(\.node) == ["Done", "Greet", "Start"])
            #expect(stored.allSatisfy { $0.data["inputData"] == nil && $0.data["data"]?["main"] != nil })
            let runs = try await Runtime.runData(store, executionID: "d1")
            for (node, records) in result.runData {
                let read = try #require(runs[node]?.first)
                #expect(read.input.map { $0?.map(\.json) } == records[0].input.map { $0?.map(\.json) }, "\(node)")
                #expect(read.output?.map { $0.map(\.json) } == records[0].output?.map { $0.map(\.json) }, "\(node)")
            }
        }
    }
}
