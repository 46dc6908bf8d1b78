public import FlowrunCore

extension Runtime {
    /// Runs a recorded execution again from its start, with its recorded start node and trigger
    /// input, as a new execution whose record names the original (`retryOf`).
    ///
    /// - Throws: `StoreError` `.notFound` for an unknown id or a workflow file that no longer loads.
    public func retryExecution(id: String, makeEngine: (String) -> Engine) async throws -> ExecutionResult {
        guard let store = services.executionStore else {
            throw StoreError(.unavailable, "retry \(id): executions are not recorded in this configuration")
        }
        guard let original = try await store.execution(id: id) else { throw StoreError(.notFound, "retry: no execution with id \(id)") }
        guard let file = original.workflowFile else {
            throw StoreError(.notFound, "retry \(id): the execution did not record its workflow file")
        }
        let graph = try Self.loadGraph(file)
        let options = Self.runOptions(original, graph: graph, executionID: String(UInt64.random(in: 1...UInt64.max), radix: 36))
        if let recorder { try await recorder.accept(graph, file: file, options: options, retryOf: id) }
        return await makeEngine(file).run(graph, options: options)
    }
}
