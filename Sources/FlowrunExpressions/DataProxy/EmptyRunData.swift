/// Run data of a context with no other nodes: `$('X')` finds nothing and `$json`/`$input` read only
/// the context's own input items. For evaluating expressions outside a workflow (benchmarks, tests,
/// a lone Code node).
public struct EmptyRunData: ExpressionDataSource {
    public init() {}
    public func nodeExists(_ name: String) -> Bool { false }
    public func outputs(of node: String, runIndex: Int?) -> [[Item]]? { nil }
    public func source(of node: String, input: Int) -> ExpressionSource? { nil }
    public func isPinned(_ node: String) -> Bool { false }
    public func parameters(of node: String) -> JSONObject? { nil }
    public func nodeInfo(_ node: String) -> ExpressionNodeInfo? { nil }
}
