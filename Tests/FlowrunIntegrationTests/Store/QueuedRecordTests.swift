import FlowrunCore
import FlowrunExpressions
@testable import FlowrunRuntime
import FlowrunServer
@testable import FlowrunSQLite
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

/// A webhook's execution record is queued, not awaited: the execution runs while the record waits
/// for the SQLite writer, its end joins the record's insert when it comes first, and the webhook is
/// answered only once the record committed.
@Suite("Store: queued execution records")
struct QueuedRecordTests {
    /// Holds the store's single writer until `release()`: writes queued meanwhile wait in the batch.
    /// A flag set by one task and read by another.
    final class Flag: Sendable {
        private let value = Atomic(false)
        func set() { value.store(true, ordering: .sequentiallyConsistent) }
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
    }

    final class WriterHold: Sendable {
        private let held = Flag()
        private let gate = DispatchSemaphore(value: 0)

        /// Returns once the writer is blocked (its write ends in `group` after `release()`).
        static func start(_ store: SQLiteStateStore, in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> WriterHold {
            let hold = WriterHold()
            group.addTask {
                try await store.write("hold") { _ in
                    hold.held.set()
                    hold.gate.wait()
                }
            }
            try await QueuedRecordTests.eventually { hold.held.isSet }
            return hold
        }

        func release() { gate.signal() }
    }

    static func record(_ id: String) -> ExecutionRecord {
        ExecutionRecord(id: id, workflowID: "w", workflowName: "W", mode: "webhook", startedAt: 1000, startNode: "Webhook",
                        triggerInput: [["json": ["name": "Ada"]]], ownerID: "owner")
    }

    /// Polls (no fixed sleeps) until `condition` holds.
    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<2_000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test("an end written while the record waits joins its insert: one row with the final status, never unfinished")
    func endJoinsRecord() async throws {
        try await RunDataTests.withSQLite { store in
            let runs = [StoredNodeRun(node: "Webhook", runIndex: 0, data: ["v": 1]), StoredNodeRun(node: "Set", runIndex: 0, data: ["v": 2])]
            try await withThrowingTaskGroup(of: Void.self) { group in
                let hold = try await WriterHold.start(store, in: &group)
                let commit = store.queueExecution(Self.record("q1"))
                #expect(store.batch.withLock { $0.queuedRecords["q1"] != nil })
                group.addTask {
                    try await store.recordUpdate(ExecutionUpdate(executionID: "q1", nodeRuns: runs, end: RunDataTests.end))
                }
                // Only joining the end takes the record out of the queued ones while the writer is held.
                try await Self.eventually { store.batch.withLock { $0.queuedRecords["q1"] == nil } }
                let committed = Flag()
                group.addTask {
                    try await commit.wait()
                    committed.set()
                }
                try await Task.sleep(for: .milliseconds(50))
                #expect(!committed.isSet)
                hold.release()
                try await group.waitForAll()
                #expect(committed.isSet)
            }
            let record = try #require(try await store.execution(id: "q1"))
            #expect(record.status == .success && record.stoppedAt == 2000 && record.ownerID == nil && record.lastNode == "Set")
            #expect(record.triggerInput == [["json": ["name": "Ada"]]] && record.startNode == "Webhook" && record.workflowName == "W")
            #expect(try await store.nodeRuns(executionID: "q1") == runs.sorted { $0.node < $1.node })
            #expect(try await RunDataTests.counts("q1", store) == (0, true))
            #expect(try await store.executions(matching: ExecutionQuery(limit: 10)).map(\.id) == ["q1"])
            #expect(try await store.unfinishedExecutions().isEmpty)
        }
    }

    @Test("a record the writer took is inserted as new; the end is an update after it")
    func endAfterRecord() async throws {
        try await RunDataTests.withSQLite { store in
            let commit = store.queueExecution(Self.record("q2"))
            try await commit.wait()
            #expect(try await store.execution(id: "q2")?.status == .new)
            #expect(try await store.unfinishedExecutions().map(\.id) == ["q2"])
            try await store.recordUpdate(ExecutionUpdate(executionID: "q2", nodeRuns: [StoredNodeRun(node: "A", runIndex: 0, data: [:])], end: RunDataTests.end))
            #expect(try await store.execution(id: "q2")?.status == .success)
            #expect(try await store.nodeRuns(executionID: "q2").map(\.node) == ["A"])
        }
    }

    @Test("a queued record whose id exists fails, alone; its end then leaves the existing row alone")
    func duplicateRecord() async throws {
        try await RunDataTests.withSQLite { store in
            try await store.createExecution(Self.record("dup"))
            let other = store.queueExecution(Self.record("fresh"))
            let duplicate = store.queueExecution(Self.record("dup"))
            await #expect(throws: StoreError(.duplicate, "")) { try await duplicate.wait() }
            try await other.wait()
            #expect(duplicate.failed)
            await #expect(throws: StoreError(.notFound, "")) {
                try await store.recordUpdate(ExecutionUpdate(executionID: "dup", end: RunDataTests.end))
            }
            #expect(try await store.execution(id: "dup")?.status == .new)
            // Refused once: a later write to the id is the existing row's again.
            try await store.recordUpdate(ExecutionUpdate(executionID: "dup", end: RunDataTests.end))
            #expect(try await store.execution(id: "dup")?.status == .success)
        }
    }

    /// Webhook → Set → NoOp, answered by a responder the test holds.
    struct Responder: WebhookResponder {
        var requestMethod: String { "POST" }
        func respond(_ response: WebhookResponse) async -> Bool { true }
    }

    @Test("a webhook's execution runs while its record waits; the ticket says recorded only after the commit")
    func dispatcherWaitsForRecord() async throws {
        try await StoreFixtures.withRecordingRuntime("flowrun-queued") { runtime, executionStore, file in
            let store = try #require(executionStore as? SQLiteStateStore)
            let recorder = try #require(runtime.recorder)
            try await recorder.lease?.ensureRegistered()
            let dispatcher = InProcessDispatcher(
                engineConfiguration: .init(observers: runtime.observers, services: runtime.services),
                metrics: ServerMetrics(), logger: Logger(label: "test"), recorder: recorder)
            let graph = try Runtime.loadGraph(file)
            let workflow = LoadedWorkflow(file: file, graph: graph, modified: Date())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await dispatcher.run() }
                let hold = try await WriterHold.start(store, in: &group)
                let job = ExecutionJob(executionID: "hook1", workflow: workflow, startNode: "Start", input: [Item(json: ["name": "Ada"])], mode: .webhook)
                let ticket = try await dispatcher.submit(job, responder: Responder())
                // The execution runs to its end while its record cannot be written: the end joins it.
                try await Self.eventually { store.batch.withLock { $0.queuedRecords.isEmpty } }
                let recorded = Flag()
                group.addTask {
                    try await ticket.recorded()
                    recorded.set()
                }
                try await Task.sleep(for: .milliseconds(50))
                #expect(!recorded.isSet)
                hold.release()
                try await Self.eventually { recorded.isSet }
                #expect(await ticket.result().status == .success)
                group.cancelAll()
            }
            let record = try #require(try await store.execution(id: "hook1"))
            #expect(record.status == .success && record.mode == "webhook" && record.lastNode == "Done")
            #expect(try await store.nodeRuns(executionID: "hook1").map(\.node) == ["Done", "Greet", "Start"])
        }
    }
}
