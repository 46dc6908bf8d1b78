public import FlowrunCore
public import FlowrunNodes
import Foundation
public import Logging
import Synchronization

/// A schedule trigger of a loaded workflow.
public struct ScheduledTrigger: Sendable {
    public var workflow: LoadedWorkflow
    public var nodeName: String
    public var rules: [ScheduleRule]
    public var node: any ScheduleTriggering
    /// `workflowID/node`: the key the scheduler keeps last firings under.
    public var key: String { "\(workflow.id)/\(nodeName)" }
}

/// The workflows being served and what they register (webhooks, schedules), swapped atomically
/// on reload. A file that fails to load keeps its previous version, with the diagnostics logged.
public final class WorkflowSet: Sendable {
    struct Snapshot {
        var workflows: [String: LoadedWorkflow] = [:]
        var failures: [String: WorkflowFiles.LoadFailure] = [:]
        var webhooks = WebhookTable()
        var schedules: [ScheduledTrigger] = []
    }

    /// What one reload did.
    public struct ReloadReport: Sendable {
        public var loaded: [String] = []
        public var removed: [String] = []
        public var failed: [WorkflowFiles.LoadFailure] = []
        public var unchanged = 0
    }

    let paths: [String]
    let registry: NodeRegistry
    let environment: [String: String]
    let http: (any HTTPTransport)?
    let logger: Logger
    private let state = Mutex(Snapshot())

    public init(paths: [String], registry: NodeRegistry = .builtIn, environment: [String: String], http: (any HTTPTransport)?, logger: Logger) {
        self.paths = paths
        self.registry = registry
        self.environment = environment
        self.http = http
        self.logger = logger
    }

    public var webhooks: WebhookTable { state.withLock { $0.webhooks } }
    public var schedules: [ScheduledTrigger] { state.withLock { $0.schedules } }
    public var workflows: [LoadedWorkflow] { state.withLock { Array($0.workflows.values) } }
    /// Files whose latest version did not load (their previous version, if any, is still served).
    public var failures: [WorkflowFiles.LoadFailure] { state.withLock { Array($0.failures.values) } }

    /// Reads files that are new or changed since the last reload and rebuilds the registrations.
    @discardableResult
    public func reload() async -> ReloadReport {
        var report = ReloadReport()
        let current = state.withLock { $0 }
        var workflows = current.workflows
        var failures = current.failures
        let files = WorkflowFiles.files(in: paths)
        for file in files {
            let modified = WorkflowFiles.modificationDate(file)
            if let known = workflows[file], known.modified == modified, failures[file] == nil {
                report.unchanged += 1
                continue
            }
            if failures[file]?.modified == modified {
                report.unchanged += 1
                continue
            }
            switch WorkflowFiles.load(file, registry: registry) {
            case .success(let workflow):
                workflows[file] = workflow
                failures[file] = nil
                report.loaded.append(file)
                for warning in workflow.warnings {
                    logger.warning("Workflow loaded with a warning", metadata: ["flowrun.file": "\(file)", "flowrun.diagnostic": "\(warning)"])
                }
            case .failure(var failure):
                failure.modified = modified
                failures[file] = failure
                report.failed.append(failure)
                logger.error("Workflow not loaded", metadata: [
                    "flowrun.file": "\(file)", "flowrun.kept.previous": "\(workflows[file] != nil)",
                    "flowrun.diagnostics": "\(failure.diagnostics.joined(separator: "; "))",
                ])
            }
        }
        let present = Set(files)
        for file in workflows.keys where !present.contains(file) {
            workflows[file] = nil
            report.removed.append(file)
        }
        for file in failures.keys where !present.contains(file) { failures[file] = nil }
        var next = Snapshot(workflows: workflows, failures: failures)
        await register(into: &next)
        state.withLock { $0 = next }
        return report
    }

    private func register(into snapshot: inout Snapshot) async {
        for file in snapshot.workflows.keys.sorted() {
            guard let workflow = snapshot.workflows[file] else { continue }
            for node in workflow.graph.nodes where !node.disabled {
                if node.type == "n8n-nodes-base.webhook" {
                    let spec = WebhookTriggerSpec(parameters: node.document.parameters, typeVersion: node.typeVersion, nodeName: node.name)
                    let gateway = GatewayOptions(node: node, environment: environment) { path in
                        try? String(contentsOfFile: path, encoding: .utf8)
                    }
                    var endpoint = WebhookEndpoint(workflow: workflow, node: node, spec: spec, gateway: gateway)
                    for problem in gateway.problems + spec.problems {
                        logger.error("Webhook option ignored", metadata: ["flowrun.file": "\(file)", "flowrun.node.name": "\(node.name)", "flowrun.problem": "\(problem)"])
                    }
                    if let jwt = gateway.jwt {
                        do {
                            endpoint.jwtVerifier = try await JWTVerifier(options: jwt, http: http)
                        } catch {
                            logger.error("Webhook not registered", metadata: ["flowrun.file": "\(file)", "flowrun.node.name": "\(node.name)", "flowrun.problem": "\(error)"])
                            continue
                        }
                    }
                    let conflicts = snapshot.webhooks.add(endpoint)
                    if !conflicts.isEmpty {
                        logger.error("Webhook path already taken", metadata: ["flowrun.file": "\(file)", "flowrun.node.name": "\(node.name)", "flowrun.webhook": "\(conflicts.joined(separator: ", "))"])
                    }
                } else if let trigger = node.implementation as? any ScheduleTriggering {
                    snapshot.schedules.append(ScheduledTrigger(workflow: workflow, nodeName: node.name, rules: trigger.rules, node: trigger))
                }
            }
        }
    }
}
