import Foundation
import Logging
public import ServiceLifecycle
import UnixSignals

/// Reloads changed workflow files on SIGHUP and every `pollInterval` (file modification times);
/// a file that no longer loads keeps its previous version (`WorkflowSet.reload`).
public struct ReloadService: Service {
    let workflows: WorkflowSet
    let clock: any Clock<Duration>
    /// nil: only on SIGHUP.
    let pollInterval: Duration?
    let handlesSIGHUP: Bool
    let metrics: ServerMetrics
    let logger: Logger

    public init(
        workflows: WorkflowSet, clock: any Clock<Duration>, pollInterval: Duration?, handlesSIGHUP: Bool = true,
        metrics: ServerMetrics, logger: Logger
    ) {
        self.workflows = workflows
        self.clock = clock
        self.pollInterval = pollInterval
        self.handlesSIGHUP = handlesSIGHUP
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try await cancelOnGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                if handlesSIGHUP {
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) { await reload(reason: "SIGHUP") }
                    }
                }
                if let pollInterval {
                    group.addTask {
                        while !Task.isCancelled {
                            try await clock.sleep(for: pollInterval)
                            await reload(reason: "poll")
                        }
                    }
                }
            }
        }
    }

    func reload(reason: String) async {
        let report = await workflows.reload()
        metrics.workflows(loaded: workflows.workflows.count, failed: workflows.failures.count)
        guard !report.loaded.isEmpty || !report.removed.isEmpty || !report.failed.isEmpty else { return }
        logger.notice("Workflows reloaded", metadata: [
            "flowrun.reload.reason": "\(reason)", "flowrun.reload.loaded": "\(report.loaded.joined(separator: ","))",
            "flowrun.reload.removed": "\(report.removed.joined(separator: ","))",
            "flowrun.reload.failed": "\(report.failed.map(\.file).joined(separator: ","))",
        ])
    }
}
