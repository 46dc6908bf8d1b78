public import FlowrunExpressions

/// A node run failed: where (node, parameter, item) and why.
///
/// `message` is n8n's message where n8n has one (it becomes `json.error` on continue-on-fail
/// items); `description` adds the location.
public struct NodeError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An expression failed to evaluate.
        public static let expression = Code("expression")
        /// A parameter has the wrong type or value.
        public static let invalidParameter = Code("invalidParameter")
        /// The node's own operation failed (n8n's `NodeOperationError`).
        public static let operation = Code("operation")
        /// An outside service failed (n8n's `NodeApiError`).
        public static let api = Code("api")
        /// The node type is not known or not in this version.
        public static let unsupportedNode = Code("unsupportedNode")
        /// Stopped on purpose (Stop and Error).
        public static let stopped = Code("stopped")
        /// A sub-workflow failed.
        public static let subworkflow = Code("subworkflow")
        /// A service the node needs is not configured (no HTTP client, no Postgres, no store).
        public static let configuration = Code("configuration")
        /// A credential is missing, of the wrong type or unreadable.
        public static let credentials = Code("credentials")
        /// A circuit breaker is open: the call was not made.
        public static let circuitOpen = Code("circuitOpen")
        /// A rate limit refused the item (rate-limit node in "fail" mode).
        public static let rateLimited = Code("rateLimited")
        /// An outside call did not answer in time.
        public static let timeout = Code("timeout")
    }

    public var code: Code
    /// n8n's message.
    public var message: String
    /// n8n's `description` (extra detail), if any.
    public var detail: String?
    public var node: String?
    public var parameter: String?
    public var itemIndex: Int?
    /// Extra fields n8n puts on the error (Stop and Error's error object, HTTP status…).
    public var extra: JSONObject

    public init(
        _ code: Code, _ message: String, detail: String? = nil, node: String? = nil, parameter: String? = nil,
        itemIndex: Int? = nil, extra: JSONObject = [:]
    ) {
        self.code = code
        self.message = message
        self.detail = detail
        self.node = node
        self.parameter = parameter
        self.itemIndex = itemIndex
        self.extra = extra
    }

    public var description: String {
        var parts: [String] = []
        if let node { parts.append("node \"\(node)\"") }
        if let parameter { parts.append("parameter \"\(parameter)\"") }
        if let itemIndex { parts.append("item \(itemIndex)") }
        return parts.isEmpty ? message : "\(parts.joined(separator: ", ")): \(message)"
    }

    public static func == (lhs: NodeError, rhs: NodeError) -> Bool { lhs.code == rhs.code }
}
