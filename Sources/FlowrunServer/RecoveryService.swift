import FlowrunCore
import FlowrunNodes
import FlowrunRuntime
import Foundation
import Logging
import ServiceLifecycle

/// At start, takes over the executions a previous process left unfinished when that process is
/// gone (`Runtime.recoverExecutions`): marks them crashed, or resumes them from their last
/// checkpoint when their workflow sets `settings.flowrun.resumeOnCrash`. Executions of processes
/// that are still alive (another `serve` on the same store) are left alone.
///
/// Resumed executions run to their end in this service; a graceful shutdown lets them finish
/// within the server's grace period. A failed resumed execution starts its error workflow.
struct RecoveryService: Service {
    let runtime: Runtime
    let engineConfiguration: Engine.Configuration
    let metrics: ServerMetrics
    let enabled: Bool
    let logger: Logger

    func run() async throws {
        guard enabled else { return }
        let report: RecoveryReport
        do {
            report = try await runtime.recoverExecutions(resume: true) { file in engine(for: file) }
        } catch {
            logger.error("Crash recovery failed", metadata: ["flowrun.error": "\(error)"])
            return
        }
        if !report.crashed.isEmpty || !report.resumed.isEmpty {
            logger.notice("Executions recovered", metadata: [
                "flowrun.recovery.crashed": "\(report.crashed.count)", "flowrun.recovery.resumed": "\(report.resumed.count)",
                "flowrun.recovery.running_elsewhere": "\(report.running.count)",
            ])
        }
        for id in report.crashed {
            // Crashed executions never reach an observer: count them here.
            if let record = try? await runtime.services.executionStore?.execution(id: id) {
                metrics.executionFinished(workflow: record.workflowID ?? "unknown", status: ExecutionRecord.Status.crashed.rawValue)
            }
        }
        for result in report.resumed where result.status == .error {
            guard let record = try? await runtime.services.executionStore?.execution(id: result.executionID),
                let file = record.workflowFile, let graph = try? Runtime.loadGraph(file)
            else { continue }
            var configuration = engineConfiguration
            configuration.logger[metadataKey: "flowrun.execution.id"] = "\(result.executionID)"
            let workflow = LoadedWorkflow(file: file, graph: graph, modified: Date())
            await ServedErrorWorkflows.launch(after: result, of: workflow, mode: ExecutionMode(record.mode), engine: configuration)
        }
    }

    /// The engine a recovered execution of `file` resumes on: the server's configuration, the
    /// workflow's metrics, sub-workflows next to the file.
    func engine(for file: String) -> Engine {
        var configuration = engineConfiguration
        configuration.logger[metadataKey: "flowrun.recovery"] = "resumed"
        if let graph = try? Runtime.loadGraph(file) {
            configuration.observers.append(MetricsObserver(metrics: metrics, workflow: LoadedWorkflow(file: file, graph: graph, modified: Date())))
        }
        let directory = (file as NSString).deletingLastPathComponent
        configuration.subworkflows = FileSubworkflowRunner(
            registry: .builtIn, baseDirectory: directory.isEmpty ? "." : directory, engineConfiguration: configuration)
        return Engine(configuration: configuration)
    }
}
