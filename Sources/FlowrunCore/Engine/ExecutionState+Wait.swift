public import FlowrunExpressions

/// Waiting executions, as n8n handles `putExecutionToWait`: the node's run is recorded with its
/// input as output, its stack entry goes back to the front, and the execution stops. On resume the
/// recorded run is removed and the node runs again as a pass-through of its new input (n8n sets
/// the node `disabled` and, for a webhook call, replaces its input with the request's item).
extension ExecutionState {
    /// Records `run` as put to wait and puts its entry back to run again on resume.
    mutating func suspend(_ run: NodeRun, waitTill: Double?, startTime: Double, endTime: Double) {
        let passed: [[Item]] = [(run.input.first ?? nil) ?? []]
        let record = NodeRunRecord(
            startTime: startTime, executionTime: endTime - startTime, executionIndex: run.executionIndex,
            source: run.source ?? [], input: run.input, output: Self.assignPairedItems(passed, input: run.input),
            status: .success, error: nil)
        runData[run.node, default: []].append(record)
        finishedOrder.append(run.node)
        lastNodeExecuted = run.node
        stack.insert(run.entry, at: 0)
        suspension = Suspension(node: run.node, waitTill: waitTill)
    }

    /// The state that continues this waiting execution: the waiting node outputs `items` (the
    /// webhook request's item), or its original input when `items` is nil (the wait time ran out),
    /// then its children run.
    ///
    /// - Throws: `ExecutionFailure` `.invalidStart` when the state is not waiting.
    public func resumingWait(with items: [Item]?) throws(ExecutionFailure) -> ExecutionState {
        guard let suspension, let entry = stack.first, entry.node == suspension.node else {
            throw ExecutionFailure(.invalidStart, "the execution is not waiting, so it cannot be resumed")
        }
        var state = self
        if var runs = state.runData[entry.node], !runs.isEmpty {
            runs.removeLast()
            state.runData[entry.node] = runs.isEmpty ? nil : runs
        }
        if let index = state.finishedOrder.lastIndex(of: entry.node) { state.finishedOrder.remove(at: index) }
        if let items { state.stack[0].main = [items] + entry.main.dropFirst() }
        state.stack[0].resumesFromWait = true
        state.suspension = nil
        state.lastExecutionTry = ""
        return state
    }
}
