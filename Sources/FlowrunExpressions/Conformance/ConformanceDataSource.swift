/// An `ExpressionDataSource` over a conformance case's `extra` context.
struct ConformanceDataSource: ExpressionDataSource {
    var workflowNodes: Set<String>
    var nodeOutputs: [String: [[Item]]]
    var sources: [String: ExpressionSource]
    var pinned: Set<String>
    var nodeParams: [String: JSONObject]
    var nodeContext: [String: JSONObject]
    var nodeMeta: [String: ExpressionNodeInfo]

    init(extra: JSONObject, activeNode: String) {
        nodeOutputs = [:]
        for (name, value) in extra["nodes"]?.objectValue ?? [:] {
            if case .object(let o) = value, case .array(let outputs)? = o["outputs"] {
                nodeOutputs[name] = outputs.map { ($0.arrayValue ?? []).map(Item.init(jsonValue:)) }
            } else {
                nodeOutputs[name] = [(value.arrayValue ?? []).map(Item.init(jsonValue:))]
            }
        }
        sources = [:]
        for (child, value) in extra["sources"]?.objectValue ?? [:] {
            switch value {
            case .string(let parent): sources[child] = ExpressionSource(node: parent)
            case .object(let o):
                sources[child] = ExpressionSource(node: o["node"]?.stringValue ?? "", output: Int(o["output"]?.numberValue ?? 0),
                                                  runIndex: Int(o["runIndex"]?.numberValue ?? 0))
            default: break
            }
        }
        if let listed = extra["workflowNodes"]?.arrayValue {
            workflowNodes = Set(listed.compactMap(\.stringValue))
        } else {
            var names = Set(nodeOutputs.keys)
            names.insert(activeNode)
            for (child, source) in sources { names.insert(child); names.insert(source.node) }
            workflowNodes = names
        }
        pinned = Set((extra["pinned"]?.arrayValue ?? []).compactMap(\.stringValue))
        nodeParams = (extra["nodeParams"]?.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.objectValue ?? [:] }
        nodeContext = (extra["nodeContext"]?.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.objectValue ?? [:] }
        nodeMeta = [:]
        for (name, value) in extra["nodeMeta"]?.objectValue ?? [:] {
            nodeMeta[name] = ExpressionNodeInfo(id: value["id"]?.stringValue ?? "", type: value["type"]?.stringValue ?? "",
                                                typeVersion: value["typeVersion"]?.numberValue ?? 1)
        }
    }

    func nodeExists(_ name: String) -> Bool { workflowNodes.contains(name) }
    func outputs(of node: String, runIndex: Int?) -> [[Item]]? {
        if let runIndex, runIndex > 0 { return nil }
        return nodeOutputs[node]
    }
    func source(of node: String, input: Int) -> ExpressionSource? { input == 0 ? sources[node] : nil }
    func isPinned(_ node: String) -> Bool { pinned.contains(node) }
    func parameters(of node: String) -> JSONObject? { nodeParams[node] }
    func nodeInfo(_ node: String) -> ExpressionNodeInfo? { nodeMeta[node] }
    func context(of node: String) -> JSONObject? { nodeContext[node] }
}
