import FlowrunCore
import FlowrunExpressions

/// Anthropic "Message a model" (`@n8n/n8n-nodes-langchain.anthropic`, resource `text`, operation
/// `message`): one Messages API call per input item.
///
/// Output as n8n's: simplified `{content, merged_response?}`, or the full response (`id`, `model`,
/// `content`, `stop_reason`, `usage`…). flowrun adds `jsonOutput` (the name of n8n's OpenAI
/// option): the reply is parsed as JSON into the item's fields, failing clearly when it is not JSON.
struct AnthropicMessageNode: Node {
    static let description = NodeDescription(
        type: "@n8n/n8n-nodes-langchain.anthropic", typeVersions: [1], displayName: "Anthropic", hasSideEffects: true)

    struct Message {
        let content: Param<String>
        let role: Param<String>
    }

    let model: Param<JSONValue?>
    let messages: [Message]
    let simplify: Param<Bool>
    let jsonOutput: Param<Bool>
    let options: AnthropicSampling
    let includeMergedResponse: Param<Bool>
    let credential: JSONValue?

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        _ = p["resource"].choice(["text"], default: "text")
        _ = p["operation"].choice(["message"], default: "message")
        model = p["modelId"].json(default: .string(""))
        messages = p["messages"]["values"].elements().map { m in
            Message(content: m["content"].string(default: ""), role: m["role"].choice(["user", "assistant"], default: "user"))
        }
        simplify = p["simplify"].bool(default: true)
        jsonOutput = p["jsonOutput"].bool(default: false)
        let o = p["options"]
        o.expectObject()
        options = AnthropicSampling(o, maxTokensField: "maxTokens", defaultMaxTokens: 1024)
        includeMergedResponse = o["includeMergedResponse"].bool(default: false)
        for unsupported in ["codeExecution", "webSearch"] where o[unsupported].bool(default: false).constantValue == true {
            o[unsupported].report("\(unsupported) (Anthropic server tools) is not supported by flowrun yet")
        }
        if p["addAttachments"].bool(default: false).constantValue == true {
            p["addAttachments"].report("attachments are not supported by flowrun yet")
        }
        credential = c.credentials?["anthropicApi"]
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main
        var out: [Item] = []
        var client: AnthropicClient?
        for index in items.indices {
            do {
                if client == nil { client = try await AnthropicClient.resolve(reference: credential, context: context, node: context.nodeName) }
                out.append(try await run(index, client: client!, context: context))
            } catch where context.continueOnFail {
                let message = (error as? NodeError)?.message ?? "\(error)"
                out.append(Item(json: ["error": .string(message)], pairedItem: [PairedItem(item: index)]))
            }
        }
        return [out]
    }

    private func run(_ i: Int, client: AnthropicClient, context: ExecutionContext) async throws -> Item {
        let modelID = AnthropicSampling.modelID(try model.value(for: i, in: context))
        guard !modelID.isEmpty else {
            throw NodeError(.invalidParameter, "no model is chosen", node: context.nodeName, parameter: "modelId", itemIndex: i)
        }
        var list: [JSONValue] = []
        for m in messages {
            list.append(.object(["role": .string(try m.role.value(for: i, in: context)),
                                 "content": .string(try m.content.value(for: i, in: context))]))
        }
        var body: JSONObject = ["model": .string(modelID), "messages": .array(list)]
        try options.apply(to: &body, itemIndex: i, context: context)
        let response = try await client.messages(body, context: context, itemIndex: i)
        let content = response["content"] ?? .array([])
        let text = AnthropicSampling.text(of: content)
        context.logger.debug("Anthropic message answered", metadata: [
            "flowrun.node.name": "\(context.nodeName)", "flowrun.anthropic.stop_reason": "\(response["stop_reason"]?.stringValue ?? "-")",
            "flowrun.anthropic.input_tokens": "\(response["usage"]?["input_tokens"]?.numberValue.map { Int($0) } ?? 0)",
            "flowrun.anthropic.output_tokens": "\(response["usage"]?["output_tokens"]?.numberValue.map { Int($0) } ?? 0)",
        ])
        let simplified = try simplify.value(for: i, in: context)
        var json: JSONObject
        if try jsonOutput.value(for: i, in: context) {
            let parsed = try ModelReplyJSON.parse(text, stopReason: response["stop_reason"]?.stringValue, context: context, itemIndex: i)
            json = simplified ? ModelReplyJSON.fields(parsed) : response.merging(["json": parsed]) { _, new in new }
        } else {
            json = simplified ? ["content": content] : response
            if try includeMergedResponse.value(for: i, in: context) { json["merged_response"] = .string(text) }
        }
        return Item(json: json, pairedItem: [PairedItem(item: i)])
    }
}
