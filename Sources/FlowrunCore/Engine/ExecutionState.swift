public import FlowrunExpressions

/// The run loop's decisions as a value: the stack of node runs, multi-input nodes waiting for
/// their other inputs, and run data. Mirrors n8n's `WorkflowExecute.processRunExecutionData`.
///
/// The driver (`Engine`) asks `nextRun(in:)` for the next node run, executes it, and hands the
/// outcome to `complete(_:outcome:in:)`, which records it and schedules the children.
public struct ExecutionState: Sendable {
    /// One pending node run (n8n's `IExecuteData`).
    public struct StackEntry: Sendable {
        public var node: String
        /// Items per input; nil where the input got no data.
        public var main: [[Item]?]
        /// Where each input came from; nil for the start node (n8n's `source: null`).
        public var source: [TaskSource?]?
        /// The node put the execution to wait and now passes this input through (n8n disables it).
        public var resumesFromWait = false

        public init(node: String, main: [[Item]?], source: [TaskSource?]?) {
            self.node = node
            self.main = main
            self.source = source
        }
    }

    /// Partial inputs of a multi-input node (n8n's `waitingExecution[node][index]`).
    struct WaitingEntry: Sendable {
        var main: [[Item]?]
        var source: [TaskSource?]
    }

    /// A node run the driver must perform.
    public struct NodeRun: Sendable {
        public var node: String
        public var runIndex: Int
        /// Inputs with `pairedItem` stamped (n8n's `addPairedItemLineage`).
        public var input: [[Item]?]
        public var source: [TaskSource?]?
        /// What expressions see as `$input` (n8n's `connectionInputData`); nil when the node
        /// has no data to run on and is skipped.
        public var connectionInput: [Item]?
        public var executionIndex: Int
        /// The stack entry, put back when the node fails and stops the workflow.
        var entry: StackEntry
    }

    /// What a node run produced, after the driver applied pin data, disabled pass-through,
    /// retries and the node call.
    public enum Outcome: Sendable {
        /// Output per index; nil for "no data" (the branch ends). `pinned` skips error-output routing.
        case output([[Item]]?, pinned: Bool)
        /// The node threw (after retries).
        case failure(NodeError)
    }

    public let order: ExecutionOrder
    public internal(set) var stack: [StackEntry]
    var waiting: OrderedDictionary<String, [Int: WaitingEntry]> = [:]
    public internal(set) var runData: [String: [NodeRunRecord]] = [:]
    public internal(set) var lastNodeExecuted: String?
    /// Node names in the order their runs were recorded.
    public internal(set) var finishedOrder: [String] = []
    /// Set when a node failed and stopped the workflow.
    public internal(set) var failure: ExecutionFailure?
    var lastExecutionTry = ""
    var executionIndex = 0
    /// `[PairedItem(item: i)]` for i = 0, 1, …: shared by the input items of every node run.
    var lineageCache: [[PairedItem]] = []
    /// The nodes' scratch data (`NodeContextStore`) as of the last checkpoint; set by the engine
    /// before observers see the state, and restored on resume.
    public internal(set) var nodeContexts: [String: JSONObject] = [:]
    /// Set when a node put the execution to wait (`ExecutionSuspension`).
    public internal(set) var suspension: Suspension?

    /// A state whose stack holds the start node with `input` (n8n: `[[{json: {}}]]` by default).
    public init(order: ExecutionOrder, startNode: String, input: [Item]) {
        self.order = order
        self.stack = [StackEntry(node: startNode, main: [input], source: nil)]
    }

    /// Whether nothing is left to run.
    public var isFinished: Bool { stack.isEmpty || failure != nil }

    /// Takes entries off the stack until one can run; nil when the stack is empty.
    ///
    /// - Throws: `ExecutionFailure.endlessLoop` when the same node run is skipped twice in a row
    ///   (n8n's guard).
    public mutating func nextRun(in graph: WorkflowGraph) throws(ExecutionFailure) -> NodeRun? {
        while !stack.isEmpty, failure == nil {
            var entry = stack.removeFirst()
            for inputIndex in entry.main.indices {
                guard let list = entry.main[inputIndex] else { continue }
                entry.main[inputIndex] = nil  // the list is then uniquely referenced here when it can be
                entry.main[inputIndex] = stampLineage(list, input: inputIndex)
            }
            let runIndex = runData[entry.node]?.count ?? 0
            let currentTry = "\(entry.node):\(runIndex)"
            if currentTry == lastExecutionTry {
                throw ExecutionFailure(.endlessLoop, "Stopped execution because it seems to be in an endless loop", node: entry.node)
            }
            if !ensureInputData(entry, in: graph) {
                lastExecutionTry = currentTry
                continue
            }
            let run = NodeRun(node: entry.node, runIndex: runIndex, input: entry.main, source: entry.source,
                              connectionInput: connectionInput(entry, in: graph), executionIndex: executionIndex, entry: entry)
            executionIndex += 1
            return run
        }
        return nil
    }

    /// n8n's `addPairedItemLineage`: item `i` of input `input` gets `pairedItem = [{item: i, input}]`.
    ///
    /// Items that already say so (a Set node's output, in order) are left alone, so a list nobody
    /// else changed is not copied; the one-element lists for input 0 are shared through the
    /// execution (`lineageCache`) instead of allocated per item per node.
    mutating func stampLineage(_ list: [Item], input: Int) -> [Item] {
        var out = list
        if input == 0, lineageCache.count < out.count {
            lineageCache.reserveCapacity(out.count)
            for i in lineageCache.count..<out.count { lineageCache.append([PairedItem(item: i)]) }
        }
        for i in out.indices {
            if let paired = out[i].pairedItem, paired.count == 1, paired[0].item == i, paired[0].input == input { continue }
            out[i].pairedItem = input == 0 ? lineageCache[i] : [PairedItem(item: i, input: input)]
        }
        return out
    }

    /// n8n's `ensureInputData`: in v0 a node waits (goes to the back) until every input has data.
    mutating func ensureInputData(_ entry: StackEntry, in graph: WorkflowGraph) -> Bool {
        let inputs = graph.inputHasEnabledSource[entry.node] ?? []
        for connectionIndex in inputs.indices {
            if !inputs[connectionIndex] { return true }
            if order == .v0 {
                let missing = entry.main.count < connectionIndex
                    || (connectionIndex < entry.main.count && entry.main[connectionIndex] == nil)
                if missing {
                    stack.append(entry)
                    return false
                }
            }
        }
        return true
    }

    /// n8n's `prepareConnectionInputData`.
    func connectionInput(_ entry: StackEntry, in graph: WorkflowGraph) -> [Item]? {
        if graph.node(entry.node)?.isTrigger == true { return entry.main.first.flatMap { $0 } ?? [] }
        guard !entry.main.isEmpty else { return nil }
        var data = entry.main[0]
        if order == .v1 {
            if let firstWithItems = entry.main.first(where: { !($0?.isEmpty ?? true) }) { data = firstWithItems }
        } else if data?.isEmpty ?? true, let source = entry.source, !source.isEmpty, source[0] == nil {
            let descendants = graph.childNodes(of: entry.node)
            for (inputIndex, items) in entry.main.enumerated() {
                guard let items, !items.isEmpty, inputIndex < source.count, let previous = source[inputIndex]?.previousNode
                else { continue }
                if previous == entry.node || descendants.contains(previous) {
                    data = items
                    break
                }
            }
        }
        guard let data, !data.isEmpty else { return nil }
        return data
    }
}
