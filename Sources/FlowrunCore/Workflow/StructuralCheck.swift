import FlowrunExpressions

/// The checks that need no node registry: names, connections, pin data, credentials, start node.
struct StructuralCheck: WorkflowCheck {
    var credentials: any CredentialAvailability
    var isTrigger: @Sendable (String) -> Bool?

    func check(_ document: WorkflowDocument, in context: WorkflowCheckContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var seen: [String: Int] = [:]
        for (index, node) in document.nodes.enumerated() where !node.name.isEmpty {
            if let first = seen[node.name] {
                out.append(context.diagnostic(
                    .error, .duplicateNodeName,
                    "node #\(index + 1) has the same name as node #\(first + 1); node names must be unique "
                        + "because connections and expressions refer to nodes by name", node: node.name,
                    path: "nodes[\(index)].name"))
            } else {
                seen[node.name] = index
            }
        }
        checkConnections(document, nodes: seen, context, &out)
        checkPinData(document, nodes: seen, context, &out)
        checkCredentials(document, context, &out)
        checkStartNode(document, context, &out)
        return out
    }

    private func checkConnections(_ document: WorkflowDocument, nodes: [String: Int], _ context: WorkflowCheckContext,
                                  _ out: inout [Diagnostic]) {
        let names = Array(nodes.keys)
        var nameById: [String: String] = [:]
        for node in document.nodes { if let id = node.id, !node.name.isEmpty { nameById[id] = node.name } }
        // Suggestions compare against every name, so hostile files with thousands of broken
        // connections only get them for the first few.
        var suggestionsLeft = 25
        func hint(_ missing: String) -> String {
            if let name = nameById[missing] { return " (it is the id of node \"\(name)\"; connections use node names)" }
            guard suggestionsLeft > 0, names.count <= 5000 else { return "" }
            suggestionsLeft -= 1
            return Self.suggestion(missing, names)
        }
        for (source, kinds) in document.connections.bySource {
            let path = "connections.\(source)"
            guard let sourceIndex = nodes[source] else {
                out.append(context.diagnostic(
                    .error, .unknownConnectionSource,
                    "connections start at \"\(source)\", but no node has that name\(hint(source)); "
                        + "rename the key under \"connections\" or remove it", node: source, path: path))
                continue
            }
            let sourceNode = document.nodes[sourceIndex]
            for (kind, slots) in kinds {
                for (outputIndex, slot) in slots.enumerated() {
                    for target in slot ?? [] {
                        if sourceNode.isStickyNote {
                            out.append(context.diagnostic(
                                .error, .invalidOutputIndex,
                                "\"\(source)\" is a sticky note and has no outputs; remove its connection to "
                                    + "\"\(target.node)\"", node: source, path: path))
                            continue
                        }
                        guard let targetIndex = nodes[target.node] else {
                            out.append(context.diagnostic(
                                .error, .unknownConnectionTarget,
                                "output \(outputIndex) (\(kind)) connects to \"\(target.node)\", but no node has that "
                                    + "name\(hint(target.node))", node: source, path: path))
                            continue
                        }
                        if document.nodes[targetIndex].isStickyNote {
                            out.append(context.diagnostic(
                                .error, .invalidInputIndex,
                                "output \(outputIndex) connects to \"\(target.node)\", a sticky note, which has no "
                                    + "inputs", node: source, path: path))
                        }
                        if target.type != "main" && !target.type.hasPrefix("ai_") {
                            out.append(context.diagnostic(
                                .error, .invalidConnection,
                                "the connection to \"\(target.node)\" has type \"\(target.type)\"; n8n uses \"main\" or "
                                    + "an AI type such as \"ai_tool\"", node: source, path: path))
                        }
                    }
                }
            }
        }
    }

