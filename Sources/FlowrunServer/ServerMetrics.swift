public import CoreMetrics
import FlowrunCore
import Foundation

/// The server's metrics, made through one factory (the Prometheus one in `flowrun serve`, a test
/// factory in tests). Names follow `flowrun.<noun>[.<qualifier>]` with bounded dimensions; in
/// Prometheus the dots become underscores (`flowrun_executions_total`…, docs/configuration.md).
public struct ServerMetrics: Sendable {
    private let explicitFactory: (any MetricsFactory)?

    /// The factory metrics are made with.
    public var factory: any MetricsFactory { explicitFactory ?? MetricsSystem.factory }

    /// - Parameter factory: nil uses `MetricsSystem.factory` at the time each metric is made, so
    ///   metrics set up before the executable bootstraps the metrics system still reach it.
    public init(factory: (any MetricsFactory)? = nil) {
        self.explicitFactory = factory
    }

    /// `flowrun.queue.depth`: executions waiting in the queue (queue mode), as the queue reports it.
    public func queueDepth(_ depth: Int) {
        Gauge(label: "flowrun.queue.depth", factory: factory).record(depth)
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
        Counter(label: "flowrun.breaker.transitions", dimensions: [("target", target), ("state", name)], factory: factory).increment()
        Gauge(label: "flowrun.breaker.state", dimensions: [("target", target)], factory: factory).record(value)
    }

    /// `flowrun.retries{target}`: retries scheduled by the resilience service.
    func retryScheduled(target: String) {
        Counter(label: "flowrun.retries", dimensions: [("target", target)], factory: factory).increment()
    }

    /// `flowrun.ratelimit.rejections{workflow, source}`: requests the gateway answered 429
    /// (`source=gateway`) and items a Rate Limit node routed to "over limit" or failed on
    /// (`source=node`).
    func rateLimitRejected(workflow: String, source: String, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: "flowrun.ratelimit.rejections", dimensions: [("workflow", workflow), ("source", source)], factory: factory)
            .increment(by: count)
    }

    /// `flowrun.executions{workflow, status}`: finished executions.
    func executionFinished(workflow: String, status: String) {
        Counter(label: "flowrun.executions", dimensions: [("workflow", workflow), ("status", status)], factory: factory).increment()
    }

    /// `flowrun.node.duration{type, status}`.
    func nodeFinished(type: String, status: String, milliseconds: Double) {
        CoreMetrics.Timer(label: "flowrun.node.duration", dimensions: [("type", type), ("status", status)], factory: factory)
            .recordNanoseconds(Int64(milliseconds * 1_000_000))
    }

    /// `flowrun.webhook.duration{workflow, status}`: request to response.
    func webhookAnswered(workflow: String, status: Int, nanoseconds: Int64) {
        CoreMetrics.Timer(label: "flowrun.webhook.duration", dimensions: [("workflow", workflow), ("status", String(status))], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// `flowrun.webhook.rejections{workflow, reason}`: auth, rate limit (`reason=rate_limit`, also
    /// counted as `flowrun.ratelimit.rejections{source=gateway}`), body size, schema.
    func webhookRejected(workflow: String, reason: String) {
        Counter(label: "flowrun.webhook.rejections", dimensions: [("workflow", workflow), ("reason", reason)], factory: factory).increment()
        if reason == "rate_limit" { rateLimitRejected(workflow: workflow, source: "gateway") }
    }

    /// `flowrun.executions.running`: executions in progress in this process.
    func running(_ count: Int) {
        Gauge(label: "flowrun.executions.running", factory: factory).record(count)
    }

    /// `flowrun.schedule.fires{workflow}`.
    func scheduleFired(workflow: String) {
        Counter(label: "flowrun.schedule.fires", dimensions: [("workflow", workflow)], factory: factory).increment()
    }

    /// `flowrun.workflows.loaded` and `flowrun.workflows.failed` after each reload.
    func workflows(loaded: Int, failed: Int) {
        Gauge(label: "flowrun.workflows.loaded", factory: factory).record(loaded)
        Gauge(label: "flowrun.workflows.failed", factory: factory).record(failed)
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
        var types: [String: String] = [:]
        for node in workflow.graph.nodes { types[node.name] = node.type }
        self.nodeTypes = types
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
