public import CoreMetrics
import FlowrunCore
import Foundation

/// The server's metrics, made through one factory (the Prometheus one in `flowrun serve`, a test
/// factory in tests). Names follow `flowrun.<noun>[.<qualifier>]` with bounded dimensions.
public struct ServerMetrics: Sendable {
    public let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
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
    /// counted as `flowrun.ratelimit.rejections`), body size, schema.
    func webhookRejected(workflow: String, reason: String) {
        Counter(label: "flowrun.webhook.rejections", dimensions: [("workflow", workflow), ("reason", reason)], factory: factory).increment()
        if reason == "rate_limit" {
            Counter(label: "flowrun.ratelimit.rejections", dimensions: [("workflow", workflow)], factory: factory).increment()
        }
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
        metrics.nodeFinished(type: nodeTypes[node] ?? "unknown", status: record.status.rawValue, milliseconds: record.executionTime)
    }

    func executionFinished(_ result: ExecutionResult) async {
        metrics.executionFinished(workflow: workflowID, status: result.status.rawValue)
    }
}
