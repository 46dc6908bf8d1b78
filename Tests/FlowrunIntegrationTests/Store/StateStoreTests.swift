import FlowrunCore
import FlowrunExpressions
import Testing

/// One suite, run against every built-in store (SQLite file, Postgres schema).
@Suite("State store")
struct StateStoreTests {
    static func record(_ id: String, at time: Double, status: ExecutionRecord.Status = .new, workflow: String = "wf1") -> ExecutionRecord {
        ExecutionRecord(id: id, workflowID: workflow, workflowName: "Flow", workflowFile: "/tmp/flow.json", mode: "manual",
                        status: status, startedAt: time, startNode: "Start", triggerInput: [["json": ["a": 1]]],
                        resumeOnCrash: true)
    }

    @Test("an execution is created once and reads back field for field", arguments: StoreKind.allCases)
    func createAndRead(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            let record = Self.record("e1", at: 1000)
            try await store.createExecution(record)
            #expect(try await store.execution(id: "e1") == record)
            #expect(try await store.execution(id: "missing") == nil)
            await #expect(throws: StoreError(.duplicate, "")) { try await store.createExecution(record) }
        }
    }

    @Test("node runs are written with the checkpoint, replaced on the same run index, read back in order", arguments: StoreKind.allCases)
    func nodeRuns(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            try await store.createExecution(Self.record("e1", at: 1000))
            try await store.startExecution(Self.record("e1", at: 1000), ownerID: "owner-a")
            #expect(try await store.execution(id: "e1")?.status == .running)
            #expect(try await store.execution(id: "e1")?.ownerID == "owner-a")
            #expect(try await store.checkpoint(executionID: "e1") == nil)
            try await store.recordNodeRun(StoredNodeRun(node: "B", runIndex: 0, data: ["v": 1]), executionID: "e1", checkpoint: ["step": 1])
            try await store.recordNodeRun(StoredNodeRun(node: "A", runIndex: 1, data: ["v": 2]), executionID: "e1", checkpoint: ["step": 2])
            try await store.recordNodeRun(StoredNodeRun(node: "A", runIndex: 0, data: ["v": 3]), executionID: "e1", checkpoint: nil)
            try await store.recordNodeRun(StoredNodeRun(node: "A", runIndex: 0, data: ["v": 4, "k": "ü\"x"]), executionID: "e1", checkpoint: ["step": 3])
            let runs = try await store.nodeRuns(executionID: "e1")
            #expect(runs == [StoredNodeRun(node: "A", runIndex: 0, data: ["v": 4, "k": "ü\"x"]), StoredNodeRun(node: "A", runIndex: 1, data: ["v": 2]),
                             StoredNodeRun(node: "B", runIndex: 0, data: ["v": 1])])
            #expect(try await store.checkpoint(executionID: "e1") == ["step": 3])
            #expect(try await store.execution(id: "e1")?.lastNode == "A")
        }
    }

    @Test("finishing sets status, stop time and error and clears the owner", arguments: StoreKind.allCases)
    func finish(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            try await store.startExecution(Self.record("e1", at: 1000), ownerID: "owner-a")
            try await store.finishExecution(id: "e1", status: .error, stoppedAt: 2500, error: ["message": "boom"])
            let finished = try #require(try await store.execution(id: "e1"))
            #expect(finished.status == .error)
            #expect(finished.stoppedAt == 2500)
            #expect(finished.error == ["message": "boom"])
            #expect(finished.ownerID == nil)
            await #expect(throws: StoreError(.notFound, "")) {
                try await store.finishExecution(id: "nope", status: .success, stoppedAt: 1, error: nil)
            }
        }
    }

    @Test("listing filters by status, workflow and start time, newest first, with a limit", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            for i in 0..<6 {
                try await store.createExecution(Self.record("e\(i)", at: Double(1000 + i), status: i % 2 == 0 ? .success : .error,
                                                       workflow: i < 4 ? "wf1" : "wf2"))
            }
            #expect(try await store.executions(matching: ExecutionQuery()).map(\.id) == ["e5", "e4", "e3", "e2", "e1", "e0"])
            #expect(try await store.executions(matching: ExecutionQuery(statuses: [.success])).map(\.id) == ["e4", "e2", "e0"])
            #expect(try await store.executions(matching: ExecutionQuery(statuses: [.success, .error], workflowID: "wf1", limit: 2)).map(\.id) == ["e3", "e2"])
            #expect(try await store.executions(matching: ExecutionQuery(startedBefore: 1002)).map(\.id) == ["e1", "e0"])
            #expect(try await store.executions(matching: ExecutionQuery(statuses: [])).isEmpty)
        }
    }

    @Test("owners register, renew their lease and leave", arguments: StoreKind.allCases)
    func owners(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            try await store.registerOwner(ExecutionOwner(id: "h:1:x", host: "h", pid: 1, heartbeatAt: 10))
            try await store.registerOwner(ExecutionOwner(id: "h:2:y", host: "h", pid: 2, heartbeatAt: 20))
            try await store.heartbeat(ownerID: "h:1:x", at: 50)
            #expect(try await store.owners() == [ExecutionOwner(id: "h:1:x", host: "h", pid: 1, heartbeatAt: 50),
                                                 ExecutionOwner(id: "h:2:y", host: "h", pid: 2, heartbeatAt: 20)])
            try await store.removeOwner(id: "h:2:y")
            #expect(try await store.owners().map(\.id) == ["h:1:x"])
        }
    }

    @Test("take-over is a compare-and-set: of 8 concurrent recoverers exactly one wins", arguments: StoreKind.allCases)
    func takeOver(kind: StoreKind) async throws {
        try await StoreFixtures.withStores(kind, count: 2) { stores in
            try await stores[0].startExecution(Self.record("e1", at: 1000), ownerID: "dead")
            try await stores[0].createExecution(Self.record("e2", at: 1001))
            #expect(try await stores[0].unfinishedExecutions().map(\.id) == ["e1", "e2"])
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask { try await stores[i % 2].takeOver(executionID: "e1", from: "dead", to: "new-\(i)", status: .running, at: 5000) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await stores[1].execution(id: "e1")?.ownerID?.hasPrefix("new-") == true)
            #expect(try await stores[0].takeOver(executionID: "e2", from: nil, to: nil, status: .crashed, at: 6000))
            let crashed = try #require(try await stores[1].execution(id: "e2"))
            #expect(crashed.status == .crashed)
            #expect(crashed.stoppedAt == 6000)
            #expect(try await !stores[0].takeOver(executionID: "e2", from: nil, to: nil, status: .crashed, at: 7000))
            #expect(try await stores[0].unfinishedExecutions().map(\.id) == ["e1"])
        }
    }

    @Test("prune deletes ended executions and their node runs, never unfinished ones", arguments: StoreKind.allCases)
    func prune(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            for i in 0..<5 { try await store.createExecution(Self.record("done\(i)", at: Double(1000 + i), status: .success)) }
            try await store.recordNodeRun(StoredNodeRun(node: "A", runIndex: 0, data: [:]), executionID: "done0", checkpoint: nil)
            try await store.createExecution(Self.record("open", at: 1))
            #expect(try await store.pruneExecutions(startedBefore: nil, keepingLast: 3) == 2)
            #expect(try await store.nodeRuns(executionID: "done0").isEmpty)
            #expect(try await store.pruneExecutions(startedBefore: 1004, keepingLast: nil) == 2)
            #expect(try await store.executions(matching: ExecutionQuery()).map(\.id) == ["done4", "open"])
        }
    }

    @Test("cache values expire on the store's clock; create is first-writer-wins under concurrency", arguments: StoreKind.allCases)
    func cache(kind: StoreKind) async throws {
        let time = StoreTestTime()
        try await StoreFixtures.withStore(kind, time: time) { store in
            try await store.setCacheValue(["token": "abc"], forKey: "k", ttl: .seconds(60))
            #expect(try await store.cacheValue(forKey: "k") == ["token": "abc"])
            time.advance(milliseconds: 59_999)
            #expect(try await store.cacheValue(forKey: "k") == ["token": "abc"])
            #expect(try await !store.createCacheValue("other", forKey: "k", ttl: nil))
            time.advance(milliseconds: 1)
            #expect(try await store.cacheValue(forKey: "k") == nil)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<20 { group.addTask { try await store.createCacheValue(.number(Double(i)), forKey: "k", ttl: .seconds(1)) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            try await store.setCacheValue("forever", forKey: "p", ttl: nil)
            time.advance(milliseconds: 1e9)
            #expect(try await store.cacheValue(forKey: "p") == "forever")
            #expect(try await !store.createCacheValue("x", forKey: "p", ttl: nil))
            try await store.removeCacheValue(forKey: "p")
            #expect(try await store.cacheValue(forKey: "p") == nil)
        }
    }

    @Test("workflow static data is kept per workflow", arguments: StoreKind.allCases)
    func staticData(kind: StoreKind) async throws {
        try await StoreFixtures.withStore(kind) { store in
            #expect(try await store.staticData(workflowID: "wf1") == nil)
            try await store.setStaticData(["global": ["lastId": 7]], workflowID: "wf1")
            try await store.setStaticData(["global": ["lastId": 8]], workflowID: "wf1")
            try await store.setStaticData(["node:X": [:]], workflowID: "wf2")
            #expect(try await store.staticData(workflowID: "wf1") == ["global": ["lastId": 8]])
            #expect(try await store.staticData(workflowID: "wf2") == ["node:X": [:]])
        }
    }

    @Test("several stores migrating the same database at once all succeed", arguments: StoreKind.allCases)
    func concurrentMigration(kind: StoreKind) async throws {
        try await StoreFixtures.withStores(kind, count: 4) { stores in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            try await stores[3].createExecution(Self.record("e1", at: 1))
            #expect(try await stores[0].execution(id: "e1") != nil)
        }
    }
}
