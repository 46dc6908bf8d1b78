public import FlowrunExpressions

/// A workflow resolved against the node registry: every node with its implementation and
/// decoded parameters, and the main connections in both directions as n8n indexes them.
///
/// Built once per file by `WorkflowGraph.build(_:registry:)`; the engine only reads it.
public struct WorkflowGraph: Sendable {
    /// One node of the workflow.
    public struct GraphNode: Sendable {
        public let name: String
        public let type: String
        public let typeVersion: Double
        public let document: NodeDocument
        /// The configured node; nil for sticky notes and node types flowrun does not support.
        public let implementation: (any Node)?
        public let description: NodeDescription?
        public let disabled: Bool
        public let position: Position
        public let alwaysOutputData: Bool
        public let executeOnce: Bool
        public let retryOnFail: Bool
        public let maxTries: Double?
        public let waitBetweenTries: Double?
        /// `onError` as written (nil when absent).
        public let onError: NodeDocument.ErrorPolicy?
        public let continueOnFailFlag: Bool

        /// n8n's `continueOnFail()`: the legacy flag or a continue `onError` mode.
        public var continuesOnFail: Bool {
            continueOnFailFlag || onError == .continueRegularOutput || onError == .continueErrorOutput
        }

        /// Whether failing items go to an extra, last output.
        public var hasErrorOutput: Bool { onError == .continueErrorOutput }

        /// Main outputs including the error output.
        public var outputCount: Int {
            (implementation?.outputCount ?? description?.outputs ?? 1) + (hasErrorOutput ? 1 : 0)
        }

        /// Whether the node starts executions.
        public var isTrigger: Bool { description?.isTrigger ?? false }
    }

    /// One end of a main connection: the other node and its output (from the destination's
    /// view) or input (from the source's view) index.
    public struct Link: Sendable, Hashable {
        public var node: String
        public var index: Int
    }

    public let document: WorkflowDocument
    public let nodes: [GraphNode]
    let indexByName: [String: Int]
    /// `connectionsBySourceNode[source].main[outputIndex]` = targets with their input index.
    public let bySource: [String: [[Link]]]
    /// `connectionsByDestinationNode[target].main[inputIndex]` = sources with their output index.
    public let byDestination: [String: [[Link]]]
    /// Per node, per input index: whether an enabled ancestor feeds it (n8n's `getHighestNode`
    /// is not empty). Static, so computed once when the graph is built.
    var inputHasEnabledSource: [String: [Bool]] = [:]

    /// The node named `name`.
    public func node(_ name: String) -> GraphNode? {
        indexByName[name].map { nodes[$0] }
    }

    /// Whether a node of this name exists.
    public func contains(_ name: String) -> Bool { indexByName[name] != nil }

    /// The workflow's settings.
    public var settings: WorkflowSettings { document.settings }

    /// Execution order as n8n decides it: v1 only when `settings.executionOrder == "v1"`.
    public var executionOrder: ExecutionOrder {
        settings.executionOrder == "v1" ? .v1 : .v0
    }

    /// n8n's `Workflow.getStartNode()`: the node a run starts from when none is named. A lone
    /// enabled node; else the first enabled node (file order) with a trigger or poll function
    /// (webhook-style, Execute Workflow Trigger, Error Trigger and Start have none); else the first
    /// Manual Trigger, Execute Workflow Trigger, Error Trigger, then Start.
    public var defaultStartNode: GraphNode? {
        if nodes.count == 1, !nodes[0].disabled { return nodes[0] }
        for node in nodes where node.isTrigger && !node.disabled && !Self.triggersWithoutTriggerFunction.contains(node.type) {
            return node
        }
        for type in Self.startingNodeTypes {
            if let n = nodes.first(where: { $0.type == type && !$0.disabled }) { return n }
        }
        return nil
    }

    /// n8n's `STARTING_NODE_TYPES`, in its order.
    static let startingNodeTypes = [
        "n8n-nodes-base.manualTrigger", "n8n-nodes-base.executeWorkflowTrigger", "n8n-nodes-base.errorTrigger",
        "n8n-nodes-base.start",
    ]

    /// Trigger-like node types that n8n does not pick in `getStartNode`'s first pass: they start
    /// executions through webhooks or `execute`, not a trigger or poll function.
    static let triggersWithoutTriggerFunction: Set<String> = [
        "n8n-nodes-base.webhook", "n8n-nodes-base.formTrigger", "n8n-nodes-base.executeWorkflowTrigger",
        "n8n-nodes-base.errorTrigger", "n8n-nodes-base.start", "@n8n/n8n-nodes-langchain.manualChatTrigger",
        "@n8n/n8n-nodes-langchain.chatTrigger",
    ]

    /// Every node whose type is a trigger.
    public var triggers: [GraphNode] { nodes.filter { $0.isTrigger } }
}
