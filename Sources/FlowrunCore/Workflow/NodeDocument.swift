public import FlowrunExpressions

/// One node of a workflow file: every key in file order, with typed access to n8n's node keys.
///
/// The accessors read and write `fields`, so unknown keys and their order survive a round trip.
/// A key holding a value of the wrong type reads as absent here; structural validation reports it.
public struct NodeDocument: Sendable, Hashable {
    /// The node object as written.
    public var fields: JSONObject

    /// Wraps a node object as written.
    public init(fields: JSONObject) {
        self.fields = fields
    }

    /// Creates a node with the keys every n8n export has.
    public init(name: String, type: String, typeVersion: Double, parameters: JSONObject = [:]) {
        self.fields = [
            "parameters": .object(parameters), "type": .string(type), "typeVersion": .number(typeVersion),
            "name": .string(name),
        ]
    }

    /// What the node does when it fails (`onError`).
    public enum ErrorPolicy: String, Sendable, Hashable, CaseIterable {
        case stopWorkflow
        case continueRegularOutput
        case continueErrorOutput
    }

    /// A reference to a stored credential: n8n exports name the credential, never its secrets.
    public struct CredentialReference: Sendable, Hashable {
        /// The credential type (`httpHeaderAuth`, `postgres`…): the key in `credentials`.
        public var type: String
        /// The credential's id; missing or `null` in old exports, where n8n matches by name.
        public var id: String?
        /// The credential's display name.
        public var name: String?

        /// Creates a reference; at least one of `id` and `name` should be set.
        public init(type: String, id: String?, name: String?) {
            self.type = type
            self.id = id
            self.name = name
        }
    }
}

extension NodeDocument {
    /// The node's name: its identity in connections, expressions and pin data ("" when missing).
    public var name: String {
        get { fields["name"]?.stringValue ?? "" }
        set { fields["name"] = .string(newValue) }
    }

    /// The node type (`n8n-nodes-base.httpRequest`; "" when missing).
    public var type: String {
        get { fields["type"]?.stringValue ?? "" }
        set { fields["type"] = .string(newValue) }
    }

    /// The editor id (`$nodeId`), usually a UUID.
    public var id: String? {
        get { fields["id"]?.stringValue }
        set { fields["id"] = newValue.map(JSONValue.string) }
    }

    /// The type version, never rounded (`2.2`, `3.4`); `nil` when missing.
    public var typeVersion: Double? {
        get { fields["typeVersion"]?.numberValue }
        set { fields["typeVersion"] = newValue.map(JSONValue.number) }
    }

    /// The canvas position `[x, y]`; `nil` when missing or malformed.
    ///
    /// It matters for execution: n8n's v1 order sorts sibling branches by position.
    public var position: Position? {
        get {
            guard let a = fields["position"]?.arrayValue, a.count == 2, let x = a[0].numberValue,
                let y = a[1].numberValue
            else { return nil }
            return Position(x: x, y: y)
        }
        set {
            fields["position"] = newValue.map { .array([.number($0.x), .number($0.y)]) }
        }
    }

    /// The non-default parameters as written (`{}` when missing).
    public var parameters: JSONObject {
        get { fields["parameters"]?.objectValue ?? [:] }
        set { fields["parameters"] = .object(newValue) }
    }

    /// The raw `credentials` object (`{ "<type>": { "id", "name" } }`).
    public var credentials: JSONObject? {
        get { fields["credentials"]?.objectValue }
        set { fields["credentials"] = newValue.map(JSONValue.object) }
    }

    /// The credentials the node references, in file order.
    public var credentialReferences: [CredentialReference] {
        guard let credentials else { return [] }
        return credentials.map { type, value in
            CredentialReference(type: type, id: value["id"]?.stringValue, name: value["name"]?.stringValue ?? value.stringValue)
        }
    }

    /// Whether the node is disabled (it then passes input 0 through).
    public var disabled: Bool { fields["disabled"]?.boolValue ?? false }
    /// Free-text notes.
    public var notes: String? { fields["notes"]?.stringValue }
    /// Whether failed runs are retried.
    public var retryOnFail: Bool { fields["retryOnFail"]?.boolValue ?? false }
    /// `maxTries` as written (the engine clamps it); `nil` when absent.
    public var maxTries: Double? { fields["maxTries"]?.numberValue }
    /// `waitBetweenTries` in milliseconds as written (the engine clamps it); `nil` when absent.
    public var waitBetweenTries: Double? { fields["waitBetweenTries"]?.numberValue }
    /// Whether an empty output 0 becomes one empty item.
    public var alwaysOutputData: Bool { fields["alwaysOutputData"]?.boolValue ?? false }
    /// Whether the node runs with only the first item of each input.
    public var executeOnce: Bool { fields["executeOnce"]?.boolValue ?? false }
    /// The legacy continue flag (`onError: continueRegularOutput` in newer files).
    public var continueOnFail: Bool { fields["continueOnFail"]?.boolValue ?? false }
    /// The webhook id used to build webhook URLs.
    public var webhookId: String? { fields["webhookId"]?.stringValue }
    /// `onError` as written; `nil` when absent or not one of n8n's three values.
    public var onError: ErrorPolicy? { fields["onError"]?.stringValue.flatMap(ErrorPolicy.init(rawValue:)) }

    /// The effective error policy: `onError`, else `continueOnFail` as `continueRegularOutput`, else stop.
    public var errorPolicy: ErrorPolicy {
        if let onError { return onError }
        return continueOnFail ? .continueRegularOutput : .stopWorkflow
    }

    /// Whether this is a sticky note (never runs, has no connections).
    public var isStickyNote: Bool { type == "n8n-nodes-base.stickyNote" }
}

/// A canvas position in n8n's coordinates (x grows right, y grows down).
public struct Position: Sendable, Hashable {
    /// Horizontal position, growing to the right.
    public var x: Double
    /// Vertical position, growing downwards.
    public var y: Double

    /// Creates a position.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
