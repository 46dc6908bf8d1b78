import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunStandIns
import Foundation
import Logging
import Testing

/// Retries through the HTTP Request node against a faulty local server, on a virtual clock.
@Suite("Retry schedules against a faulty server")
struct RetryScheduleTests {
    let retry: JSONValue = ["retry": ["maxAttempts": 5, "baseDelayMs": 100, "maxDelayMs": 1000, "jitter": "full"], "breaker": false]

    @Test("fails twice with 503, then succeeds: waits 50 ms and 100 ms (full jitter × 0.5)")
    func failsTwice() async throws {
        try await AsyncHTTPClientTransport.withTransport(logger: .init(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })) { http in
            try await TestHTTPServer.withRunning { server in
                server.script("/flaky", fail: 2, with: .status(503), then: .json(#"{"ok":true}"#))
                let observer = RecordingResilienceObserver()
                let clock = ResilienceFixtures.clock()
                let services = NodeServices(http: http, resilience: ResilienceFixtures.service(observers: [observer]))
                let result = await ResilienceFixtures.engine(clock: clock, services: services)
                    .run(try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/flaky", flowrun: retry))
                #expect(result.error == nil)
                #expect(server.requests(path: "/flaky").count == 3)
                #expect(observer.retries == [.init(attempt: 1, delay: .milliseconds(50)), .init(attempt: 2, delay: .milliseconds(100))])
                #expect(ResilienceFixtures.elapsed(clock) == 150)
            }
        }
    }

    @Test("429 with Retry-After: 2 waits two seconds, the larger of backoff and Retry-After")
    func retryAfter() async throws {
        try await AsyncHTTPClientTransport.withTransport(logger: .init(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })) { http in
            try await TestHTTPServer.withRunning { server in
                server.script("/limited", [.tooManyRequests(retryAfter: 2), .tooManyRequests(retryAfter: 0)], then: .json(#"{"ok":true}"#))
                let observer = RecordingResilienceObserver()
                let clock = ResilienceFixtures.clock()
                let services = NodeServices(http: http, resilience: ResilienceFixtures.service(observers: [observer]))
                let result = await ResilienceFixtures.engine(clock: clock, services: services)
                    .run(try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/limited", flowrun: retry))
                #expect(result.error == nil)
                #expect(server.requests(path: "/limited").count == 3)
                #expect(observer.retries == [.init(attempt: 1, delay: .seconds(2)), .init(attempt: 2, delay: .milliseconds(100))])
            }
        }
    }

    @Test("a hanging request times out and a dropped connection fails; both are retried")
    func hangsAndDrops() async throws {
        try await AsyncHTTPClientTransport.withTransport(logger: .init(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })) { http in
            try await TestHTTPServer.withRunning { server in
                server.script("/bad", [.hang, .closeMidResponse], then: .json(#"{"ok":true}"#))
                let observer = RecordingResilienceObserver()
                let clock = ResilienceFixtures.clock()
                let services = NodeServices(http: http, resilience: ResilienceFixtures.service(observers: [observer]))
                let result = await ResilienceFixtures.engine(clock: clock, services: services)
                    .run(try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/bad", flowrun: retry, options: ["timeout": 2000]))
                #expect(result.error == nil)
                #expect(server.requests(path: "/bad").count == 3)
                #expect(observer.retries.map(\.delay) == [.milliseconds(50), .milliseconds(100)])
            }
        }
    }

    @Test("4xx validation errors are not retried; retries end after maxAttempts")
    func notRetried() async throws {
        try await AsyncHTTPClientTransport.withTransport(logger: .init(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })) { http in
            try await TestHTTPServer.withRunning { server in
                server.script("/invalid", always: .json(#"{"error":"bad email"}"#, status: 422))
                server.script("/down", always: .status(500))
                let observer = RecordingResilienceObserver()
                let clock = ResilienceFixtures.clock()
                let services = NodeServices(http: http, resilience: ResilienceFixtures.service(observers: [observer]))
                let engine = ResilienceFixtures.engine(clock: clock, services: services)
                let invalid = await engine.run(try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/invalid", flowrun: retry))
                #expect(invalid.error != nil)
                #expect(server.requests(path: "/invalid").count == 1)
                #expect(observer.retries.isEmpty)
                let down = await engine.run(try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/down", flowrun: retry))
                #expect(down.error != nil)
                #expect(server.requests(path: "/down").count == 5)
                #expect(observer.retries.map(\.delay) == [50, 100, 200, 400].map { Duration.milliseconds($0) })
            }
        }
    }
}
