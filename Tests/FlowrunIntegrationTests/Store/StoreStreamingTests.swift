import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
@testable import FlowrunSQLite
import Foundation
import GRDB
import Testing

/// Large JSON columns (node runs, trigger inputs) are streamed into the SQLite store in chunks and
/// read back through the normal read paths as the same values.
@Suite("Store: large JSON columns streamed")
struct StoreStreamingTests {
    /// About `count` KB of varied JSON: escapes, non-ASCII text, an index key, fractions, nesting.
    static func largeItems(_ count: Int, tag: String = "") -> [Item] {
        (0..<count).map { i in
            // The index key first: JSON text puts it there, so the value reads back in the same order.
            Item(json: [
                "7": "index key", "id": .number(Double(i)), "tag": .string(tag), "ratio": .number(Double(i) / 7), "name": .string("Zoë \"\(i)\"\n\t\\ 🚀"),
                "company": ["employees": .number(Double(i % 990)), "tags": ["b2b", .null, true, ["deep": [1, 2.5]]]],
                "notes": .string(String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 14)),
            ], pairedItem: [PairedItem(item: i)])
        }
    }

    static func runData(_ items: [Item]) -> JSONValue {
        ["startTime": 1000, "executionTime": 12, "source": [], "data": ["main": [.array(items.map { $0.jsonValue() })]]]
    }

    static func typeOf(_ column: String, _ table: String, _ store: SQLiteStateStore) async throws -> [String] {
        try await store.read("typeof") { db in try String.fetchAll(db, sql: "SELECT typeof(\(column)) FROM \(table) ORDER BY rowid") }
    }

    @Test("a node run and a trigger input of several MB are streamed as BLOBs and read back equal; small ones stay TEXT")
    func largeRoundTrip() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            let sqlite = try #require(store as? SQLiteStateStore)
            let trigger = JSONValue.array(Self.largeItems(3000, tag: "trigger").map { $0.jsonValue() })
            #expect(trigger.jsonByteCount() > JSONColumn.streamingThreshold)
            let record = ExecutionRecord(id: "big", workflowID: "w", mode: "manual", startedAt: 1000, startNode: "Start", triggerInput: trigger)
            try await store.createExecution(record)
            try await store.createExecution(ExecutionRecord(id: "small", workflowID: "w", mode: "manual", startedAt: 1001, triggerInput: [["json": [:]]]))
            let big = StoredNodeRun(node: "A", runIndex: 0, data: Self.runData(Self.largeItems(4000, tag: "run")))
            let small = StoredNodeRun(node: "B", runIndex: 0, data: Self.runData(Self.largeItems(2)))
            try await store.recordUpdate(ExecutionUpdate(executionID: "big", markRunning: true, nodeRuns: [big, small],
                                                         end: .init(status: .success, stoppedAt: 2000, error: nil)))

            // The large input is kept beside the execution's row, streamed; the small one in the row.
            #expect(try await Self.typeOf("trigger_input", "executions", sqlite) == ["null", "text"])
            #expect(try await Self.typeOf("data", "execution_inputs", sqlite) == ["blob"])
            #expect(try await Self.typeOf("data", "node_runs", sqlite) == ["blob", "text"])
            let read = try #require(try await store.execution(id: "big"))
            // Compared outside #expect: a failure would print MBs of values.
            let sameInput = read.triggerInput == trigger
            #expect(sameInput, "trigger input")
            #expect(read.status == .success && read.lastNode == "B")
            let sameRuns = try await store.nodeRuns(executionID: "big") == [big, small]
            #expect(sameRuns, "node runs")
            let listed = try await store.executions(matching: ExecutionQuery(limit: 10))
            let sameListed = listed.first { $0.id == "big" }?.triggerInput == trigger
            #expect(sameListed, "listed trigger input")

            // Replacing a streamed run with a small one (the same run index) leaves one TEXT row.
            let replaced = StoredNodeRun(node: "A", runIndex: 0, data: ["v": 1])
            try await store.recordNodeRun(replaced, executionID: "big", checkpoint: nil)
            let sameReplaced = try await store.nodeRuns(executionID: "big") == [replaced, small]
            #expect(sameReplaced, "replaced run")

            // Pruning an execution deletes its large input with it.
            #expect(try await store.pruneExecutions(startedBefore: 5000, keepingLast: nil) == 1)
            #expect(try await store.execution(id: "big") == nil)
            #expect(try await Self.typeOf("data", "execution_inputs", sqlite) == [])
        }
    }

    /// Writes one text the first time and a longer one after: the stream outgrows the blob that
    /// was sized from the first pass, after it wrote `prefix` bytes into it.
    struct GrowingText: JSONWritable {
        let calls = Counter()
        final class Counter: @unchecked Sendable { var value = 0 }

        func writeJSON(to writer: inout JSONWriter) {
            calls.value += 1
            writer.value(.string(String(repeating: "x", count: calls.value == 1 ? 300_000 : 400_000)))
        }
    }

    @Test("a streamed write that fails midway is rolled back alone: the run it replaced and concurrent writes are kept")
    func failureMidWrite() async throws {
        try await StoreFixtures.withStore(.sqlite) { store in
            let sqlite = try #require(store as? SQLiteStateStore)
            let kept = StoredNodeRun(node: "A", runIndex: 0, data: Self.runData(Self.largeItems(2000, tag: "kept")))
            try await store.createExecution(ExecutionRecord(id: "e", workflowID: "w", mode: "manual", startedAt: 1000))
            try await store.recordNodeRun(kept, executionID: "e", checkpoint: ["step": 1])

            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        if i == 20 {
                            do {
                                try await sqlite.write("failing") { db in
                                    let text = GrowingText()
                                    let count = text.jsonByteCount()
                                    try db.execute(sql: "INSERT OR REPLACE INTO node_runs (execution_id, node, run_index, data) VALUES ('e', 'A', 0, zeroblob(?))",
                                                   arguments: [count])
                                    try SQLiteBlobWriter.write(text, byteCount: count, table: "node_runs", column: "data", rowID: db.lastInsertedRowID, db)
                                }
                                return (i, true)
                            } catch let error as StoreError {
                                #expect(error.code == .unavailable)
                                #expect(error.message.contains("longer than the 300002 bytes measured"), "\(error.message)")
                                return (i, false)
                            }
                        }
                        try await store.createExecution(ExecutionRecord(id: "c\(i)", workflowID: "w", mode: "manual", startedAt: 1000))
                        try await store.recordUpdate(ExecutionUpdate(executionID: "c\(i)", nodeRuns: [StoredNodeRun(node: "N", runIndex: 0, data: ["i": .number(Double(i))])],
                                                                     end: .init(status: .success, stoppedAt: 2000, error: nil)))
                        return (i, true)
                    }
                }
                var out: [(Int, Bool)] = []
                for try await outcome in group { out.append(outcome) }
                return out
            }
            #expect(outcomes.filter { !$0.1 }.map(\.0) == [20])
            let keptRuns = try await store.nodeRuns(executionID: "e") == [kept]
            #expect(keptRuns, "the run the failed write replaced")
            #expect(try await store.checkpoint(executionID: "e") == ["step": 1])
            for i in 0..<40 where i != 20 {
                #expect(try await store.nodeRuns(executionID: "c\(i)") == [StoredNodeRun(node: "N", runIndex: 0, data: ["i": .number(Double(i))])])
            }
            let check = try await sqlite.read("check") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            #expect(check == ["ok"])
        }
    }

    @Test("a node run written straight from its record is the text of its stored JSON value")
    func storedRunText() throws {
        let items = Self.largeItems(3) + [Item(json: ["b": 1], binary: ["data": ["mimeType": "text/plain"]], pairedItem: [PairedItem(item: 0), PairedItem(item: 1, input: 1)])]
        let records = [
            NodeRunRecord(startTime: 1_800_000_000_123, executionTime: 4.5, executionIndex: 3,
                          source: [TaskSource(previousNode: "A", previousNodeOutput: 1, previousNodeRun: 2), nil], input: [items],
                          output: [items, [], [Item(json: [:])]], status: .success, error: nil, console: ["log \"1\""]),
            NodeRunRecord(startTime: 1, executionTime: 0, executionIndex: 0, source: [], input: [], output: nil, status: .error,
                          error: NodeError(.operation, "boom", detail: "why", node: "N", itemIndex: 2, extra: ["httpCode": "500"])),
        ]
        for record in records {
            let json = StoredRunJSON(record)
            let expected = record.storedJSONValue.jsonString()
            #expect(json.jsonString(byteCount: json.jsonByteCount()) == expected)
            #expect(json.jsonValue == record.storedJSONValue)
            #expect(StoredNodeRun(node: "N", runIndex: 0, json: json) == StoredNodeRun(node: "N", runIndex: 0, data: record.storedJSONValue))
        }
    }

    @Test("a recorded execution with MBs of items reads back through Runtime.runData as it ran")
    func runtimeReadBack() async throws {
        try await StoreFixtures.withRecordingRuntime("flowrun-stream") { runtime, store, file in
            let engine = Engine(configuration: .init(observers: runtime.observers, services: runtime.services))
            let input = Self.largeItems(2500).map { Item(json: $0.json) }
            let options = Engine.RunOptions(input: input, executionID: "s1")
            let result = try await runtime.execute(try Runtime.loadGraph(file), file: file, engine: engine, options: options)
            #expect(result.status == .success)
            let sameInput = try await store.execution(id: "s1")?.triggerInput == .array(input.map { $0.jsonValue() })
            #expect(sameInput, "trigger input")
            let runs = try await Runtime.runData(store, executionID: "s1")
            #expect(Set(runs.keys) == ["Start", "Greet", "Done"])
            for (node, records) in result.runData {
                let read = try #require(runs[node]?.first)
                let sameInput = read.input.map { $0?.map(\.json) } == records[0].input.map { $0?.map(\.json) }
                let sameOutput = read.output == records[0].output
                #expect(sameInput, "input of \(node)")
                #expect(sameOutput, "output of \(node)")
            }
        }
    }
}
