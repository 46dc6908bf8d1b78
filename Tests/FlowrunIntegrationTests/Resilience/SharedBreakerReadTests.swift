import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunSQLite
import FlowrunStandIns
import Foundation
import Testing

/// Breakers shared through one SQLite file by two services with their own store connections (as two
/// processes): calls on a closed breaker only read it, and every change is still seen by the other.
@Suite("Shared breakers: reads on the common path")
struct SharedBreakerReadTests {
    @Test("successes on a closed breaker write nothing; failures, resets and an opening are shared between processes")
    func sharedReadPath() async throws {
        let directory = NSTemporaryDirectory() + "flowrun-shared-breaker-\(UInt64.random(in: 1...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storeA = SQLiteStateStore(configuration: .dataDirectory(directory))
        let storeB = SQLiteStateStore(configuration: .dataDirectory(directory))
        defer {
            try? storeA.close()
            try? storeB.close()
        }
        let http = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { server in
            server.script("/ok", always: .json(#"{"ok":true}"#))
            server.script("/down", always: .status(503))
            let observerA = RecordingResilienceObserver()
            let clock = ResilienceFixtures.clock()
            let engineA = ResilienceFixtures.engine(clock: clock, services: NodeServices(
                http: http, resilience: ResilienceFixtures.service(store: storeA, observers: [observerA])))
            let engineB = ResilienceFixtures.engine(clock: clock, services: NodeServices(
                http: http, resilience: ResilienceFixtures.service(store: storeB, observers: [])))
            let flowrun: JSONValue = ["breaker": ["key": "shared-api", "failureThreshold": 3, "coolDownMs": 30000]]
            let ok = try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/ok", flowrun: flowrun)
            let down = try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/down", flowrun: flowrun)

            // Successes on a breaker nobody opened leave the store as it was.
            for id in ["a1", "a2"] { #expect(await engineA.run(ok, options: .init(mode: .trigger, executionID: id)).error == nil) }
            #expect(try await storeB.breaker(key: "shared-api") == nil)

            // A failure in A is counted where B sees it; B's success resets the count for A.
            #expect(await engineA.run(down, options: .init(mode: .trigger, executionID: "a3")).error != nil)
            #expect(try await storeB.breaker(key: "shared-api")?.consecutiveFailures == 1)
            #expect(await engineB.run(ok, options: .init(mode: .trigger, executionID: "b1")).error == nil)
            #expect(try await storeA.breaker(key: "shared-api")?.consecutiveFailures == 0)

            // Three failures in A open the breaker; B fails fast without calling.
            for id in ["a4", "a5", "a6"] { _ = await engineA.run(down, options: .init(mode: .trigger, executionID: id)) }
            #expect(observerA.transitions == [.init(from: .closed, to: .open, target: "shared-api")])
            let okCalls = server.requests(path: "/ok").count
            let rejected = await engineB.run(ok, options: .init(mode: .trigger, executionID: "b2"))
            #expect(rejected.runData["Call API"]?.last?.error?.code == .circuitOpen)
            #expect(server.requests(path: "/ok").count == okCalls)

            // After the cool-down B's probe closes it, for A too.
            try await clock.sleep(for: .seconds(30))
            #expect(await engineB.run(ok, options: .init(mode: .trigger, executionID: "b3")).error == nil)
            let closed = try #require(try await storeA.breaker(key: "shared-api"))
            #expect(closed.state == .closed)
            #expect(closed.isReset)
            #expect(await engineA.run(ok, options: .init(mode: .trigger, executionID: "a7")).error == nil)
        }
        await http.shutdown()
    }
}
