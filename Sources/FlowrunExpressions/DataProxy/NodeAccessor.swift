/// `$('Node').…` and `$node["Node"].…`: another node's output, with n8n's paired-item walk.
enum NodeAccessor {
    static func isExecuted(_ node: String, _ c: EvaluationContext) -> Bool {
        c.dataSource.outputs(of: node, runIndex: nil) != nil
    }

    static func ensureExecuted(_ node: String, _ c: EvaluationContext) throws {
        if !isExecuted(node, c) && !(c.dataSource.isPinned(node) && c.mode == "manual") {
            throw DataProxy.notExecuted(node)
        }
    }

    /// The output index of `ancestor` that leads to the active node (n8n's default branch).
    static func branch(from ancestor: String, _ c: EvaluationContext) -> Int? {
        var seen: Set<String> = []
        var frontier = [c.activeNode]
        while let node = frontier.popLast() {
            guard seen.insert(node).inserted else { continue }
            for input in 0..<8 {
                guard let source = c.dataSource.source(of: node, input: input) else { continue }
                if source.node == ancestor { return source.output }
                frontier.append(source.node)
            }
        }
        return nil
    }

    static func isAncestor(_ node: String, _ c: EvaluationContext) -> Bool { branch(from: node, c) != nil }

    /// n8n's `getNodeExecutionData` (long syntax).
    static func executionData(node: String, output: Int?, run: Int, _ interp: Interpreter) throws -> [Item] {
        let c = interp.context
        guard c.dataSource.nodeExists(node) else {
            throw DataProxy.error("Referenced node doesn't exist", hint: "Make sure to double-check the node name for typos")
        }
        try ensureExecuted(node, c)
        guard let outputs = c.dataSource.outputs(of: node, runIndex: run < 0 ? nil : run) else {
            throw DataProxy.error("Run \(run) of node \"\(node)\" not found")
        }
        guard !outputs.isEmpty else { throw DataProxy.error("No data found from `main` input") }
        let index = output ?? branch(from: node, c) ?? 0
        guard index < outputs.count else { throw DataProxy.error("Node \"\(node)\" has no branch with index \(index).") }
        return outputs[index]
    }

    static func member(node: String, _ key: String, _ interp: Interpreter) throws -> JSValue {
        let c = interp.context
        switch key {
        case "isExecuted":
            return .bool(isExecuted(node, c))
        case "item", "itemMatching", "pairedItem":
            guard isAncestor(node, c) else {
                throw DataProxy.error("Invalid expression", hint: "No path back to referenced node")
            }
            try ensureExecuted(node, c)
            if key == "item" { return DataProxy.itemValue(try pairedItem(node, itemIndex: c.itemIndex, method: key, interp)) }
            return DataProxy.function(key) { args, interp in
                let indexValue = Calls.arg(args, 0)
                if indexValue.isUndefined && key == "itemMatching" {
                    throw DataProxy.error("Missing item index for .itemMatching()")
                }
                let index = indexValue.isUndefined ? c.itemIndex : Int(indexValue.toNumber().integerOrInfinity.clamped)
                return DataProxy.itemValue(try pairedItem(node, itemIndex: index, method: key, interp))
            }
        case "first", "last", "all":
            try ensureExecuted(node, c)
            return DataProxy.function(key) { args, interp in
                let branchValue = Calls.arg(args, 0)
                let runValue = Calls.arg(args, 1)
                let branch: Int? = branchValue.isNullish ? nil : Int(branchValue.toNumber().integerOrInfinity.clamped)
                let run = runValue.isNullish ? -1 : Int(runValue.toNumber().integerOrInfinity.clamped)
                let items = try executionData(node: node, output: branch, run: run, interp)
                switch key {
                case "first": return items.first.map(DataProxy.itemValue) ?? .undefined
                case "last": return items.last.map(DataProxy.itemValue) ?? .undefined
                default: return DataProxy.itemsValue(items)
                }
            }
        case "params":
            return c.dataSource.parameters(of: node).map { JSValue(lazyJSON: .object($0)) } ?? .undefined
        case "context":
            return JSValue(lazyJSON: .object(c.dataSource.context(of: node) ?? [:]))
        default:
            return .undefined
        }
    }

