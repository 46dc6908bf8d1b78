import FlowrunCore
import FlowrunExpressions

/// Stop and Error (`n8n-nodes-base.stopAndError`): fails the workflow with a message or an error
/// object.
struct StopAndErrorNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.stopAndError", typeVersions: [1], displayName: "Stop and Error", outputs: 0)

    let errorType: Param<String>
    let errorMessage: Param<String>
    let errorObject: Param<JSONValue?>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        errorType = p["errorType"].choice(["errorMessage", "errorObject"], default: "errorMessage")
        errorMessage = p["errorMessage"].string(default: "")
        errorObject = p["errorObject"].value(default: "")
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        if try errorType.value(for: 0, in: context) == "errorMessage" {
            throw NodeError(.stopped, try errorMessage.value(for: 0, in: context), node: context.nodeName)
        }
        var object: JSONObject = [
            "name": "User-thrown error",
            "message": .string("Workflow ID \(context.workflowID ?? "undefined") \"\(context.workflowName ?? "undefined")\" has failed"),
        ]
        let raw = try errorObject.value(for: 0, in: context)
        let parsed: JSONValue?
        if case .string(let s)? = raw { parsed = RelaxedJSON.parse(s) } else { parsed = raw }
        guard case .object(let custom)? = parsed else {
            throw context.error("The error object is not valid JSON")
        }
        for (k, v) in custom { object[k] = v }
        throw NodeError(.stopped, JS.string(object["message"]), node: context.nodeName, extra: object)
    }
}
