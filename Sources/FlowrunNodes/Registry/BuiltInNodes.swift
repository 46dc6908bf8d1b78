public import FlowrunCore

/// Every node type built into flowrun. Add one line per node type (one Swift type may cover
/// several typeVersions; several Swift types may share one n8n type name for different versions).
public enum BuiltInNodes {
    public static let all: [any Node.Type] = [
        CodeNode.self, FunctionNode.self, FunctionItemNode.self,
    ]
}

extension NodeRegistry {
    /// The registry of every built-in node type.
    public static let builtIn = NodeRegistry(BuiltInNodes.all)
}
