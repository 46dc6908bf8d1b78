import FlowrunCore
import FlowrunExpressions

/// Limit (`n8n-nodes-base.limit`): keeps the first or last `maxItems` items.
struct LimitNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.limit", typeVersions: [1], displayName: "Limit")

    let maxItems: Param<Int>
    let keep: Param<String>

    init(configuration c: NodeConfiguration) throws {
        maxItems = c.parameters["maxItems"].int(default: 1)
        keep = c.parameters["keep"].choice(["firstItems", "lastItems"], default: "firstItems")
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main
        let max = try maxItems.value(for: 0, in: context)
        if max > items.count { return [items] }
        if try keep.value(for: 0, in: context) == "firstItems" { return [Array(items.prefix(Swift.max(0, max)))] }
        return [Array(items.suffix(Swift.max(0, max)))]
    }
}
