import FlowrunCore
import Logging

/// Wraps the execution recorder of a served execution: when the server's grace period ends and
/// the execution is cancelled, its end is not recorded, so the record stays unfinished under this
/// process as owner, and the next start's crash recovery marks it crashed or resumes it (when the
/// workflow sets `settings.flowrun.resumeOnCrash`) instead of it being lost as canceled.
struct KeepsUnfinishedOnShutdown: ExecutionObserver {
    let recorder: any ExecutionObserver
    let isShuttingDown: @Sendable () -> Bool
    let logger: Logger

    func executionStarted(id: String, graph: WorkflowGraph, mode: ExecutionMode) async { await recorder.executionStarted(id: id, graph: graph, mode: mode) }

    func nodeStarted(_ run: ExecutionState.NodeRun, executionID: String) async { await recorder.nodeStarted(run, executionID: executionID) }

    func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {
        await recorder.nodeFinished(node, record: record, executionID: executionID)
    }

    func checkpoint(_ state: ExecutionState, executionID: String) async { await recorder.checkpoint(state, executionID: executionID) }

    func executionFinished(_ result: ExecutionResult) async {
        if result.status == .canceled, isShuttingDown() {
            logger.notice("Execution cut short by the shutdown; left for recovery at the next start", metadata: [
                "flowrun.execution.id": "\(result.executionID)", "flowrun.node.name": "\(result.lastNodeExecuted ?? "")",
            ])
            return
        }
        await recorder.executionFinished(result)
    }
}
