public import FlowrunExpressions

/// An n8n workflow file as written: every top-level key in file order, with typed access to the
/// keys flowrun uses.
///
/// `fields` holds every top-level member exactly as read (unknown keys included), so writing the
/// document back loses nothing; `nodes` and `connections` are kept typed beside it and replace the
/// `"nodes"` and `"connections"` members when the document is encoded.
public struct WorkflowDocument: Sendable, Hashable {
    /// Every top-level member in file order. The values of `"nodes"` and `"connections"` here are
    /// placeholders that keep their position; the typed properties are authoritative.
    public var fields: JSONObject
    /// The nodes in file order (order matters for n8n's start-node fallback).
    public var nodes: [NodeDocument]
    /// The connections, keyed by source node name.
    public var connections: WorkflowConnections

    /// Creates a document; `fields` may carry any other top-level members.
    public init(fields: JSONObject = [:], nodes: [NodeDocument] = [], connections: WorkflowConnections = .init()) {
        self.fields = fields
        self.nodes = nodes
        self.connections = connections
        if self.fields["nodes"] == nil { self.fields["nodes"] = .array([]) }
        if self.fields["connections"] == nil { self.fields["connections"] = .object([:]) }
    }
}

extension WorkflowDocument {
    /// The workflow's name (`$workflow.name`); `nil` when the file has none (n8n test files).
    public var name: String? {
        get { fields["name"]?.stringValue }
        set { fields["name"] = newValue.map(JSONValue.string) }
    }

    /// The workflow id (`$workflow.id`), missing in templates.
    public var id: String? {
        get { fields["id"]?.stringValue }
        set { fields["id"] = newValue.map(JSONValue.string) }
    }

    /// The `settings` object; an empty one when the file has none.
    public var settings: WorkflowSettings {
        get { WorkflowSettings(fields["settings"]?.objectValue ?? [:]) }
        set { fields["settings"] = .object(newValue.fields) }
    }

    /// Pinned output per node name, as in the file (`{ "<node>": [ {json: …}, … ] }`).
    public var pinData: JSONObject? {
        get { fields["pinData"]?.objectValue }
        set { fields["pinData"] = newValue.map(JSONValue.object) }
    }

    /// Persistent per-workflow state (`global`, `node:<name>`); usually `null` in exports.
    public var staticData: JSONValue? {
        get { fields["staticData"] }
        set { fields["staticData"] = newValue }
    }

    /// Editor metadata (`instanceId`, `templateId`…); no execution meaning.
    public var meta: JSONValue? {
        get { fields["meta"] }
        set { fields["meta"] = newValue }
    }

    /// Tags as written: objects `{id, name}` or plain names.
    public var tags: [JSONValue]? {
        get { fields["tags"]?.arrayValue }
        set { fields["tags"] = newValue.map(JSONValue.array) }
    }

    /// Whether triggers are registered in production (`$workflow.active`); false when absent.
    public var active: Bool {
        get { fields["active"]?.boolValue ?? false }
        set { fields["active"] = .bool(newValue) }
    }

    /// The revision id; no execution meaning.
    public var versionId: String? {
        get { fields["versionId"]?.stringValue }
        set { fields["versionId"] = newValue.map(JSONValue.string) }
    }

    /// The node named `name`, if any (the first one when names are duplicated).
    public func node(named name: String) -> NodeDocument? {
        nodes.first { $0.name == name }
    }

    /// Every connection as an edge, in file order.
    public var edges: [WorkflowConnections.Edge] { connections.edges }
}
