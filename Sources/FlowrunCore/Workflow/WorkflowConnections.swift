public import FlowrunExpressions

/// The `connections` object: for each source node name, each connection kind (`main`, `ai_tool`…),
/// one slot per output index holding the targets (a slot may be `null`, as n8n writes it).
public struct WorkflowConnections: Sendable, Hashable {
    /// One destination of an output: the node, its input kind and its input index.
    public struct Target: Sendable, Hashable {
        /// The destination node's name.
        public var node: String
        /// The destination's connection kind (normally equal to the source's kind).
        public var type: String
        /// The destination input index (Merge: 0 = Input 1).
        public var index: Int
        /// The target object as written (unknown keys, and whether `type` and `index` were present),
        /// so encoding gives back what was read.
        package var written: JSONObject?

        /// Creates a target; `type` defaults to `main` and `index` to the first input.
        public init(node: String, type: String = "main", index: Int = 0) {
            self.node = node
            self.type = type
            self.index = index
        }
    }

    /// One connection from an output of one node to an input of another.
    public struct Edge: Sendable, Hashable {
        /// The source node's name.
        public var source: String
        /// The connection kind at the source (`main` for data flow, `ai_*` for AI sub-nodes).
        public var kind: String
        /// The source output index (If: 0 = true, 1 = false).
        public var outputIndex: Int
        /// The destination node's name.
        public var target: String
        /// The connection kind at the destination.
        public var targetKind: String
        /// The destination input index.
        public var inputIndex: Int

        /// Whether this edge carries data in the main run loop.
        public var isMain: Bool { kind == "main" }

        /// Creates an edge; kinds default to `main`, indexes to 0.
        public init(source: String, kind: String = "main", outputIndex: Int = 0, target: String,
                    targetKind: String = "main", inputIndex: Int = 0) {
            self.source = source
            self.kind = kind
            self.outputIndex = outputIndex
            self.target = target
            self.targetKind = targetKind
            self.inputIndex = inputIndex
        }
    }

    /// Slots per kind per source node, in file order; `nil` slots are unconnected outputs.
    public var bySource: OrderedDictionary<String, OrderedDictionary<String, [[Target]?]>>

    /// Creates connections from their n8n shape (empty by default).
    public init(_ bySource: OrderedDictionary<String, OrderedDictionary<String, [[Target]?]>> = [:]) {
        self.bySource = bySource
    }

    /// Every connection as an edge, in file order.
    public var edges: [Edge] {
        var result: [Edge] = []
        for (source, kinds) in bySource {
            for (kind, slots) in kinds {
                for (outputIndex, slot) in slots.enumerated() {
                    for target in slot ?? [] {
                        result.append(Edge(source: source, kind: kind, outputIndex: outputIndex,
                                           target: target.node, targetKind: target.type, inputIndex: target.index))
                    }
                }
            }
        }
        return result
    }

    /// Adds an edge, growing the source's slots as needed.
    public mutating func add(_ edge: Edge) {
        var kinds = bySource[edge.source] ?? [:]
        var slots = kinds[edge.kind] ?? []
        while slots.count <= edge.outputIndex { slots.append([]) }
        var slot = slots[edge.outputIndex] ?? []
        slot.append(Target(node: edge.target, type: edge.targetKind, index: edge.inputIndex))
        slots[edge.outputIndex] = slot
        kinds[edge.kind] = slots
        bySource[edge.source] = kinds
    }
}
