public import CoreMetrics
import FlowrunCore
import Foundation
import Synchronization

/// The server's metrics, made through one factory (the Prometheus one in `flowrun serve`, a test
/// factory in tests). Names follow `flowrun.<noun>[.<qualifier>]` with bounded dimensions; in
/// Prometheus the dots become underscores (`flowrun_executions_total`…, docs/configuration.md).
///
/// Handles are made once per label and dimensions and then reused (`MetricHandles`): making one
/// goes through the factory's name sanitising and registry lookup, which per request cost more
/// than the request's own work in the benchmark's profile.
public struct ServerMetrics: Sendable {
    private let explicitFactory: (any MetricsFactory)?
    private let handles = MetricHandles()

    /// The factory metrics are made with.
    public var factory: any MetricsFactory { explicitFactory ?? MetricsSystem.factory }

    /// - Parameter factory: nil uses `MetricsSystem.factory` at the time each metric is made, so
    ///   metrics set up before the executable bootstraps the metrics system still reach it.
    public init(factory: (any MetricsFactory)? = nil) {
        self.explicitFactory = factory
    }

    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
        let factory = self.factory
        return handles.handle(.counter, label, dimensions, factory: factory) { Counter(label: label, dimensions: dimensions, factory: factory) }
    }

    func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> Gauge {
        let factory = self.factory
        return handles.handle(.gauge, label, dimensions, factory: factory) { Gauge(label: label, dimensions: dimensions, factory: factory) }
    }

    func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        let factory = self.factory
        return handles.handle(.timer, label, dimensions, factory: factory) {
            CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory)
        }
    }

    /// `flowrun.queue.depth`: executions waiting in the queue (queue mode), as the queue reports it.
    public func queueDepth(_ depth: Int) {
        gauge("flowrun.queue.depth").record(depth)
    }

    /// `flowrun.breaker.transitions{target, state}`: a breaker entered `state` (open, half_open,
    /// closed); `flowrun.breaker.state{target}`: its state now (0 closed, 1 half-open, 2 open).
    func breakerTransition(target: String, to state: CircuitBreaker.State) {
        let name: String
        let value: Int
        switch state {
        case .closed: (name, value) = ("closed", 0)
        case .halfOpen: (name, value) = ("half_open", 1)
        case .open: (name, value) = ("open", 2)
        }
        counter("flowrun.breaker.transitions", [("target", target), ("state", name)]).increment()
        gauge("flowrun.breaker.state", [("target", target)]).record(value)
    }

    /// `flowrun.retries{target}`: retries scheduled by the resilience service.
    func retryScheduled(target: String) {
        counter("flowrun.retries", [("target", target)]).increment()
    }

    /// `flowrun.ratelimit.rejections{workflow, source}`: requests the gateway answered 429
    /// (`source=gateway`) and items a Rate Limit node routed to "over limit" or failed on
    /// (`source=node`).
    func rateLimitRejected(workflow: String, source: String, count: Int = 1) {
        guard count > 0 else { return }
        counter("flowrun.ratelimit.rejections", [("workflow", workflow), ("source", source)]).increment(by: count)
    }

    /// `flowrun.executions{workflow, status}`: finished executions.
    func executionFinished(workflow: String, status: String) {
        counter("flowrun.executions", [("workflow", workflow), ("status", status)]).increment()
    }

    /// `flowrun.node.duration{type, status}`.
    func nodeFinished(type: String, status: String, milliseconds: Double) {
        timer("flowrun.node.duration", [("type", type), ("status", status)]).recordNanoseconds(Int64(milliseconds * 1_000_000))
    }

    /// `flowrun.webhook.duration{workflow, status}`: request to response.
    func webhookAnswered(workflow: String, status: Int, nanoseconds: Int64) {
        timer("flowrun.webhook.duration", [("workflow", workflow), ("status", String(status))]).recordNanoseconds(nanoseconds)
    }

    /// `flowrun.webhook.rejections{workflow, reason}`: auth, rate limit (`reason=rate_limit`, also
    /// counted as `flowrun.ratelimit.rejections{source=gateway}`), body size, schema.
    func webhookRejected(workflow: String, reason: String) {
        counter("flowrun.webhook.rejections", [("workflow", workflow), ("reason", reason)]).increment()
        if reason == "rate_limit" { rateLimitRejected(workflow: workflow, source: "gateway") }
    }

    /// `flowrun.executions.running`: executions in progress in this process.
    func running(_ count: Int) {
        gauge("flowrun.executions.running").record(count)
    }

    /// `flowrun.schedule.fires{workflow}`.
    func scheduleFired(workflow: String) {
        counter("flowrun.schedule.fires", [("workflow", workflow)]).increment()
    }

    /// `flowrun.workflows.loaded` and `flowrun.workflows.failed` after each reload.
    func workflows(loaded: Int, failed: Int) {
        gauge("flowrun.workflows.loaded").record(loaded)
        gauge("flowrun.workflows.failed").record(failed)
    }
}

/// Metric handles by kind, label and dimensions, made on first use. The factory's type is part of
/// the key, so handles made before `MetricsSystem.bootstrap` (the no-op factory) are not reused
/// after it. Bounded: past `limit` entries, handles are made per use as before.
final class MetricHandles: Sendable {
    enum Kind: UInt8 { case counter, gauge, timer }

    struct Key: Hashable {
        var kind: Kind
        var factory: ObjectIdentifier
        var label: String
        var dimensions: [String]
    }

    static let limit = 10_000
    private let handles = Mutex<[Key: any Sendable]>([:])

    func handle<H: Sendable>(
        _ kind: Kind, _ label: String, _ dimensions: [(String, String)], factory: any MetricsFactory, make: () -> H
    ) -> H {
        var flat: [String] = []
        flat.reserveCapacity(dimensions.count * 2)
        for (name, value) in dimensions {
            flat.append(name)
            flat.append(value)
        }
        let key = Key(kind: kind, factory: ObjectIdentifier(type(of: factory)), label: label, dimensions: flat)
        if let known = handles.withLock({ $0[key] }) as? H { return known }
        let made = make()
        return handles.withLock { table in
            if let known = table[key] as? H { return known }
            if table.count < Self.limit { table[key] = made }
            return made
        }
    }
}

/// Feeds node and execution outcomes of one execution into `ServerMetrics`.
struct MetricsObserver: ExecutionObserver {
    let metrics: ServerMetrics
    let workflowID: String
    let nodeTypes: [String: String]

    init(metrics: ServerMetrics, workflow: LoadedWorkflow) {
        self.metrics = metrics
        self.workflowID = workflow.id
        self.nodeTypes = workflow.nodeTypes
    }

    func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {
        let type = nodeTypes[node] ?? "unknown"
        metrics.nodeFinished(type: type, status: record.status.rawValue, milliseconds: record.executionTime)
        if type == Self.rateLimitType {
            // Route mode: the second output holds the items over the limit; fail mode: the node's error.
            let routed = (record.output?.count ?? 0) > 1 ? record.output?[1].count ?? 0 : 0
            let failed = record.error?.code == .rateLimited ? 1 : 0
            metrics.rateLimitRejected(workflow: workflowID, source: "node", count: routed + failed)
        }
    }

    static let rateLimitType = "flowrun.rateLimit"

    func executionFinished(_ result: ExecutionResult) async {
        metrics.executionFinished(workflow: workflowID, status: result.status.rawValue)
    }
}
