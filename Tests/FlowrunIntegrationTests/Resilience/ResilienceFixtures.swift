import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunNodes
import Foundation
import Synchronization
import Testing

/// What the resilience service reported: retry waits and breaker transitions, in order.
final class RecordingResilienceObserver: ResilienceObserver {
    struct Retry: Hashable { var attempt: Int; var delay: Duration }
    struct State: Hashable { var from: CircuitBreaker.State; var to: CircuitBreaker.State; var target: String }
    private let retriesValue = Mutex<[Retry]>([])
    private let transitionsValue = Mutex<[State]>([])

    var retries: [Retry] { retriesValue.withLock { $0 } }
    var transitions: [State] { transitionsValue.withLock { $0 } }

    func retryScheduled(target: String, attempt: Int, delay: Duration, error: any Error, context: ExecutionContext) async {
        retriesValue.withLock { $0.append(Retry(attempt: attempt, delay: delay)) }
    }

    func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async {
        transitionsValue.withLock { $0.append(State(from: transition.from, to: transition.to, target: target)) }
    }
}

enum ResilienceFixtures {
    static let start = 1_800_000_000_000.0

    static func graph(_ workflow: JSONValue) throws -> WorkflowGraph {
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "resilience.json")
        let document = try #require(loaded.document)
        return WorkflowGraph.build(document, registry: .builtIn).graph
    }

    /// Trigger → HTTP Request (GET `url`) with the node's `flowrun` settings.
    static func httpWorkflow(url: String, flowrun: JSONValue, settings: JSONObject = [:], options: JSONObject = [:]) throws -> WorkflowGraph {
        var s: JSONObject = ["executionOrder": "v1"]
        for (k, v) in settings { s[k] = v }
        return try graph([
            "id": "wf-resilience", "name": "Resilience test", "settings": .object(s),
            "nodes": [
                ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Call API", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [200, 0],
                 "parameters": ["url": .string(url), "options": .object(options)], "flowrun": flowrun],
            ],
            "connections": ["Trigger": ["main": [[["node": "Call API", "type": "main", "index": 0]]]]],
        ])
    }

    static func engine(clock: VirtualClock, services: NodeServices) -> Engine {
        Engine(configuration: .init(clock: clock, nowMilliseconds: { clock.milliseconds() }, services: services))
    }

    static func clock() -> VirtualClock { VirtualClock(wallClock: { start }) }

    /// The service with jitter fixed at `random` (full jitter × 0.5 halves every delay).
    static func service(
        random: Double = 0.5, store: (any BreakerStore)? = nil, observers: [any ResilienceObserver]
    ) -> CircuitBreakerService {
        var configuration = CircuitBreakerService.Configuration()
        configuration.unitRandom = { random }
        return CircuitBreakerService(configuration: configuration, store: store, observers: observers)
    }

    static func elapsed(_ clock: VirtualClock) -> Double { clock.milliseconds() - start }
}
