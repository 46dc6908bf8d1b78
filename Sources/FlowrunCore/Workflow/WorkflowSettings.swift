public import FlowrunExpressions

/// The workflow's `settings` object with typed access to the keys that change execution.
///
/// Every key is kept in `fields`, known or not, so a round trip keeps the object as written.
public struct WorkflowSettings: Sendable, Hashable {
    /// All settings as written, in file order.
    public var fields: JSONObject

    /// Wraps a `settings` object as written.
    public init(_ fields: JSONObject = [:]) {
        self.fields = fields
    }

    /// n8n's run-loop algorithm (`"v0"` or `"v1"`); `nil` when absent.
    ///
    /// n8n runs anything other than `"v1"` with the legacy v0 paths; which default flowrun applies to
    /// an absent key is the engine's decision, so this reports the raw value.
    public var executionOrder: String? {
        get { fields["executionOrder"]?.stringValue }
        set { fields["executionOrder"] = newValue.map(JSONValue.string) }
    }

    /// `"DEFAULT"` or an IANA zone name; `nil` when absent.
    public var timezone: String? {
        get { fields["timezone"]?.stringValue }
        set { fields["timezone"] = newValue.map(JSONValue.string) }
    }

    /// The id of the workflow to run when this one fails.
    public var errorWorkflow: String? {
        get { fields["errorWorkflow"]?.stringValue }
        set { fields["errorWorkflow"] = newValue.map(JSONValue.string) }
    }

    /// Hard timeout in seconds; `nil` when absent or not positive (n8n uses -1 for "none").
    public var executionTimeout: Double? {
        get {
            guard let seconds = fields["executionTimeout"]?.numberValue, seconds > 0 else { return nil }
            return seconds
        }
        set { fields["executionTimeout"] = newValue.map(JSONValue.number) }
    }

    /// Who may call this workflow as a sub-workflow (`any`, `none`, `workflowsFromAList`,
    /// `workflowsFromSameOwner`); `nil` when absent.
    public var callerPolicy: String? {
        get { fields["callerPolicy"]?.stringValue }
        set { fields["callerPolicy"] = newValue.map(JSONValue.string) }
    }
}
