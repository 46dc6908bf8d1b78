import FlowrunCore
import FlowrunExpressions

/// Manual Trigger (`n8n-nodes-base.manualTrigger`): starts a run by hand with one empty item.
struct ManualTriggerNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.manualTrigger", typeVersions: [1], displayName: "Manual Trigger", isTrigger: true)

    init(configuration: NodeConfiguration) throws {}

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.main.isEmpty ? [Item()] : input.main]
    }
}

/// Start (`n8n-nodes-base.start`, legacy): the old manual start node; passes its input on.
struct StartNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.start", typeVersions: [1], displayName: "Start", isTrigger: true)

    init(configuration: NodeConfiguration) throws {}

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.main.isEmpty ? [Item()] : input.main]
    }
}
