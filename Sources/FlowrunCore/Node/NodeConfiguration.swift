public import FlowrunExpressions

/// What a node type gets at load time to decode its parameters.
public struct NodeConfiguration {
    /// The node's name in the workflow.
    public var nodeName: String
    /// n8n type name.
    public var type: String
    /// The node's `typeVersion` (already checked to be one the type supports).
    public var typeVersion: Double
    /// The root of the node's `parameters`; readers record problems in a shared sink.
    public var parameters: ParameterReader
    /// The node's `credentials` object as written, if any.
    public var credentials: JSONObject?

    public init(
        nodeName: String, type: String, typeVersion: Double, parameters: JSONObject,
        credentials: JSONObject? = nil, issues: ParameterIssues = ParameterIssues()
    ) {
        self.nodeName = nodeName
        self.type = type
        self.typeVersion = typeVersion
        self.parameters = ParameterReader(root: parameters, issues: issues)
        self.credentials = credentials
    }

    /// The problems recorded while reading parameters.
    public var issues: ParameterIssues { parameters.issues }
}

/// Collects parameter problems found while a node decodes its parameters.
///
/// A reference type so that every nested `ParameterReader` writes to one list; used only during
/// `init(configuration:)`, on one task.
public final class ParameterIssues {
    /// One problem: parameter path and message.
    public struct Issue: Sendable, Hashable {
        public var path: String
        public var message: String
    }

    public private(set) var issues: [Issue] = []

    public init() {}

    /// Records a problem at `path`.
    public func report(_ path: String, _ message: String) {
        issues.append(Issue(path: path, message: message))
    }
}
