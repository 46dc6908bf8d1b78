/// Checks each node's `flowrun` key (retry with backoff, circuit breaker: docs/resilience.md) at
/// load time, so a typo in a retry setting is reported by `flowrun validate`, not on the first
/// failure in production.
public struct ResilienceSettingsCheck: WorkflowCheck {
    public init() {}

    public func check(_ document: WorkflowDocument, in context: WorkflowCheckContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (index, node) in document.nodes.enumerated() where node.fields["flowrun"] != nil {
            do {
                _ = try NodeResilienceSettings(node: node)
            } catch {
                diagnostics.append(context.diagnostic(.error, .invalidNodeField, error.message, node: node.name,
                                                      parameter: error.parameter ?? "flowrun", path: "nodes[\(index)].flowrun"))
            }
        }
        return diagnostics
    }
}