    /// `$node["X"].json` and friends: the item at the same index, not paired.
    static func legacyMember(node: String, _ key: String, _ interp: Interpreter, itemIndex: Int) throws -> JSValue {
        let c = interp.context
        switch key {
        case "json", "data", "binary":
            let items = try executionData(node: node, output: nil, run: -1, interp)
            if items.isEmpty { throw DataProxy.notExecuted(node) }
            guard itemIndex < items.count else {
                throw DataProxy.error("\"\(node)\" node has \(items.count) item(s) but you're trying to access item \(itemIndex)",
                                      hint: "Adjust your expression to access an existing item index (0-\(items.count - 1))")
            }
            if key == "binary" { return DataProxy.binaryValue(items[itemIndex]) }
            return .object(JSObject(json: items[itemIndex].json))
        case "context":
            return JSValue(lazyJSON: .object(c.dataSource.context(of: node) ?? [:]))
        case "parameter":
            return JSValue(lazyJSON: .object(c.dataSource.parameters(of: node) ?? [:]))
        case "runIndex":
            return .number(isExecuted(node, c) ? 0 : -1)
        default:
            return .undefined
        }
    }

    /// n8n's paired-item walk from the active node's input item back to `destination`.
    static func pairedItem(_ destination: String, itemIndex: Int, method: String, _ interp: Interpreter) throws -> Item {
        let c = interp.context
        // Without input (the active node has not received data yet) n8n falls back to the
        // referenced node's own output (pinned or run data) at the same index.
        if c.inputItems.isEmpty, let items = try? executionData(node: destination, output: nil, run: -1, interp),
           itemIndex >= 0, itemIndex < items.count {
            return items[itemIndex]
        }
        guard itemIndex >= 0, itemIndex < c.inputItems.count else {
            throw DataProxy.error("Can’t get data for expression",
                                  hint: "Some intermediate nodes between ‘\(destination)‘ and ‘\(c.activeNode)‘ have not executed yet.")
        }
        let input = c.inputItems[itemIndex]
        guard let paired = input.pairedItem?.first else {
            throw missingPairedItem(c.activeNode, method, c)
        }
        let source = c.dataSource.source(of: c.activeNode, input: paired.input) ?? c.dataSource.source(of: c.activeNode, input: 0)
        return try walk(destination, source, paired, method: method, nodeBeforeLast: nil, c, depth: 0).item
    }

    static func missingPairedItem(_ node: String, _ method: String, _ c: EvaluationContext) -> ExpressionError {
        if c.dataSource.isPinned(node) && c.mode == "manual" {
            return DataProxy.error("Using the \(method) method doesn't work with pinned data in this scenario. Please unpin '\(node)' and try again.")
        }
        return DataProxy.error("Paired item data for \(method) from node '\(node)' is unavailable. Ensure '\(node)' is providing the required output.",
                               hint: "Missing pairedItem data (node '\(node)' probably didn't supply it)")
    }

    struct Found {
        var item: Item
        /// Identity of the item (node, output, index) for the multiple-matches check.
        var key: String
    }

    static func walk(_ destination: String, _ source: ExpressionSource?, _ paired: PairedItem, method: String,
                     nodeBeforeLast: String?, _ c: EvaluationContext, depth: Int) throws -> Found {
        guard depth < 500 else { throw DataProxy.error("Paired item resolution failed", hint: "Unable to find paired item source") }
        guard let source else {
            throw DataProxy.error("Paired item resolution failed", hint: "Could not trace back to node '\(destination)'")
        }
        guard let outputs = c.dataSource.outputs(of: source.node, runIndex: source.runIndex), source.output < outputs.count else {
            throw DataProxy.error("Can’t get data for expression", hint: "Expected output #\(source.output) from node \(source.node)")
        }
        let output = outputs[source.output]
        if source.node == destination {
            guard paired.item >= 0, paired.item < output.count else {
                throw DataProxy.error("Can't get data for expression", hint: "Expression info invalid")
            }
            return Found(item: output[paired.item], key: "\(source.node)#\(source.output)#\(paired.item)")
        }
        guard paired.item >= 0, paired.item < output.count else {
            throw DataProxy.error("Can't get data for expression", hint: "Expression info invalid")
        }
        let item = output[paired.item]
        let next = item.pairedItem ?? []
        if next.isEmpty { throw missingPairedItem(source.node, method, c) }
        var results: [Result<Found, any Error>] = []
        var anySource = false
        for p in next {
            guard let nextSource = c.dataSource.source(of: source.node, input: p.input) else { continue }
            anySource = true
            do {
                results.append(.success(try walk(destination, nextSource, p, method: method, nodeBeforeLast: source.node, c, depth: depth + 1)))
            } catch {
                results.append(.failure(error))
            }
        }
        let matched = results.compactMap { try? $0.get() }
        if matched.isEmpty {
            if case .failure(let first)? = results.first { throw first }
            if !anySource { throw DataProxy.error("Invalid expression", hint: "No path back to referenced node") }
            throw DataProxy.error("Branch not found", hint: "Paired item references non-existent branch")
        }
        if matched.contains(where: { $0.key != matched[0].key }) {
            throw DataProxy.error("Multiple matches found", hint: "Multiple matching items for item [\(paired.item)]")
        }
        return matched[0]
    }
}
