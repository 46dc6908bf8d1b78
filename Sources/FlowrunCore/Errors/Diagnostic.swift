public import FlowrunExpressions

/// One finding about a workflow file: where it is and what is wrong.
///
/// Loading and validation collect these rather than stopping at the first; `description` renders
/// "file: node "X", parameter "a.b": message" and never contains secrets or item data.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad it is: errors make a file invalid, warnings do not.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// A stable, short identifier of the kind of problem, fit for a metric label or a `grep`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidJSON = Code("invalidJSON")
        public static let invalidYAML = Code("invalidYAML")
        public static let invalidWorkflow = Code("invalidWorkflow")
        public static let unsupportedNodeType = Code("unsupportedNodeType")
        public static let unsupportedTypeVersion = Code("unsupportedTypeVersion")
        public static let duplicateNodeName = Code("duplicateNodeName")
        public static let missingNodeName = Code("missingNodeName")
        public static let unknownConnectionSource = Code("unknownConnectionSource")
        public static let unknownConnectionTarget = Code("unknownConnectionTarget")
        public static let invalidConnection = Code("invalidConnection")
        public static let invalidOutputIndex = Code("invalidOutputIndex")
        public static let invalidInputIndex = Code("invalidInputIndex")
        public static let invalidParameter = Code("invalidParameter")
        public static let expressionSyntax = Code("expressionSyntax")
        public static let unknownNodeReference = Code("unknownNodeReference")
        public static let credentialNotConfigured = Code("credentialNotConfigured")
        public static let noStartNode = Code("noStartNode")
        public static let unreadableFile = Code("unreadableFile")
        /// A node entry that is not an object.
        public static let invalidNode = Code("invalidNode")
        /// A node without a `type`.
        public static let missingNodeType = Code("missingNodeType")
        /// A node key of the wrong type (`disabled: "yes"`, `position: [1]`, an unknown `onError`).
        public static let invalidNodeField = Code("invalidNodeField")
        /// `settings` or one of its keys of the wrong shape.
        public static let invalidSettings = Code("invalidSettings")
        /// `pinData` of the wrong shape, or pinned to a node that does not exist.
        public static let invalidPinData = Code("invalidPinData")
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    /// The file, as the user named it.
    public var file: String?
    /// The node's name, when the problem is in a node.
    public var node: String?
    /// The parameter path inside the node (`conditions.conditions[0].leftValue`).
    public var parameter: String?
    /// 1-based position in the file or in the parameter's text, when known.
    public var line: Int?
    public var column: Int?

    public init(
        _ severity: Severity, _ code: Code, _ message: String, file: String? = nil, node: String? = nil,
        parameter: String? = nil, line: Int? = nil, column: Int? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.node = node
        self.parameter = parameter
        self.line = line
        self.column = column
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(line.map { "\(file):\($0)\(column.map { ":\($0)" } ?? "")" } ?? file) }
        if let node { parts.append("node \"\(node)\"") }
        if let parameter { parts.append("parameter \"\(parameter)\"") }
        let location = parts.joined(separator: ", ")
        return location.isEmpty ? message : "\(location): \(message)"
    }

    /// The diagnostic as the `--format json` object: absent fields are left out.
    public var jsonValue: JSONValue {
        var o: JSONObject = ["severity": .string(severity.rawValue), "code": .string(code.rawValue)]
        if let node { o["node"] = .string(node) }
        if let parameter { o["parameter"] = .string(parameter) }
        o["message"] = .string(message)
        if let line { o["line"] = .number(Double(line)) }
        if let column { o["column"] = .number(Double(column)) }
        return .object(o)
    }
}
