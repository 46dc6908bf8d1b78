import FlowrunCore
import FlowrunExpressions
@testable import FlowrunSQLite
import Foundation
import Synchronization
import Testing

/// Writes queued without waiting (an execution's end) are committed with the next write, before a
/// read of the same store, within milliseconds otherwise, and before the store closes.
@Suite("Store: writes queued without waiting")
struct LazyWriteTests {
    static func record(_ id: String) -> ExecutionRecord {
        ExecutionRecord(id: id, workflowID: "w", mode: "webhook", startedAt: 1000, ownerID: "owner")
    }

    static func end(_ id: String, node: String = "A") -> ExecutionUpdate {
        ExecutionUpdate(executionID: id, nodeRuns: [StoredNodeRun(node: node, runIndex: 0, data: ["id": .string(id)])],
                        end: .init(status: .success, stoppedAt: 2000, error: nil))
    }

    static func withDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "flowrun-lazy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    @Test("the store's next read sees the end; another connection sees it within the timer's delay")
    func readAndTimer() async throws {
        try await Self.withDirectory { directory in
            let store = SQLiteStateStore(configuration: .dataDirectory(directory))
            let other = SQLiteStateStore(configuration: .dataDirectory(directory))
            defer {
                try? store.close()
                try? other.close()
            }
            let failures = Mutex<[String]>([])
            for i in 0..<20 {
                try await store.createExecution(Self.record("e\(i)"))
                store.recordUpdateWithoutWaiting(Self.end("e\(i)")) { error in failures.withLock { $0.append("\(error)") } }
            }
            // The same store: committed before the read.
            let records = try await store.executions(matching: ExecutionQuery(limit: 100))
            #expect(records.count == 20 && records.allSatisfy { $0.status == .success && $0.lastNode == "A" && $0.ownerID == nil })
            #expect(try await store.nodeRuns(executionID: "e7") == [StoredNodeRun(node: "A", runIndex: 0, data: ["id": "e7"])])

            // Another store on the file reads without that: the timer commits the last end.
            try await store.createExecution(Self.record("late"))
            store.recordUpdateWithoutWaiting(Self.end("late")) { error in failures.withLock { $0.append("\(error)") } }
            var seen: ExecutionRecord.Status?
            for _ in 0..<500 {
                seen = try await other.execution(id: "late")?.status
                if seen == .success { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(seen == .success)
            #expect(failures.withLock { $0 }.isEmpty)
        }
    }

    @Test("closing the store commits the ends queued; a failing one is reported and rolled back alone")
    func closeAndFailure() async throws {
        try await Self.withDirectory { directory in
            let store = SQLiteStateStore(configuration: .dataDirectory(directory))
            let failures = Mutex<[any Error]>([])
            for i in 0..<5 { try await store.createExecution(Self.record("c\(i)")) }
            for i in 0..<5 {
                store.recordUpdateWithoutWaiting(Self.end("c\(i)")) { error in failures.withLock { $0.append(error) } }
                if i == 2 {
                    store.recordUpdateWithoutWaiting(ExecutionUpdate(executionID: "missing", end: .init(status: .success, stoppedAt: 2000, error: nil))) { error in failures.withLock { $0.append(error) } }
                }
            }
            try store.close()
            #expect(failures.withLock { $0.map { ($0 as? StoreError)?.code } } == [.notFound])

            let reopened = SQLiteStateStore(configuration: .dataDirectory(directory))
            defer { try? reopened.close() }
            let records = try await reopened.executions(matching: ExecutionQuery(limit: 100))
            #expect(records.map(\.id).sorted() == ["c0", "c1", "c2", "c3", "c4"])
            #expect(records.allSatisfy { $0.status == .success })
            #expect(try await reopened.nodeRuns(executionID: "missing").isEmpty)
        }
    }
}
