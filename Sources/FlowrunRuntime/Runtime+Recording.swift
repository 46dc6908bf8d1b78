import FlowrunCore
import Logging

// The execution recorder, when executions are recorded in a store that keeps them.
extension Runtime {
    static func executionObservers(
        _ configuration: RuntimeConfiguration, store: (any StateStore)?, logger: Logger
    ) -> [any ExecutionObserver] {
        guard configuration.recordsExecutions, let executions = store as? any ExecutionStore else { return [] }
        return [ExecutionRecorder(store: executions, lease: OwnerLease.current, logger: logger)]
    }

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
