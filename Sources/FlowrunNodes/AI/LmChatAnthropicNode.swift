import FlowrunCore
import FlowrunExpressions

/// Anthropic Chat Model (`@n8n/n8n-nodes-langchain.lmChatAnthropic`): the model sub-node of a
/// Basic LLM Chain. Configured by `model` (a plain id before 1.3, a resource locator from 1.3)
/// and `options` (`maxTokensToSample`, `temperature`, `topK`, `topP`, `thinking`,
/// `thinkingBudget`); the chain calls it through `ChatModelProvider`.
struct LmChatAnthropicNode: Node, ChatModelProvider {
    static let description = NodeDescription(
        type: "@n8n/n8n-nodes-langchain.lmChatAnthropic", typeVersions: [1, 1.1, 1.2, 1.3, 1.4],
        displayName: "Anthropic Chat Model", hasSideEffects: true, inputs: 0, outputs: 0)

    /// n8n's `DEFAULT_MAX_TOKENS` for this node.
    static let defaultMaxTokens = 4096

    let model: Param<JSONValue?>
    let sampling: AnthropicSampling
    let credential: JSONValue?

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        let defaultModel: String = switch c.typeVersion {
        case ..<1.1: "claude-2"
        case ..<1.2: "claude-3-sonnet-20240229"
        case ..<1.3: "claude-3-5-sonnet-20240620"
        default: "claude-sonnet-4-5-20250929"
        }
        model = p["model"].json(default: .string(defaultModel))
        let o = p["options"]
        o.expectObject()
        sampling = AnthropicSampling(o, maxTokensField: "maxTokensToSample", defaultMaxTokens: Self.defaultMaxTokens)
        credential = c.credentials?["anthropicApi"]
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        throw context.error("the Anthropic Chat Model runs only as the model of a chain (connect it to a Basic LLM Chain's Model input)",
                            code: .configuration)
    }

    func complete(system: String?, messages: [ChatMessage], itemIndex i: Int, context: ExecutionContext) async throws -> ChatReply {
        let modelID = AnthropicSampling.modelID(try model.value(for: i, in: context))
        guard !modelID.isEmpty else {
            throw NodeError(.invalidParameter, "no model is chosen", node: context.nodeName, parameter: "model", itemIndex: i)
        }
        let client = try await AnthropicClient.resolve(reference: credential, context: context, node: context.nodeName)
        var body: JSONObject = [
            "model": .string(modelID),
            "messages": .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) }),
        ]
        try sampling.apply(to: &body, itemIndex: i, context: context, extraSystem: system)
        let response = try await client.messages(body, context: context, itemIndex: i)
        return ChatReply(text: AnthropicSampling.text(of: response["content"] ?? .array([])),
                         stopReason: response["stop_reason"]?.stringValue, response: response)
    }
}
