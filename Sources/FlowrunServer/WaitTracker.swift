import FlowrunCore
import FlowrunRuntime
import Logging
import ServiceLifecycle

/// n8n's `WaitTracker`: resumes recorded waiting executions whose wait limit passed (Wait nodes
/// with `limitWaitTime`), the Wait node passing its input on. Checks the execution store every
/// `interval` on `clock`; each execution is claimed atomically, so several servers may run one.
struct WaitTracker: Service {
    let waiting: WaitingWebhooks
    let clock: any Clock<Duration>
    let interval: Duration
    let now: @Sendable () -> Double

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await resumeDue()
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Resumes every execution whose limit is at or before now.
    func resumeDue() async {
        let due: [WaitingExecution]
        do {
            due = try await waiting.runtime.waitingExecutions(dueBy: now())
        } catch {
            waiting.logger.info("Waiting executions not read", metadata: ["flowrun.error": "\(error)"])
            return
        }
        for execution in due {
            guard let workflow = waiting.workflow(for: execution.record) else {
                waiting.logger.info("Waiting execution's workflow not found", metadata: ["flowrun.execution.id": "\(execution.record.id)"])
                continue
            }
            _ = await waiting.resume(execution, workflow: workflow, items: nil, spec: nil, method: "GET")
        }
    }
}
