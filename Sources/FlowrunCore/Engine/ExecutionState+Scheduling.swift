public import FlowrunExpressions

extension ExecutionState {
    /// Adds the children of `parent` that receive data, in the order the execution order asks.
    mutating func scheduleChildren(of parent: String, data: [[Item]], runIndex: Int, in graph: WorkflowGraph) {
        guard let outputs = graph.bySource[parent] else { return }
        var toAdd: [(position: Position, link: WorkflowGraph.Link, output: Int)] = []
        for (outputIndex, links) in outputs.enumerated() {
            for link in links {
                guard outputIndex < data.count, !data[outputIndex].isEmpty || (link.index > 0 && order == .v0) else { continue }
                if order == .v1 {
                    toAdd.append((graph.node(link.node)?.position ?? Position(x: 0, y: 0), link, outputIndex))
                } else {
                    addNodeToBeExecuted(link, outputIndex: outputIndex, parent: parent, data: data, runIndex: runIndex, in: graph)
                }
            }
        }
        guard order == .v1 else { return }
        // n8n's comparator (y descending, then x descending), sorted as V8 sorts, then each
        // child is put at the front: the top-left child ends up first.
        ExecutionOrder.v8Sort(&toAdd) { a, b in
            if a.position.y < b.position.y { return 1 }
            if a.position.y > b.position.y { return -1 }
            if a.position.x > b.position.x { return -1 }
            return 0
        }
        for entry in toAdd {
            addNodeToBeExecuted(entry.link, outputIndex: entry.output, parent: parent, data: data, runIndex: runIndex, in: graph)
        }
    }

    private mutating func enqueue(_ entry: StackEntry) {
        if order == .v1 { stack.insert(entry, at: 0) } else { stack.append(entry) }
    }

    /// n8n's `addNodeToBeExecuted`: single-input children go on the stack; multi-input children
    /// wait until every input has data (v0 also forces their other parents to run).
    mutating func addNodeToBeExecuted(
        _ link: WorkflowGraph.Link, outputIndex: Int, parent: String, data: [[Item]], runIndex: Int, in graph: WorkflowGraph
    ) {
        let child = link.node
        let source = TaskSource(previousNode: parent, previousNodeOutput: outputIndex, previousNodeRun: runIndex)
        let numberOfInputs = graph.byDestination[child]?.count ?? 0
        guard numberOfInputs > 1 else {
            var main = [[Item]?](repeating: nil, count: link.index + 1)
            main[link.index] = data[outputIndex]
            enqueue(StackEntry(node: child, main: main, source: [source]))
            return
        }
        let nodeWasWaiting = waiting[child] != nil
        var entries = waiting[child] ?? [:]
        var waitingIndex: Int?
        for key in entries.keys.sorted() where entries[key]!.main[link.index] == nil {
            waitingIndex = key
            break
        }
        let index = waitingIndex ?? entries.count
        if waitingIndex == nil {
            entries[index] = WaitingEntry(main: Array(repeating: nil, count: numberOfInputs),
                                          source: Array(repeating: nil, count: numberOfInputs))
        }
        entries[index]!.main[link.index] = data[outputIndex]
        entries[index]!.source[link.index] = source
        if entries[index]!.main.allSatisfy({ $0 != nil }) {
            let ready = entries[index]!
            entries[index] = nil
            waiting[child] = entries.isEmpty ? nil : entries
            if entries.isEmpty { waiting.removeValue(forKey: child) }
            enqueue(StackEntry(node: child, main: ready.main, source: ready.source))
            return
        }
        waiting[child] = entries
        if !nodeWasWaiting, order == .v0 {
            forceParents(of: child, parent: parent, outputIndex: outputIndex, data: data, runIndex: runIndex, in: graph)
        }
    }

