public import FlowrunExpressions
import Synchronization

/// Per-execution, per-node scratch data (n8n's `getContext('node')`): Split In Batches keeps its
/// remaining items here between runs. Shared by the engine (for `$node["X"].context`) and nodes.
public final class NodeContextStore: Sendable {
    private let storage = Mutex<[String: JSONObject]>([:])

    public init() {}

    /// The context of `node` (empty when never written).
    public func context(of node: String) -> JSONObject {
        storage.withLock { $0[node] ?? [:] }
    }

    /// Replaces the context of `node`.
    public func setContext(_ value: JSONObject, of node: String) {
        storage.withLock { $0[node] = value }
    }
}
