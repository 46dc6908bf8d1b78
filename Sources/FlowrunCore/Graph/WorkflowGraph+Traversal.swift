extension WorkflowGraph {
    /// n8n's `Workflow.getParentNodes(name)`: every main ancestor, in n8n's order.
    public func parentNodes(of name: String) -> [String] {
        connectedNodes(name, connections: byDestination, checkedIncoming: nil)
    }

    /// n8n's `Workflow.getChildNodes(name)`: every main descendant.
    public func childNodes(of name: String) -> [String] {
        connectedNodes(name, connections: bySource, checkedIncoming: nil)
    }

    /// n8n's `getConnectedNodes`: visited sets are copied per call, as in n8n.
    private func connectedNodes(_ name: String, connections: [String: [[Link]]], checkedIncoming: [String]?) -> [String] {
        guard let slots = connections[name] else { return [] }
        var checked = checkedIncoming ?? []
        if checked.contains(name) { return [] }
        checked.append(name)
        var result: [String] = []
        for slot in slots {
            for link in slot where !checked.contains(link.node) {
                result.insert(link.node, at: 0)
                let more = connectedNodes(link.node, connections: connections, checkedIncoming: checked)
                result.insert(contentsOf: more, at: 0)
            }
        }
        return result
    }

    /// n8n's `Workflow.getHighestNode(name, inputIndex)`: the top-most enabled ancestors feeding
    /// that input; empty when every path is disabled.
    func highestNodes(_ name: String, inputIndex: Int?, checked: inout [String]) -> [String] {
        var current: [String] = []
        if node(name)?.document.fields["disabled"] == .bool(false) { current.append(name) }
        guard let slots = byDestination[name] else { return current }
        if checked.contains(name) { return current }
        checked.append(name)
        var result: [String] = []
        for (index, slot) in slots.enumerated() {
            if let inputIndex, inputIndex != index { continue }
            for link in slot where !checked.contains(link.node) {
                var add = highestNodes(link.node, inputIndex: nil, checked: &checked)
                if add.isEmpty, node(link.node)?.disabled != true { add = [link.node] }
                for n in add where !result.contains(n) { result.append(n) }
            }
        }
        return result
    }
}