    /// v0 only: when a multi-input node first waits, its other inputs' top-most parents that have
    /// not run are started with an empty item (n8n's legacy behaviour).
    private mutating func forceParents(
        of child: String, parent: String, outputIndex: Int, data: [[Item]], runIndex: Int, in graph: WorkflowGraph
    ) {
        let checkOutputNodes = (graph.bySource[parent] ?? []).flatMap { $0.map(\.node) }
        for slot in graph.byDestination[child] ?? [] {
            for inputData in slot where inputData.node != parent {
                let stackNodes = stack.map(\.node)
                if checkOutputNodes.contains(inputData.node),
                   !incomingConnectionIsEmpty(graph.byDestination[inputData.node]?.first ?? [], runIndex: runIndex) {
                    continue
                }
                if stackNodes.contains(inputData.node) || runData[inputData.node] != nil { continue }
                var parents = graph.parentNodes(of: inputData.node)
                parents.append(inputData.node)
                parents.reverse()
                var nodeToAdd: String? = inputData.node
                for p in parents {
                    if inputData.node != p, checkOutputNodes.contains(p) { nodeToAdd = nil; break }
                    if stackNodes.contains(p) { nodeToAdd = nil; break }
                    if runData[p] != nil { break }
                    nodeToAdd = p
                }
                if let n = nodeToAdd, graph.parentNodes(of: n).contains(parent), data[outputIndex].isEmpty { nodeToAdd = nil }
                guard let n = nodeToAdd else { continue }
                let addEmptyItem = graph.byDestination[n] == nil
                    || incomingConnectionIsEmpty(graph.byDestination[n]?.first ?? [], runIndex: runIndex)
                if addEmptyItem {
                    let source = TaskSource(previousNode: parent, previousNodeOutput: outputIndex, previousNodeRun: runIndex)
                    enqueue(StackEntry(node: n, main: [[Item()]], source: [source]))
                }
            }
        }
    }

    /// n8n's `incomingConnectionIsEmpty`: none of these parent outputs (at `runIndex`) has items.
    func incomingConnectionIsEmpty(_ links: [WorkflowGraph.Link], runIndex: Int) -> Bool {
        for link in links {
            guard let runs = runData[link.node], runIndex < runs.count, let out = runs[runIndex].output,
                  link.index < out.count else { continue }
            if !out[link.index].isEmpty { return false }
        }
        return true
    }

    /// When the stack is empty: runs the first waiting multi-input node that may run with the
    /// inputs it got (missing inputs become empty), honouring `requiredInputs` in v1.
    mutating func flushWaiting(in graph: WorkflowGraph) {
        var waitingNodes = Array(waiting.keys)
        var i = 0
        while i < waitingNodes.count {
            let name = waitingNodes[i]
            guard let node = graph.node(name), let entries = waiting[name] else { i += 1; continue }
            let inputCount = node.implementation?.inputCount ?? node.description?.inputs ?? 1
            let required: RequiredInputs = order == .v1 ? (node.implementation?.requiredInputs ?? .any) : .any
            switch required {
            case .inputs(let list) where list.count == inputCount: i += 1; continue
            case .count(let c) where c == inputCount: i += 1; continue
            default: break
            }
            if graph.parentNodes(of: name).contains(where: { waitingNodes.contains($0) }) { i += 1; continue }
            guard let first = entries.keys.sorted(by: { String($0) < String($1) }).first, let entry = entries[first] else {
                i += 1
                continue
            }
            let withData = entry.main.indices.filter { entry.main[$0] != nil }
            switch required {
            case .inputs(let list) where list.contains(where: { !withData.contains($0) }): i += 1; continue
            case .count(let c) where withData.count < c: i += 1; continue
            default: break
            }
            var main = entry.main.map { $0 ?? [] }
            let hasItems = main.contains { !$0.isEmpty }
            if hasItems {
                while main.count < inputCount { main.append([]) }
                stack.append(StackEntry(node: name, main: main, source: entry.source))
            }
            var remaining = entries
            remaining[first] = nil
            if remaining.isEmpty { waiting.removeValue(forKey: name) } else { waiting[name] = remaining }
            if hasItems { break }
            waitingNodes = Array(waiting.keys)
            i = 0
        }
    }
}
