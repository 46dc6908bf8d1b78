import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Testing

/// Giving rate-limit units back (`operation: release`) after the work they were reserved for
/// failed: in every state store, once per release id, never below what is reserved.
@Suite("Rate limit release")
struct RateLimitReleaseTests {
    static let day = RateLimitWindow.fixed(start: 1_800_000_000_000 - 3_600_000, end: 1_800_000_000_000 + 3_600_000)

    /// Store kinds plus the in-process store runs without a state store use.
    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }
    }

    static func withStore(_ kind: Kind, time: StoreTestTime, _ body: @Sendable (any RateLimitStore) async throws -> Void) async throws {
        switch kind {
        case .memory: try await body(InMemoryRateLimitStore())
        case .sqlite, .postgres:
            try await StoreFixtures.withStores(kind == .sqlite ? .sqlite : .postgres, count: 1, time: time) { stores in
                try await body(try #require(stores[0] as? any RateLimitStore))
            }
        }
    }

    @Test("a release frees units of the window, is idempotent per id, and never frees more than was reserved", arguments: Kind.allCases)
    func releaseInStore(kind: Kind) async throws {
        let time = StoreTestTime()
        try await Self.withStore(kind, time: time) { store in
            let now = time.now
            let v1 = try await store.reserve(key: "k", window: Self.day, limit: 3, count: 3, now: now, reservation: "r1").granted
            #expect(v1 == 3)
            let v2 = try await store.reserve(key: "k", window: Self.day, limit: 3, count: 1, now: now + 1, reservation: "r2").granted
            #expect(v2 == 0)
            let v3 = try await store.release(key: "k", window: Self.day, count: 2, now: now + 2, release: "x1")
            #expect(v3 == 2)
            // The same release again (a resumed execution) gives nothing back.
            let v4 = try await store.release(key: "k", window: Self.day, count: 2, now: now + 3, release: "x1")
            #expect(v4 == 0)
            let v5 = try await store.reserve(key: "k", window: Self.day, limit: 3, count: 5, now: now + 4, reservation: "r3").granted
            #expect(v5 == 2)
            // Other keys are untouched; more than reserved gives back what there is.
            let v6 = try await store.release(key: "other", window: Self.day, count: 1, now: now + 5, release: "x2")
            #expect(v6 == 0)
            let v7 = try await store.release(key: "k", window: Self.day, count: 10, now: now + 6, release: nil)
            #expect(v7 == 3)
            let v8 = try await store.reserve(key: "k", window: Self.day, limit: 3, count: 5, now: now + 7, reservation: "r4").granted
            #expect(v8 == 3)
        }
    }

    static let workflow: JSONValue = [
        "id": "wf-release", "name": "Release", "settings": ["executionOrder": "v1", "timezone": "UTC"],
        "nodes": [
            ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
            ["name": "Reserve", "type": "flowrun.rateLimit", "typeVersion": 1, "position": [200, 0],
             "parameters": ["key": "={{ $json.sender }}", "limit": 2, "window": "day", "onLimit": "route"]],
            ["name": "Send failed", "type": "n8n-nodes-base.filter", "typeVersion": 2, "position": [400, 0],
             "parameters": ["conditions": ["options": ["caseSensitive": true, "typeValidation": "strict", "version": 1],
                                           "combinator": "and",
                                           "conditions": [["leftValue": "={{ $json.fails }}", "rightValue": "",
                                                           "operator": ["type": "boolean", "operation": "true", "singleValue": true]]]]]],
            ["name": "Release", "type": "flowrun.rateLimit", "typeVersion": 1, "position": [600, 0],
             "parameters": ["operation": "release", "key": "={{ $json.sender }}", "window": "day"]],
        ],
        "connections": [
            "Trigger": ["main": [[["node": "Reserve", "type": "main", "index": 0]]]],
            "Reserve": ["main": [[["node": "Send failed", "type": "main", "index": 0]]]],
            "Send failed": ["main": [[["node": "Release", "type": "main", "index": 0]]]],
        ],
    ]

    @Test("a failed send's unit is released by the node, so the day's limit counts only sends that happened", arguments: [Kind.sqlite, Kind.postgres])
    func releaseNode(kind: Kind) async throws {
        let time = StoreTestTime()
        let graph = try ResilienceFixtures.graph(Self.workflow)
        try await StoreFixtures.withStores(kind == .sqlite ? .sqlite : .postgres, count: 1, time: time) { stores in
            let engine = Engine(configuration: .init(nowMilliseconds: { time.now }, services: NodeServices(store: stores[0])))
            func run(_ id: String, fails: Bool) async throws -> (allowed: Int, released: Int) {
                let result = await engine.run(graph, options: .init(mode: .trigger, input: [Item(json: ["sender": "a@x", "fails": .bool(fails)])], executionID: id))
                #expect(result.error == nil, "\(result.error.map { "\($0)" } ?? "")")
                return (result.runData["Reserve"]?.last?.output?.first?.count ?? 0, result.runData["Release"]?.last?.output?.first?.count ?? 0)
            }
            // First send fails and gives its unit back; then two sends succeed; the fourth is over the limit.
            let v9 = try await run("e1", fails: true)
            #expect(v9 == (1, 1))
            let v10 = try await run("e2", fails: false)
            #expect(v10 == (1, 0))
            let v11 = try await run("e3", fails: false)
            #expect(v11 == (1, 0))
            let v12 = try await run("e4", fails: false)
            #expect(v12 == (0, 0))
        }
    }
}
