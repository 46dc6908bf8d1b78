public import FlowrunCore
import FlowrunRuntime
import Logging

/// Error workflows of served executions: after an execution ends in error, the workflow's
/// `settings.errorWorkflow` (or its own Error Trigger) is started with n8n's error data, as n8n's
/// `executeErrorWorkflow` does after every failed execution that was not started by hand.
public enum ServedErrorWorkflows {
    /// Starts the error workflow of `workflow` when `result` failed, and waits for it to end.
    /// Failures to start it are logged (the failed execution's id on every line), never thrown.
    ///
    /// - Parameters:
    ///   - mode: the failed execution's mode; `manual` (test webhooks) starts none, as in n8n.
    ///   - engine: the configuration the failed execution ran with, logger included; its observers
    ///     also see the error workflow's execution (the recorder records it).
    /// - Returns: the error workflow's result, nil when none ran.
    @discardableResult
    public static func launch(
        after result: ExecutionResult, of workflow: LoadedWorkflow, mode: ExecutionMode, engine: Engine.Configuration, retryOf: String? = nil
    ) async -> ExecutionResult? {
        guard result.status == .error, result.error != nil, mode != .manual, mode != .dryRun else { return nil }
        let logger = engine.logger
        let launcher = ErrorWorkflowLauncher(configuration: .init(
            baseDirectory: workflow.directory, editorBaseURL: engine.environment["FLOWRUN_EDITOR_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }))
        do {
            let errorResult = try await launcher.launch(after: result, of: workflow.graph.document, mode: mode, engine: engine, retryOf: retryOf)
            if let errorResult {
                logger.info("Error workflow finished", metadata: [
                    "flowrun.error_workflow.execution.id": "\(errorResult.executionID)",
                    "flowrun.error_workflow.status": "\(errorResult.status.rawValue)",
                ])
            }
            return errorResult
        } catch {
            logger.warning("Error workflow could not start", metadata: ["flowrun.workflow.id": "\(workflow.id)", "flowrun.error": "\(error)"])
            return nil
        }
    }
}
