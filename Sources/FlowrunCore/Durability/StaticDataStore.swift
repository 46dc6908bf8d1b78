public import FlowrunExpressions

/// Workflow static data (n8n's `$getWorkflowStaticData('global' | 'node')`), one JSON value per
/// workflow, kept across executions.
public protocol StaticDataStore: StateStore {
    /// The workflow's static data; nil when none was stored.
    func staticData(workflowID: String) async throws -> JSONValue?
    /// Replaces the workflow's static data.
    func setStaticData(_ value: JSONValue, workflowID: String) async throws
}
