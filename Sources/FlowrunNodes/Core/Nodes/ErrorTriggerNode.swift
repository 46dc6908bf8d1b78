import FlowrunCore
import FlowrunExpressions

/// Error Trigger (`n8n-nodes-base.errorTrigger`): starts an error workflow with the failed
/// execution's data (given by the engine as the start input); a manual run without data outputs
/// n8n's sample error item.
struct ErrorTriggerNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.errorTrigger", typeVersions: [1], displayName: "Error Trigger", isTrigger: true)

    init(configuration: NodeConfiguration) throws {}

    static let sample: JSONObject = [
        "execution": [
            "id": "231",
            "url": "https://n8n.example.com/execution/231",
            "retryOf": "34",
            "error": ["message": "Example Error Message", "stack": "Stacktrace"],
            "lastNodeExecuted": "Node With Error",
            "mode": "manual",
        ],
        "workflow": ["id": "1", "name": "Example Workflow"],
    ]

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let real = input.main.filter { !$0.json.isEmpty }
        if !real.isEmpty { return [real] }
        return [[Item(json: Self.sample)]]
    }
}
