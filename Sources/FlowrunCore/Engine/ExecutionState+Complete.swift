public import FlowrunExpressions

extension ExecutionState {
    /// Records a finished node run and schedules what follows, as n8n does after `runNode`:
    /// error-output routing, paired items, always-output-data, error policy, children, and the
    /// waiting multi-input nodes when the stack runs dry.
    ///
    /// - Returns: false when the node failed and the workflow stops (`failure` is set).
    @discardableResult
    public mutating func complete(
        _ run: NodeRun, outcome: Outcome, startTime: Double, endTime: Double, in graph: WorkflowGraph
    ) -> Bool {
        guard let node = graph.node(run.node) else { return true }
        var output: [[Item]]?
        var nodeError: NodeError?
        switch outcome {
        case .output(let data, let pinned):
            output = data
            if var routed = output, !pinned, node.hasErrorOutput {
                Self.routeErrorItems(&routed, run: run, outputCount: node.outputCount)
                output = routed
            }
            output = Self.assignPairedItems(output, input: run.input)
            if output != nil { lastNodeExecuted = run.node }
            output = Self.ensureAlwaysOutputData(output, input: run.input, enabled: node.alwaysOutputData)
            // A node that returned nothing ends its branch without a task record.
            guard output != nil else { return true }
        case .failure(let error):
            nodeError = error
            lastNodeExecuted = run.node
        }

        var record = NodeRunRecord(
            startTime: startTime, executionTime: endTime - startTime, executionIndex: run.executionIndex,
            source: run.source ?? [], input: run.input, output: nil, status: .success, error: nil)
        if let nodeError {
            record.error = nodeError
            record.status = .error
            if node.continuesOnFail {
                if let first = run.input.first, let items = first { output = [items] }
            } else {
                runData[run.node, default: []].append(record)
                finishedOrder.append(run.node)
                stack.insert(run.entry, at: 0)
                failure = ExecutionFailure(.nodeFailed, nodeError.message, node: run.node, nodeError: nodeError)
                return false
            }
        }
        if var data = output {
            Self.normalizeNodeErrors(&data)
            output = data
        }
        record.output = output
        runData[run.node, default: []].append(record)
        finishedOrder.append(run.node)
        guard let data = output else { return true }
        scheduleChildren(of: run.node, data: data, runIndex: run.runIndex, in: graph)
        if stack.isEmpty, !waiting.isEmpty { flushWaiting(in: graph) }
        return true
    }

    /// n8n's `handleNodeErrorOutput`: items that carry an error move to the last (error) output,
    /// with the json of the input item they came from merged under theirs.
    static func routeErrorItems(_ data: inout [[Item]], run: NodeRun, outputCount: Int) {
        var errorItems: [Item] = []
        let regular = max(outputCount - 1, 0)
        for outputIndex in 0..<regular {
            let items = outputIndex < data.count ? data[outputIndex] : []
            var success: [Item] = []
            for item in items {
                var errorData = item.error
                if errorData == nil, let e = item.json["error"], e.isTruthy,
                   item.json.keys.allSatisfy({ ["error", "message", "details"].contains($0) }) {
                    errorData = e
                }
                guard let errorData, errorData.isTruthy else {
                    success.append(item)
                    continue
                }
                if run.source == nil {
                    errorItems.append(item)
                    continue
                }
                guard let paired = item.pairedItem?.first, paired.input < run.input.count,
                      let inputs = run.input[paired.input], paired.item >= 0, paired.item < inputs.count
                else {
                    errorItems.append(item)
                    continue
                }
                var merged = item
                var json = inputs[paired.item].json
                for (k, v) in item.json { json[k] = v }
                merged.json = json
                errorItems.append(merged)
            }
            if outputIndex < data.count { data[outputIndex] = success }
        }
        while data.count < outputCount { data.append([]) }
        if outputCount > 0 { data[outputCount - 1] = errorItems }
    }

    /// n8n's `assignPairedItems`: fills missing `pairedItem` only where the mapping is unambiguous.
    static func assignPairedItems(_ output: [[Item]]?, input: [[Item]?]) -> [[Item]]? {
        guard var output, !output.isEmpty else { return output }
        let firstCount = input.count == 1 ? input[0]?.count : nil
        let single = firstCount == 1
        let same = output.count == 1 && firstCount != nil && firstCount == output[0].count
        let singleOutput = output.count == 1 && output[0].count == 1 && (firstCount ?? 0) > 1
        outer: for o in output.indices {
            for i in output[o].indices where output[o][i].pairedItem == nil {
                if single {
                    output[o][i].pairedItem = [PairedItem(item: 0)]
                } else if same {
                    output[o][i].pairedItem = [PairedItem(item: i)]
                } else if singleOutput {
                    output[o][i].pairedItem = [PairedItem(item: 0)]
                } else {
                    break outer
                }
            }
        }
        return output
    }

    /// n8n's `ensureAlwaysOutputData`: an empty output 0 becomes one empty item paired with every input item.
    static func ensureAlwaysOutputData(_ output: [[Item]]?, input: [[Item]?], enabled: Bool) -> [[Item]]? {
        if let first = output?.first, !first.isEmpty { return output }
        guard enabled else { return output }
        var paired: [PairedItem] = []
        for (k, items) in input.enumerated() {
            guard let items else { continue }
            for i in items.indices { paired.append(PairedItem(item: i, input: k)) }
        }
        var data = output ?? []
        let item = Item(json: [:], pairedItem: paired)
        if data.isEmpty { data.append([item]) } else { data[0] = [item] }
        return data
    }

    /// Whether the item has an `error` or a top-level key starting with `$` (`$error`, `$json`).
    ///
    /// Reads the fields through the pointer: handing the item to a function or getter from
    /// another module (`Item.hasDollarKey`) made the compiler copy it first, a retain and
    /// release per field for every item of every node run.
    static func needsNormalizing(_ item: UnsafePointer<Item>) -> Bool {
        if item.pointee.error != nil { return true }
        for key in item.pointee.json.keys where key.utf8.first == UInt8(ascii: "$") { return true }
        return false
    }

    /// n8n's `normalizeNodeErrors`: `{$error, $json}` items and items with `error` get `json = {error: message}`.
    static func normalizeNodeErrors(_ data: inout [[Item]]) {
        // This pass runs over every item of every node: the test reads the items in place
        // (`needsNormalizing`), and only the few items it finds are written.
        for o in data.indices {
            let flagged: [Int] = data[o].withUnsafeBufferPointer { items in
                var found: [Int] = []
                guard let base = items.baseAddress else { return found }
                for i in items.indices where needsNormalizing(base + i) { found.append(i) }
                return found
            }
            for i in flagged {
                if data[o][i].json.count >= 2, let e = data[o][i].json["$error"], data[o][i].json["$json"] != nil {
                    data[o][i].error = e
                    data[o][i].json = e["message"].map { ["error": $0] } ?? [:]
                } else if let e = data[o][i].error {
                    data[o][i].json = e["message"].map { ["error": $0] } ?? [:]
                }
            }
        }
    }
}

extension JSONValue {
    /// JavaScript truthiness.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .number(let n): n != 0 && !n.isNaN
        case .string(let s): !s.isEmpty
        case .array, .object: true
        }
    }
}

extension ExecutionState {
    /// Puts the console lines of the node's latest run into its record.
    mutating func setConsole(_ lines: [String], of node: String) {
        guard let last = runData[node]?.indices.last else { return }
        runData[node]?[last].console = lines
    }
}
