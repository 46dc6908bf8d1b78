import FlowrunCore
import FlowrunExpressions
import Foundation

/// Basic LLM Chain (`@n8n/n8n-nodes-langchain.chainLlm`): per item, the prompt (from
/// `$json.chatInput` or `text`, or `prompt` before 1.4) with the chat messages
/// (`messages.messageValues`) sent to the model connected on `ai_languageModel`; outputs
/// `{text}` as n8n does for a chat model without an output parser.
struct ChainLlmNode: Node {
    static let description = NodeDescription(
        type: "@n8n/n8n-nodes-langchain.chainLlm", typeVersions: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7],
        displayName: "Basic LLM Chain", hasSideEffects: true)

    struct Template {
        /// `SystemMessagePromptTemplate`, `AIMessagePromptTemplate` or `HumanMessagePromptTemplate`.
        let type: Param<String>
        let message: Param<String>
    }

    static let templateTypes = ["SystemMessagePromptTemplate", "AIMessagePromptTemplate", "HumanMessagePromptTemplate"]

    let prompt: Param<String?>
    let promptIsAuto: Bool
    let legacyPrompt: Bool
    let templates: [Template]
    let hasOutputParser: Bool

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        legacyPrompt = c.typeVersion <= 1.3
        if legacyPrompt {
            let fallback = c.typeVersion < 1.1 ? "={{ $json.input }}" : c.typeVersion < 1.3 ? "={{ $json.chat_input }}" : "={{ $json.chatInput }}"
            prompt = Self.stringParam(p["prompt"].raw ?? .string(fallback), path: "prompt")
            promptIsAuto = false
        } else {
            let type = p["promptType"].choice(["auto", "define", "guardrails"], default: "auto")
            promptIsAuto = (type.constantValue ?? "auto") == "auto"
            // n8n's getPromptInputByType: `auto` reads $json.chatInput, `define` the text parameter.
            prompt = promptIsAuto ? Self.stringParam(.string("={{ $json.chatInput }}"), path: "promptType")
                                  : Self.stringParam(p["text"].raw ?? .string(""), path: "text")
        }
        templates = p["messages"]["messageValues"].elements().map { m in
            let kind = m["messageType"].choice(["text", "imageBinary", "imageUrl"], default: "text")
            if let k = kind.constantValue, k != "text" { m["messageType"].report("image messages are not supported by flowrun yet") }
            return Template(type: m["type"].choice(Self.templateTypes, default: "SystemMessagePromptTemplate"),
                            message: m["message"].string(default: ""))
        }
        hasOutputParser = p["hasOutputParser"].bool(default: false).constantValue ?? false
    }

    private static func stringParam(_ raw: JSONValue, path: String) -> Param<String?> {
        Param(path: path, raw: CompiledParameter(raw)) { value in
            guard let value, !value.isNull else { return nil }
            return value.coercedString
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let model = try languageModel(context)
        var out: [Item] = []
        for i in input.main.indices {
            do {
                out.append(try await run(i, model: model, context: context))
            } catch where context.continueOnFail {
                let message = (error as? NodeError)?.message ?? "\(error)"
                out.append(Item(json: ["error": .string(message)], pairedItem: [PairedItem(item: i)]))
            }
        }
        return [out]
    }

    /// The first enabled `ai_languageModel` sub-node, as a chat model flowrun can call.
    private func languageModel(_ context: ExecutionContext) throws -> (node: WorkflowGraph.GraphNode, provider: any ChatModelProvider) {
        if hasOutputParser, !context.subNodes("ai_outputParser").isEmpty {
            throw context.error("output parsers are not supported by flowrun yet", code: .configuration)
        }
        guard let node = context.subNodes("ai_languageModel").first(where: { !$0.disabled }) else {
            throw context.error("A Chat Model sub-node must be connected and enabled", code: .configuration)
        }
        guard let provider = node.implementation as? any ChatModelProvider else {
            throw context.error("the model sub-node \"\(node.name)\" (\(node.type)) is not supported by flowrun; supported: @n8n/n8n-nodes-langchain.lmChatAnthropic",
                                code: .configuration)
        }
        return (node, provider)
    }

    private func run(_ i: Int, model: (node: WorkflowGraph.GraphNode, provider: any ChatModelProvider), context: ExecutionContext) async throws -> Item {
        guard let query = try prompt.value(for: i, in: context), !(promptIsAuto && query.isEmpty) else {
            if legacyPrompt { throw context.error("The ‘prompt’ parameter is empty.", itemIndex: i) }
            throw context.error("No prompt specified", itemIndex: i, detail: promptIsAuto
                ? "Expected to find the prompt in an input field called 'chatInput' (this is what the chat trigger node outputs). To use something else, change the 'Prompt' parameter"
                : nil)
        }
        var systems: [String] = []
        var messages: [ChatMessage] = []
        for template in templates {
            let text = try template.message.value(for: i, in: context)
            switch try template.type.value(for: i, in: context) {
            case "SystemMessagePromptTemplate": systems.append(text)
            case "AIMessagePromptTemplate": messages.append(ChatMessage(role: "assistant", content: text))
            default: messages.append(ChatMessage(role: "user", content: text))
            }
        }
        messages.append(ChatMessage(role: "user", content: query))
        let system = systems.filter { !$0.isEmpty }.joined(separator: "\n")
        let reply = try await model.provider.complete(system: system.isEmpty ? nil : system, messages: messages, itemIndex: i,
                                                      context: context.forSubNode(model.node))
        return Item(json: ["text": .string(reply.text.trimmingCharacters(in: .whitespacesAndNewlines))], pairedItem: [PairedItem(item: i)])
    }
}
