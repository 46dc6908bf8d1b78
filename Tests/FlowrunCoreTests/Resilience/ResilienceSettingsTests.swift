import FlowrunCore
import FlowrunExpressions
import Testing

@Suite("flowrun node resilience settings and the in-memory rate-limit store")
struct ResilienceSettingsTests {
    func node(_ flowrun: String) throws -> NodeDocument {
        var node = NodeDocument(name: "Call API", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2)
        node.fields["flowrun"] = try JSONValue(parsing: flowrun)
        return node
    }

    @Test("retry and breaker settings are read from the node's flowrun key")
    func reads() throws {
        let settings = try NodeResilienceSettings(node: node("""
            {"retry": {"maxAttempts": 6, "baseDelayMs": 250, "maxDelayMs": 8000, "jitter": "none", "retryOn": ["5xx", "timeout"]},
             "breaker": {"key": "credential", "failureThreshold": 5, "coolDownMs": 60000}}
            """))
        #expect(settings.retry == BackoffPolicy(maxAttempts: 6, baseDelay: .milliseconds(250), maxDelay: .seconds(8), jitter: .none, retryOn: [.serverError, .timeout]))
        #expect(settings.breakerKey == .credential)
        #expect(settings.breaker == CircuitBreaker.Configuration(failureThreshold: 5, coolDown: .seconds(60)))
        let plain = NodeDocument(name: "X", type: "n8n-nodes-base.noOp", typeVersion: 1)
        #expect(try Engine.retryPlan(for: plain, default: CallPolicy(maxAttempts: 2)) == CallPolicy(maxAttempts: 2).backoff)
    }

    @Test("malformed settings fail naming the node and the setting")
    func malformed() throws {
        #expect(throws: NodeError.self) { try NodeResilienceSettings(node: node(#"{"retry": {"maxAttempts": "many"}}"#)) }
        let bad = try node(#"{"retry": {"retryOn": ["4xx"]}}"#)
        do {
            _ = try NodeResilienceSettings(node: bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.node == "Call API")
            #expect(error.parameter == "flowrun.retry.retryOn")
            #expect(error.message.contains("\"4xx\""))
        }
        #expect(throws: NodeError.self) { try NodeResilienceSettings(node: node(#"{"breaker": {"threshold": 2}}"#)) }
    }

    @Test("in-memory reservations: fixed window grants up to the limit, idempotent per reservation id")
    func inMemoryFixed() async throws {
        let store = InMemoryRateLimitStore()
        let window = RateLimitWindow.fixed(start: 0, end: 86_400_000)
        let first = try await store.reserve(key: "a@x", window: window, limit: 20, count: 15, now: 10, reservation: "r1")
        #expect(first == RateLimitGrant(granted: 15, retryAt: nil))
        let again = try await store.reserve(key: "a@x", window: window, limit: 20, count: 15, now: 11, reservation: "r1")
        #expect(again == first)
        let second = try await store.reserve(key: "a@x", window: window, limit: 20, count: 10, now: 12, reservation: "r2")
        #expect(second == RateLimitGrant(granted: 5, retryAt: 86_400_000))
        let other = try await store.reserve(key: "b@x", window: window, limit: 20, count: 1, now: 13, reservation: nil)
        #expect(other.granted == 1)
        let nextDay = try await store.reserve(key: "a@x", window: .fixed(start: 86_400_000, end: 172_800_000), limit: 20, count: 3, now: 86_400_001, reservation: nil)
        #expect(nextDay.granted == 3)
    }

    @Test("in-memory reservations: a sliding window frees units as they age out")
    func inMemorySliding() async throws {
        let store = InMemoryRateLimitStore()
        let window = RateLimitWindow.sliding(milliseconds: 1000)
        #expect(try await store.reserve(key: "k", window: window, limit: 2, count: 1, now: 0, reservation: nil).granted == 1)
        #expect(try await store.reserve(key: "k", window: window, limit: 2, count: 1, now: 400, reservation: nil).granted == 1)
        #expect(try await store.reserve(key: "k", window: window, limit: 2, count: 1, now: 999, reservation: nil) == RateLimitGrant(granted: 0, retryAt: 1000))
        #expect(try await store.reserve(key: "k", window: window, limit: 2, count: 2, now: 1000, reservation: nil) == RateLimitGrant(granted: 1, retryAt: 1400))
    }
}
