public import FlowrunExpressions

/// What expressions see of the running execution: a snapshot of the run data taken when a node
/// run starts (n8n's `WorkflowDataProxy` inputs).
struct RunDataSource: ExpressionDataSource {
    let graph: WorkflowGraph
    let runData: [String: [NodeRunRecord]]
    /// Pinned outputs visible to expressions (manual mode only).
    let pinData: [String: [Item]]
    let activeNode: String
    let activeSource: [TaskSource?]
    let nodeContext: NodeContextStore

    func nodeExists(_ name: String) -> Bool { graph.contains(name) }

    func outputs(of node: String, runIndex: Int?) -> [[Item]]? {
        if let runs = runData[node], !runs.isEmpty {
            let index = runIndex ?? (runs.count - 1)
            guard index >= 0, index < runs.count else { return nil }
            return runs[index].output
        }
        if let pinned = pinData[node] { return [pinned] }
        return nil
    }

    func source(of node: String, input: Int) -> ExpressionSource? {
        let sources: [TaskSource?]
        if node == activeNode {
            sources = activeSource
        } else {
            guard let last = runData[node]?.last else { return nil }
            sources = last.source
        }
        guard input >= 0, input < sources.count, let s = sources[input] else { return nil }
        return ExpressionSource(node: s.previousNode, output: s.previousNodeOutput, runIndex: s.previousNodeRun)
    }

    func isPinned(_ node: String) -> Bool { pinData[node] != nil }

    func parameters(of node: String) -> JSONObject? { graph.node(node)?.document.parameters }

    func nodeInfo(_ node: String) -> ExpressionNodeInfo? {
        guard let n = graph.node(node) else { return nil }
        return ExpressionNodeInfo(id: n.document.id ?? "", type: n.type, typeVersion: n.typeVersion)
    }

    func context(of node: String) -> JSONObject? {
        let c = nodeContext.context(of: node)
        return c.isEmpty ? nil : c
    }
}
