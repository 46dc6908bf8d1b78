/// An automatic left-to-right layered layout for nodes without a position.
///
/// Each node's column is the length of the longest path of main connections leading to it, with
/// loops cut at the connection that closes them; nodes in a column stack top to bottom in file
/// order. AI sub-nodes (sources of `ai_*` connections) sit below the node they plug into, as in
/// n8n's editor, and sticky notes go above the first column.
struct WorkflowLayout {
    static let origin = Position(x: 240, y: 300)
    static let columnWidth = 220.0
    static let rowHeight = 180.0

    private var positions: [Int: Position] = [:]

    init(document: WorkflowDocument) {
        let nodes = document.nodes
        let count = nodes.count
        var indexByName: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where indexByName[node.name] == nil { indexByName[node.name] = index }
        var children: [[Int]] = Array(repeating: [], count: count)
        var hasParent = Array(repeating: false, count: count)
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
        let placed = nodes.indices.filter { consumer[$0] == nil && !nodes[$0].isStickyNote }
        let forward = Self.forwardEdges(children: children, roots: placed.filter { !hasParent[$0] } + placed)
        var column = Self.longestPaths(forward, count: count)
        var rows: [Int: Int] = [:]
        var notes = 0
        for index in nodes.indices where consumer[index] == nil {
            if nodes[index].isStickyNote {
                notes += 1
                positions[index] = Position(x: Self.origin.x + Self.columnWidth * Double(notes - 1),
                                            y: Self.origin.y - Self.rowHeight * 2)
                continue
            }
            let row = rows[column[index], default: 0]
            rows[column[index]] = row + 1
            positions[index] = Position(x: Self.origin.x + Self.columnWidth * Double(column[index]),
                                        y: Self.origin.y + Self.rowHeight * Double(row))
        }
        var slots: [Int: Int] = [:]
        for index in nodes.indices {
            guard let target = consumer[index] else { continue }
            let base = positions[target] ?? Self.origin
            let slot = slots[target, default: 0]
            slots[target] = slot + 1
            positions[index] = Position(x: base.x + 120 * Double(slot), y: base.y + Self.rowHeight)
            column[index] = column[target]
        }
    }

    func position(ofNodeAt index: Int) -> Position {
        positions[index] ?? Self.origin
    }

    /// The edges that do not close a loop: a depth-first search from each root in order keeps tree,
    /// forward and cross edges and drops back edges.
    private static func forwardEdges(children: [[Int]], roots: [Int]) -> [[Int]] {
        let count = children.count
        var state = Array(repeating: 0, count: count)  // 0 new, 1 on the stack, 2 done
        var forward: [[Int]] = Array(repeating: [], count: count)
        for root in roots where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < children[top.node].count {
                    stack[stack.count - 1].next += 1
                    let child = children[top.node][top.next]
                    if state[child] == 1 { continue }  // closes a loop
                    forward[top.node].append(child)
                    if state[child] == 0 {
                        state[child] = 1
                        stack.append((child, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
        return forward
    }

    /// Longest path from any source in an acyclic graph (Kahn's order).
    private static func longestPaths(_ forward: [[Int]], count: Int) -> [Int] {
        var indegree = Array(repeating: 0, count: count)
        for targets in forward { for t in targets { indegree[t] += 1 } }
        var queue = (0..<count).filter { indegree[$0] == 0 }
        var column = Array(repeating: 0, count: count)
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for child in forward[current] {
                column[child] = max(column[child], column[current] + 1)
                indegree[child] -= 1
                if indegree[child] == 0 { queue.append(child) }
            }
        }
        return column
    }
}
