import FlowrunCore
import FlowrunExpressions

/// No Operation (`n8n-nodes-base.noOp`): returns its input unchanged.
struct NoOpNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.noOp", typeVersions: [1], displayName: "No Operation, do nothing")

    init(configuration: NodeConfiguration) throws {}

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.main]
    }
}

/// Sticky Note (`n8n-nodes-base.stickyNote`): canvas annotation; it has no inputs or outputs and
/// never runs.
struct StickyNoteNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.stickyNote", typeVersions: [1], displayName: "Sticky Note", inputs: 0, outputs: 0)

    init(configuration: NodeConfiguration) throws {}

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] { [] }
}
