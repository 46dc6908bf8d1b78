/// An automatic left-to-right layered layout for nodes without a position.
///
/// Each node's layer is its distance from a node without incoming main connections (loops are cut
/// where they close); nodes in a layer stack top to bottom in file order. AI sub-nodes (sources of
/// `ai_*` connections) sit below the node they plug into, as in n8n's editor.
struct WorkflowLayout {
    static let origin = Position(x: 240, y: 300)
    static let columnWidth = 220.0
    static let rowHeight = 180.0

    private var positions: [Int: Position] = [:]

    init(document: WorkflowDocument) {
        let nodes = document.nodes
        var indexByName: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where indexByName[node.name] == nil { indexByName[node.name] = index }
        var children: [[Int]] = Array(repeating: [], count: nodes.count)
        var hasParent = Array(repeating: false, count: nodes.count)
        var consumer: [Int: Int] = [:]
        for edge in document.edges {
            guard let s = indexByName[edge.source], let t = indexByName[edge.target], s != t else { continue }
            if edge.isMain {
                children[s].append(t)
                hasParent[t] = true
            } else if consumer[s] == nil {
                consumer[s] = t
            }
        }
        // Longest-path layering over the main graph, breadth first; a node is placed once (cycles end).
        var layer = Array(repeating: -1, count: nodes.count)
        var queue: [Int] = []
        for index in nodes.indices where !hasParent[index] && consumer[index] == nil && !nodes[index].isStickyNote {
            layer[index] = 0
            queue.append(index)
        }
        var head = 0
        var visits = 0
        let limit = nodes.count * nodes.count + nodes.count
        while head < queue.count, visits < limit {
            let current = queue[head]
            head += 1
            for child in children[current] where layer[child] < layer[current] + 1 && layer[child] <= nodes.count {
                visits += 1
                if layer[child] == -1 || !Self.reaches(child, current, children) {
                    layer[child] = layer[current] + 1
                    queue.append(child)
                }
            }
        }
        // Nodes only in cycles, unconnected sticky notes and the rest go after the last layer.
        let last = layer.max() ?? 0
        for index in nodes.indices where layer[index] == -1 && consumer[index] == nil {
            layer[index] = nodes[index].isStickyNote ? 0 : last + 1
        }
        var rows: [Int: Int] = [:]
        for index in nodes.indices where consumer[index] == nil {
            let row = rows[layer[index], default: 0]
            rows[layer[index]] = row + 1
            let y = nodes[index].isStickyNote ? Self.origin.y - Self.rowHeight * Double(row + 1) : Self.origin.y + Self.rowHeight * Double(row)
            positions[index] = Position(x: Self.origin.x + Self.columnWidth * Double(layer[index]), y: y)
        }
        // Sub-nodes: a row below their consumer, side by side.
        var subRows: [Int: Int] = [:]
        for index in nodes.indices {
            guard let target = consumer[index] else { continue }
            let base = positions[target] ?? Self.origin
            let slot = subRows[target, default: 0]
            subRows[target] = slot + 1
            positions[index] = Position(x: base.x + Self.columnWidth * 0.6 * Double(slot), y: base.y + Self.rowHeight)
        }
    }

    func position(ofNodeAt index: Int) -> Position {
        positions[index] ?? Self.origin
    }

    /// Whether `from` reaches `to` over main edges (to avoid pushing layers around a loop forever).
    private static func reaches(_ from: Int, _ to: Int, _ children: [[Int]]) -> Bool {
        var seen: Set<Int> = [from]
        var stack = [from]
        while let current = stack.popLast() {
            if current == to { return true }
            for child in children[current] where seen.insert(child).inserted { stack.append(child) }
        }
        return false
    }
}
