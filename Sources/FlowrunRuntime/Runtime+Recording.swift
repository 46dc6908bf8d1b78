import FlowrunCore
import Logging

// The execution recorder, when executions are recorded in a store that keeps them.
extension Runtime {
    static func executionObservers(
        _ configuration: RuntimeConfiguration, store: (any StateStore)?, logger: Logger
    ) -> [any ExecutionObserver] {
        guard configuration.recordsExecutions, let executions = store as? any ExecutionStore else { return [] }
        if let recorder = ExecutionRecorder.current { return [recorder] }
        return [ExecutionRecorder(store: executions, lease: OwnerLease.current, logger: logger, progress: progress(configuration))]
    }

    /// How soon node runs are written: with a shared store (`storeURL`: queue mode, where another
    /// worker continues an execution from its last checkpoint when its worker dies) after every
    /// node; with the embedded store at the end, or after `deferredFlush` while still running.
    static func progress(_ configuration: RuntimeConfiguration) -> ExecutionRecorder.Progress {
        if let url = configuration.storeURL, !url.isEmpty { return .everyNode }
        return .deferred(flushAfter: deferredFlush)
    }

    /// How long a running execution's finished node runs may stay unwritten.
    static let deferredFlush: Duration = .milliseconds(200)

    /// The recorder among the observers, when executions are recorded.
    public var recorder: ExecutionRecorder? {
        observers.lazy.compactMap { $0 as? ExecutionRecorder }.first
    }

    /// Runs `graph` on `engine` (configured with `observers`), recording it first when this
    /// runtime records executions, so that it is accepted durably before its first node runs.
    ///
    /// - Throws: `StoreError` when the execution cannot be recorded (it does not run then).
    public func execute(_ graph: WorkflowGraph, file: String?, engine: Engine, options: Engine.RunOptions) async throws -> ExecutionResult {
        if let recorder { try await recorder.accept(graph, file: file, options: options) }
        return await engine.run(graph, options: options)
    }
}