    private func checkPinData(_ document: WorkflowDocument, nodes: [String: Int], _ context: WorkflowCheckContext,
                              _ out: inout [Diagnostic]) {
        guard let pinData = document.pinData else { return }
        for (name, items) in pinData {
            let path = "pinData.\(name)"
            if nodes[name] == nil {
                out.append(context.diagnostic(
                    .warning, .invalidPinData,
                    "pinned data for \"\(name)\", but no node has that name; it is ignored", node: name, path: path))
            }
            guard case .array(let list) = items else {
                out.append(context.diagnostic(
                    .error, .invalidPinData,
                    "pinned data of \"\(name)\" must be an array of items ({\"json\": {…}}), not "
                        + items.kindName.withArticle, node: name, path: path))
                continue
            }
            if let bad = list.firstIndex(where: { $0.objectValue == nil }) {
                out.append(context.diagnostic(
                    .error, .invalidPinData,
                    "pinned item #\(bad + 1) of \"\(name)\" must be an object ({\"json\": {…}}), not "
                        + list[bad].kindName.withArticle, node: name, path: path))
            }
        }
    }

    private func checkCredentials(_ document: WorkflowDocument, _ context: WorkflowCheckContext,
                                  _ out: inout [Diagnostic]) {
        for (index, node) in document.nodes.enumerated() where !node.disabled {
            for reference in node.credentialReferences where !credentials.isConfigured(reference) {
                let label = reference.name.map { "\"\($0)\"" } ?? reference.id.map { "with id \($0)" } ?? ""
                out.append(context.diagnostic(
                    .warning, .credentialNotConfigured,
                    "uses the \(reference.type) credential \(label), which is not configured; add it to the "
                        + "credentials file given with --credentials", node: node.name,
                    path: "nodes[\(index)].credentials"))
            }
        }
    }

    private func checkStartNode(_ document: WorkflowDocument, _ context: WorkflowCheckContext,
                                _ out: inout [Diagnostic]) {
        let runnable = document.nodes.filter { !$0.isStickyNote && !$0.name.isEmpty && !$0.type.isEmpty }
        guard !runnable.isEmpty else {
            out.append(context.diagnostic(
                .warning, .noStartNode, "the workflow has no nodes to run; add a trigger such as a Manual Trigger "
                    + "(n8n-nodes-base.manualTrigger)", path: "nodes"))
            return
        }
        let enabled = runnable.filter { !$0.disabled }
        if enabled.count == 1 { return }  // n8n starts a single-node workflow at that node
        if enabled.contains(where: { isStartType($0.type) }) { return }
        let disabledTriggers = runnable.filter { $0.disabled && isStartType($0.type) }.map { "\"\($0.name)\"" }
        let hint = disabledTriggers.isEmpty
            ? "add a trigger such as a Manual Trigger, Webhook or Schedule Trigger"
            : "enable \(disabledTriggers.joined(separator: ", ")) or add another trigger"
        // A warning: n8n imports such files and can run them up to a chosen node from the editor.
        out.append(context.diagnostic(
            .warning, .noStartNode, "no enabled trigger node, so nothing can start this workflow on its own; \(hint)",
            path: "nodes"))
    }

    func isStartType(_ type: String) -> Bool {
        if let known = isTrigger(type) { return known }
        let base = type.split(separator: ".").last.map(String.init) ?? type
        return base.hasSuffix("Trigger") || ["start", "webhook", "cron", "interval", "emailReadImap"].contains(base)
    }

    /// " (did you mean "X"?)" for a close name.
    static func suggestion(_ name: String, _ names: [String]) -> String {
        let lower = name.lowercased()
        let close = names.filter { candidate in
            let c = candidate.lowercased()
            return c == lower || c.trimmingCharacters(in: .whitespaces) == lower.trimmingCharacters(in: .whitespaces)
                || (abs(c.count - lower.count) <= 2 && editDistance(c, lower, limit: 2) <= 2)
        }
        return close.first.map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    private static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        guard a.count < 200, b.count < 200 else { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
