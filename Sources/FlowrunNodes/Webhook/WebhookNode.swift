import FlowrunCore
import FlowrunExpressions

/// Webhook (`n8n-nodes-base.webhook`, v1, 1.1, 2, 2.1): starts an execution for an HTTP request.
///
/// `flowrun serve` matches the request (`WebhookTriggerSpec`), builds n8n's item
/// (`WebhookRequestItem`) and starts the execution at this node with it; the node passes the item
/// on. With `multipleMethods` (v2+) there is one output per method, in `httpMethod`'s order, and the
/// item leaves on the output of the request's method.
struct WebhookNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.webhook", typeVersions: [1, 1.1, 2, 2.1], displayName: "Webhook", isTrigger: true)

    let spec: WebhookTriggerSpec

    init(configuration c: NodeConfiguration) throws {
        spec = WebhookTriggerSpec(
            parameters: c.parameters.raw?.objectValue ?? [:], typeVersion: c.typeVersion, nodeName: c.nodeName)
        for problem in spec.problems { c.parameters.report(problem) }
    }

    var outputCount: Int { spec.multipleMethods ? max(1, spec.methods.count) : 1 }
    var outputNames: [String] { spec.multipleMethods ? spec.methods : [] }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main.isEmpty ? [Item()] : input.main
        guard spec.multipleMethods else { return [items] }
        let method = WebhookResponding.current?.requestMethod ?? spec.methods.first ?? "GET"
        let index = spec.methods.firstIndex(of: method) ?? 0
        return (0..<outputCount).map { $0 == index ? items : [] }
    }
}
