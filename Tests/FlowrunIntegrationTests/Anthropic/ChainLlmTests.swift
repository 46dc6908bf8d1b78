import FlowrunCore
import FlowrunExpressions
import FlowrunStandIns
import Foundation
import Testing

@Suite("Anthropic: Basic LLM Chain with the Anthropic Chat Model")
struct ChainLlmTests {
    static func workflow(chain: String, model: String, chainVersion: Double = 1.5, modelVersion: Double = 1.3, modelDisabled: Bool = false) -> String {
        """
        {"name":"Chain","nodes":[
          {"parameters":{},"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
          {"parameters":\(chain),"name":"Chain","type":"@n8n/n8n-nodes-langchain.chainLlm","typeVersion":\(chainVersion),"position":[200,0]},
          {"parameters":\(model),"name":"Model","type":"@n8n/n8n-nodes-langchain.lmChatAnthropic","typeVersion":\(modelVersion),
           "position":[200,200],"disabled":\(modelDisabled),"credentials":{"anthropicApi":{"id":"a1","name":"Claude"}}}],
         "connections":{"Start":{"main":[[{"node":"Chain","type":"main","index":0}]]},
                        "Model":{"ai_languageModel":[[{"node":"Chain","type":"ai_languageModel","index":0}]]}}}
        """
    }

    static let model = #"{"model":{"__rl":true,"mode":"list","value":"claude-3-5-haiku-20241022"},"options":{"temperature":0.1}}"#

    @Test("The chain sends its prompt and chat messages through the connected model and outputs {text}")
    func chain() async throws {
        let chain = """
            {"promptType":"define","text":"=Write about {{ $json.topic }}",
             "messages":{"messageValues":[{"type":"SystemMessagePromptTemplate","message":"You are terse."},
                                          {"type":"HumanMessagePromptTemplate","message":"Earlier question"},
                                          {"type":"AIMessagePromptTemplate","message":"Earlier answer"}]}}
            """
        try await AnthropicHarness.withStandIn { standIn, run in
            let result = try await run(Self.workflow(chain: chain, model: Self.model), [Item(json: ["topic": "owls"])])
            #expect(result.status == .success, "\(String(describing: result.error))")
            #expect(AnthropicHarness.output(result, "Chain").first?.json == ["text": "Echo: Write about owls"])
            #expect(AnthropicHarness.output(result, "Chain").first?.pairedItem == [PairedItem(item: 0)])
            #expect(result.runData["Model"] == nil)
            let body = try #require(standIn.requests.first?.body)
            #expect(body["model"] == "claude-3-5-haiku-20241022")
            #expect(body["system"] == "You are terse.")
            #expect(body["max_tokens"] == 4096)
            #expect(body["temperature"] == 0.1)
            #expect(body["messages"] == [["role": "user", "content": "Earlier question"], ["role": "assistant", "content": "Earlier answer"],
                                         ["role": "user", "content": "Write about owls"]])
        }
    }

    @Test("promptType auto reads $json.chatInput and says so when it is missing; old versions read `prompt`")
    func promptSources() async throws {
        try await AnthropicHarness.withStandIn { _, run in
            let auto = try await run(Self.workflow(chain: #"{"promptType":"auto"}"#, model: Self.model), [Item(json: ["chatInput": "hello"])])
            #expect(AnthropicHarness.output(auto, "Chain").first?.json == ["text": "Echo: hello"])
            let missing = try await run(Self.workflow(chain: #"{}"#, model: Self.model), [Item(json: ["other": 1])])
            let error = try #require(missing.runData["Chain"]?.last?.error)
            #expect(error.message == "No prompt specified")
            #expect(error.detail?.contains("chatInput") == true)
            let legacy = try await run(Self.workflow(chain: #"{"prompt":"={{ $json.q }}"}"#, model: #"{"model":"claude-3-haiku-20240307"}"#,
                                                     chainVersion: 1.2, modelVersion: 1.2), [Item(json: ["q": "old"])])
            #expect(AnthropicHarness.output(legacy, "Chain").first?.json == ["text": "Echo: old"])
        }
    }

    @Test("A missing or disabled model is a clear configuration error; model errors name the model node")
    func modelErrors() async throws {
        try await AnthropicHarness.withStandIn(key: "sk-ant-WRONG-1") { _, run in
            let disabled = try await run(Self.workflow(chain: #"{"promptType":"auto"}"#, model: Self.model, modelDisabled: true),
                                         [Item(json: ["chatInput": "x"])])
            #expect(disabled.runData["Chain"]?.last?.error?.message == "A Chat Model sub-node must be connected and enabled")
            let auth = try await run(Self.workflow(chain: #"{"promptType":"auto"}"#, model: Self.model), [Item(json: ["chatInput": "x"])])
            let error = try #require(auth.runData["Chain"]?.last?.error)
            #expect(error.node == "Model")
            #expect(error.message.contains("authentication_error"))
        }
    }
}
