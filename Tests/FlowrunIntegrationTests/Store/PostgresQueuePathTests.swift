import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import Testing

/// The Postgres store's queue-mode shortcuts: the one-statement claim, the start that follows it,
/// and the start-node run held back until the next write.
@Suite("Postgres store queue path")
struct PostgresQueuePathTests {
    static func record(_ id: String, status: ExecutionRecord.Status = .new, owner: String? = nil) -> ExecutionRecord {
        var record = ExecutionRecord(id: id, workflowID: "wf", workflowName: "wf", workflowFile: "/tmp/wf.json", mode: "webhook",
                                     status: status, startedAt: 1000, resumeOnCrash: false)
        record.startNode = "Webhook"
        record.triggerInput = [["json": ["seq": 1]]]
        record.ownerID = owner
        return record
    }

    static func withTwoStores(_ body: (PostgresStateStore, PostgresStateStore) async throws -> Void) async throws {
        try await StoreFixtures.withStores(.postgres, count: 2) { stores in
            let first = try #require(stores[0] as? PostgresStateStore)
            let second = try #require(stores[1] as? PostgresStateStore)
            try await body(first, second)
        }
    }

    @Test("an unowned new execution is claimed once, with its record; owned, ended or waiting ones (without a resume) are not")
    func claim() async throws {
        try await Self.withTwoStores { a, b in
            try await a.createExecution(Self.record("e1"))
            let claimed = try #require(try await a.claimUnowned(executionID: "e1", owner: "w1", resumingWait: false))
            #expect(claimed.record.status == .running && claimed.record.ownerID == "w1" && claimed.record.startNode == "Webhook")
            #expect(claimed.record.triggerInput == [["json": ["seq": 1]]] && claimed.checkpoint == nil)
            // A second claimer (another worker, a second delivery) loses.
            #expect(try await b.claimUnowned(executionID: "e1", owner: "w2", resumingWait: false) == nil)
            #expect(try await a.claimUnowned(executionID: "missing", owner: "w1", resumingWait: false) == nil)
            try await a.createExecution(Self.record("e2", owner: "dead"))
            #expect(try await a.claimUnowned(executionID: "e2", owner: "w1", resumingWait: false) == nil)
            try await a.createExecution(Self.record("e3", status: .success))
            #expect(try await a.claimUnowned(executionID: "e3", owner: "w1", resumingWait: false) == nil)
            try await a.createExecution(Self.record("e4", status: .waiting))
            #expect(try await a.claimUnowned(executionID: "e4", owner: "w1", resumingWait: false) == nil)
            let resumed = try #require(try await a.claimUnowned(executionID: "e4", owner: "w1", resumingWait: true))
            #expect(resumed.record.status == .running)
        }
    }

    @Test("the start after a claim writes nothing new; a start by another owner, or without a claim, is written")
    func startAfterClaim() async throws {
        try await Self.withTwoStores { a, b in
            try await a.createExecution(Self.record("e1"))
            _ = try await a.claimUnowned(executionID: "e1", owner: "w1", resumingWait: false)
            try await a.startExecution(Self.record("e1"), ownerID: "w1")
            var stored = try #require(try await b.execution(id: "e1"))
            #expect(stored.status == .running && stored.ownerID == "w1" && stored.stoppedAt == nil)
            // Not claimed by this store: the start is written.
            try await b.startExecution(Self.record("e1"), ownerID: "w2")
            stored = try #require(try await a.execution(id: "e1"))
            #expect(stored.ownerID == "w2")
            try await a.startExecution(Self.record("e5"), ownerID: "w1")
            #expect(try await b.execution(id: "e5")?.status == .running)
        }
    }

    @Test("a held start-node run is written with the next node run and its checkpoint, or with the end; until then nothing is")
    func heldStartRun() async throws {
        try await Self.withTwoStores { a, b in
            let webhook = StoredNodeRun(node: "Webhook", runIndex: 0, data: ["items": 1])
            let set = StoredNodeRun(node: "Set", runIndex: 0, data: ["items": 2])
            try await a.createExecution(Self.record("e1"))
            _ = try await a.claimUnowned(executionID: "e1", owner: "w1", resumingWait: false)
            #expect(a.holdStartRun(executionID: "e1", node: "Webhook"))
            try await a.recordNodeRun(webhook, executionID: "e1", checkpoint: ["after": "Webhook"])
            // A takeover now finds no checkpoint and runs it from the start.
            #expect(try await b.nodeRuns(executionID: "e1").isEmpty)
            #expect(try await b.checkpoint(executionID: "e1") == nil)
            try await a.recordNodeRun(set, executionID: "e1", checkpoint: ["after": "Set"])
            #expect(try await b.nodeRuns(executionID: "e1") == [set, webhook])
            #expect(try await b.checkpoint(executionID: "e1") == ["after": "Set"])
            #expect(try await b.execution(id: "e1")?.lastNode == "Set")

            // A trigger-only execution: the held run goes with the end.
            try await a.createExecution(Self.record("e2"))
            _ = try await a.claimUnowned(executionID: "e2", owner: "w1", resumingWait: false)
            a.holdStartRun(executionID: "e2", node: "Webhook")
            try await a.recordNodeRun(webhook, executionID: "e2", checkpoint: ["after": "Webhook"])
            try await a.recordUpdate(ExecutionUpdate(executionID: "e2", end: .init(status: .success, stoppedAt: 2000, error: nil)))
            let ended = try #require(try await b.execution(id: "e2"))
            #expect(ended.status == .success && ended.ownerID == nil && ended.lastNode == "Webhook" && ended.stoppedAt == 2000)
            #expect(try await b.nodeRuns(executionID: "e2") == [webhook])
        }
    }
}
