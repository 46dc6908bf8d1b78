/// What an expression may read of the running workflow: n8n's `WorkflowDataProxy` seen from
/// the engine's side.
///
/// The engine implements it over its run data; the conformance runner implements it over a
/// case's `extra` context. It must be cheap to query: expressions call it per item.
public protocol ExpressionDataSource: Sendable {
    /// Whether a node of this name exists in the workflow (`$('X')` of an unknown name fails).
    func nodeExists(_ name: String) -> Bool

    /// The outputs of one run of a node (run `runIndex`, or the latest when nil), one item list per
    /// output index; nil when the node has not run.
    func outputs(of node: String, runIndex: Int?) -> [[Item]]?

    /// The parent a node's input `input` came from in this execution, for paired-item lookups and
    /// `$prevNode`: node name, its output index and its run index.
    func source(of node: String, input: Int) -> ExpressionSource?

    /// Whether the node's data is pinned (manual runs pair pinned items by position).
    func isPinned(_ node: String) -> Bool

    /// The node's parameters as written in the file (`$('X').params`, `$node.X.parameter`).
    func parameters(of node: String) -> JSONObject?

    /// Static facts about a node: id, type and typeVersion (`$nodeId`, `$nodeVersion`).
    func nodeInfo(_ node: String) -> ExpressionNodeInfo?

    /// The node's context data (`$node["X"].context`, `$input.context`); nil when it has none.
    func context(of node: String) -> JSONObject?
}

/// Where a node's input came from.
public struct ExpressionSource: Sendable, Hashable {
    public var node: String
    public var output: Int
    public var runIndex: Int

    public init(node: String, output: Int = 0, runIndex: Int = 0) {
        self.node = node
        self.output = output
        self.runIndex = runIndex
    }
}

/// Static facts about a node.
public struct ExpressionNodeInfo: Sendable, Hashable {
    public var id: String
    public var type: String
    public var typeVersion: Double

    public init(id: String, type: String, typeVersion: Double) {
        self.id = id
        self.type = type
        self.typeVersion = typeVersion
    }
}

extension ExpressionDataSource {
    /// The node's context data (`$node["X"].context`, `$input.context`), e.g. Split In Batches'
    /// `noItemsLeft`; nil when it has none. Defaults to nil.
    public func context(of node: String) -> JSONObject? { nil }
}
