import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Testing

/// The rate-limit node under concurrency: 200 executions against a limit of 20, through the state
/// stores (SQLite from one process; Postgres from four store clients = four processes' pools).
@Suite("Rate limit under concurrency")
struct RateLimitConcurrencyTests {
    static let workflow: JSONValue = [
        "id": "wf-rate", "name": "Rate", "settings": ["executionOrder": "v1", "timezone": "Europe/Berlin"],
        "nodes": [
            ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
            ["name": "Limit", "type": "flowrun.rateLimit", "typeVersion": 1, "position": [200, 0],
             "parameters": ["key": "={{ $json.sender }}", "limit": 20, "window": "day", "onLimit": "route"]],
        ],
        "connections": ["Trigger": ["main": [[["node": "Limit", "type": "main", "index": 0]]]]],
    ]

    struct Outcome: Sendable { var allowed: Int; var over: Int }

    static func run(_ graph: WorkflowGraph, store: any StateStore, id: String, time: StoreTestTime) async -> Outcome? {
        let engine = Engine(configuration: .init(nowMilliseconds: { time.now }, services: NodeServices(store: store)))
        let result = await engine.run(graph, options: .init(mode: .trigger, input: [Item(json: ["sender": "alice@example.com"])], executionID: id))
        guard result.error == nil, let output = result.runData["Limit"]?.last?.output else { return nil }
        return Outcome(allowed: output.first?.count ?? 0, over: output.count > 1 ? output[1].count : 0)
    }

    /// Runs executions `ids` concurrently, execution i on store i % stores.count.
    static func runAll(_ ids: [String], stores: [any StateStore], time: StoreTestTime) async throws -> [String: Outcome] {
        let graph = try ResilienceFixtures.graph(workflow)
        return await withTaskGroup(of: (String, Outcome?).self) { group in
            for (i, id) in ids.enumerated() {
                let store = stores[i % stores.count]
                group.addTask { (id, await run(graph, store: store, id: id, time: time)) }
            }
            var out: [String: Outcome] = [:]
            for await (id, outcome) in group { if let outcome { out[id] = outcome } }
            return out
        }
    }

    @Test("200 concurrent executions, limit 20: exactly 20 allowed, 180 over the limit, none lost", arguments: StoreKind.allCases)
    func concurrent(kind: StoreKind) async throws {
        let time = StoreTestTime()
        try await StoreFixtures.withStores(kind, count: kind == .postgres ? 4 : 1, time: time) { stores in
            let outcomes = try await Self.runAll((0..<200).map { "exec-\($0)" }, stores: stores, time: time)
            #expect(outcomes.count == 200)
            #expect(outcomes.values.map(\.allowed).reduce(0, +) == 20)
            #expect(outcomes.values.map(\.over).reduce(0, +) == 180)
            #expect(outcomes.values.allSatisfy { $0.allowed + $0.over == 1 })
        }
    }

    @Test("a crash after reserving and a restart that re-runs those executions: still exactly 20, every item accounted for", arguments: StoreKind.allCases)
    func crashAndRestart(kind: StoreKind) async throws {
        let time = StoreTestTime()
        try await StoreFixtures.withStores(kind, count: kind == .postgres ? 4 : 1, time: time) { stores in
            let ids = (0..<200).map { "exec-\($0)" }
            // Before the crash: 100 executions reserve; the results of the last 50 are lost with the process.
            let before = try await Self.runAll(Array(ids[0..<100]), stores: stores, time: time)
            let kept = before.filter { Int($0.key.dropFirst(5))! < 50 }
            // After the restart: the 50 interrupted executions run again (same ids), and the other 100 arrive.
            time.advance(milliseconds: 1000)
            let after = try await Self.runAll(Array(ids[50..<200]), stores: Array(stores.reversed()), time: time)
            let all = kept.merging(after) { $1 }
            #expect(all.count == 200)
            #expect(all.values.map(\.allowed).reduce(0, +) == 20)
            #expect(all.values.map(\.over).reduce(0, +) == 180)
            // A resumed execution got its earlier grant back: its outcome did not change.
            for id in ids[50..<100] { #expect(before[id]?.allowed == after[id]?.allowed) }
            // The next day has room again.
            time.advance(milliseconds: 86_400_000)
            let tomorrow = try await Self.runAll(["next-day"], stores: stores, time: time)
            #expect(tomorrow["next-day"]?.allowed == 1)
        }
    }
}
