public import FlowrunExpressions
import Synchronization

/// Per-execution, per-node scratch data (n8n's `getContext('node')`): Split In Batches keeps its
/// remaining items here between runs. Shared by the engine (for `$node["X"].context`) and nodes.
public final class NodeContextStore: Sendable {
    private let storage = Mutex<[String: JSONObject]>([:])
    /// Console lines of node runs not yet moved into their run record, by node name and run index.
    private let console = Mutex<[RunKey: [String]]>([:])

    private struct RunKey: Hashable {
        var node: String
        var runIndex: Int
    }

    public init(_ contexts: [String: JSONObject] = [:]) {
        storage.withLock { $0 = contexts }
    }

    /// Every node's context (for checkpoints).
    public var all: [String: JSONObject] { storage.withLock { $0 } }

    /// The context of `node` (empty when never written).
    public func context(of node: String) -> JSONObject {
        storage.withLock { $0[node] ?? [:] }
    }

    /// Replaces the context of `node`.
    public func setContext(_ value: JSONObject, of node: String) {
        storage.withLock { $0[node] = value }
    }

    /// Adds a console line (a Code node's `console.log`) to run `runIndex` of `node`.
    public func appendConsole(_ line: String, node: String, runIndex: Int) {
        console.withLock { $0[RunKey(node: node, runIndex: runIndex), default: []].append(line) }
    }

    /// Removes and returns the console lines of one node run (the engine moves them into the record).
    package func takeConsole(node: String, runIndex: Int) -> [String] {
        console.withLock { $0.removeValue(forKey: RunKey(node: node, runIndex: runIndex)) ?? [] }
    }
}
