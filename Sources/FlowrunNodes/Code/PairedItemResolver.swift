import FlowrunExpressions

/// Follows `pairedItem` links from an input item of the running node back to the item of an
/// earlier node it came from (`$('X').item` in Code nodes), with n8n's Code-node error messages.
struct PairedItemResolver {
    let dataSource: any ExpressionDataSource
    let activeNode: String
    let inputItems: [Item]

    struct Failure: Error, Sendable {
        var message: String
        var description: String?
    }

    /// The item of `target` that input item `itemIndex` was made from.
    func item(of target: String, itemIndex: Int, method: String) throws(Failure) -> Item {
        guard itemIndex >= 0, itemIndex < inputItems.count else {
            throw Failure(
                message: "Can’t get data",
                description: "Some intermediate nodes between ‘\(target)‘ and ‘\(activeNode)‘ have not executed yet.")
        }
        guard let paired = inputItems[itemIndex].pairedItem?.first else {
            throw missingPairedItem(activeNode, method: method)
        }
        guard let source = dataSource.source(of: activeNode, input: paired.input) ?? dataSource.source(of: activeNode, input: 0)
        else {
            throw Failure(message: "Can’t get data", description: "Missing sourceData (probably an internal error)")
        }
        return try walk(to: target, from: source, pairedItem: paired, method: method, nodeBeforeLast: nil)
    }

    private func walk(
        to target: String, from source: ExpressionSource, pairedItem: PairedItem, method: String, nodeBeforeLast: String?
    ) throws(Failure) -> Item {
        guard let outputs = dataSource.outputs(of: source.node, runIndex: source.runIndex), source.output < outputs.count else {
            throw Failure(message: "Missing output", description: "Expected output #\(source.output) from node \(source.node)")
        }
        let output = outputs[source.output]
        if source.node == target {
            guard pairedItem.item >= 0, pairedItem.item < output.count else { throw Failure(message: "Can't get data") }
            return output[pairedItem.item]
        }
        guard pairedItem.item >= 0, pairedItem.item < output.count else { throw Failure(message: "Can't get data") }
        let next = output[pairedItem.item].pairedItem ?? []
        if next.isEmpty { throw missingPairedItem(source.node, method: method) }
        var matches: [Item] = []
        var firstError: Failure?
        var anySource = false
        for link in next {
            guard let nextSource = dataSource.source(of: source.node, input: link.input) else { continue }
            anySource = true
            do {
                matches.append(try walk(to: target, from: nextSource, pairedItem: link, method: method, nodeBeforeLast: source.node))
            } catch {
                firstError = firstError ?? error
            }
        }
        if matches.isEmpty {
            if let firstError { throw firstError }
            if !anySource { throw Failure(message: "Invalid expression", description: "No path back to referenced node") }
            throw Failure(
                message: "Invalid branch reference",
                description: "Item \(pairedItem.item) in node \(source.node) references a branch that doesn't exist.")
        }
        if matches.dropFirst().contains(where: { $0 != matches[0] }) {
            throw Failure(message: "Multiple matches", description: "Multiple matching items for item [\(pairedItem.item)]")
        }
        return matches[0]
    }

    private func missingPairedItem(_ node: String, method: String) -> Failure {
        if dataSource.isPinned(node) {
            return Failure(
                message: "Using the \(method) method doesn't work with pinned data in this scenario. Please unpin '\(node)' and try again.")
        }
        return Failure(
            message: "Paired item data for \(method) from node '\(node)' is unavailable. Ensure '\(node)' is providing the required output.",
            description: "Missing pairedItem data (node '\(node)' probably didn't supply it)")
    }
}
