import FlowrunCore
import FlowrunExpressions
import FlowrunStandIns
import Foundation
import Synchronization
import Testing

@Suite("Anthropic: Message a model against the stand-in")
struct AnthropicMessageTests {
    static let basic = """
        {"resource":"text","operation":"message",
         "modelId":{"__rl":true,"mode":"list","value":"claude-sonnet-4-5-20250929","cachedResultName":"Claude Sonnet 4.5"},
         "messages":{"values":[{"content":"=Summarise {{ $json.topic }}"}]},"options":{"system":"Be brief."}}
        """

    @Test("Sends n8n's request (headers, model, messages, max_tokens 1024, system; no unset options) and outputs n8n's simplified content")
    func basicMessage() async throws {
        try await AnthropicHarness.withStandIn { standIn, run in
            let result = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "owls"]), Item(json: ["topic": "bats"])])
            #expect(result.status == .success, "\(String(describing: result.error))")
            let items = AnthropicHarness.output(result)
            #expect(items.count == 2)
            #expect(items[0].json == ["content": .array([.object(["type": "text", "text": "Echo: Summarise owls"])])])
            #expect(items[1].pairedItem == [PairedItem(item: 1)])
            let request = try #require(standIn.requests.first)
            #expect(request.headers["x-api-key"] == AnthropicHarness.apiKey)
            #expect(request.headers["anthropic-version"] == "2023-06-01")
            #expect(request.headers["content-type"] == "application/json")
            let body = try #require(request.body?.objectValue)
            #expect(body["model"] == "claude-sonnet-4-5-20250929")
            #expect(body["max_tokens"] == 1024)
            #expect(body["system"] == "Be brief.")
            #expect(body["messages"] == [["role": "user", "content": "Summarise owls"]])
            #expect(body["temperature"] == nil && body["top_p"] == nil && body["top_k"] == nil)
        }
    }

    @Test("simplify: false gives the full response with usage and stop_reason; options reach the request")
    func fullResponse() async throws {
        let parameters = """
            {"modelId":"claude-3-5-haiku-20241022","simplify":false,
             "messages":{"values":[{"content":"one two three four five","role":"user"}]},
             "options":{"maxTokens":3,"temperature":0.2,"topP":0.9,"topK":5,"stopSequences":"END, STOP","includeMergedResponse":true}}
            """
        try await AnthropicHarness.withStandIn { standIn, run in
            let result = try await run(AnthropicHarness.messageWorkflow(parameters), [Item()])
            let json = try #require(AnthropicHarness.output(result).first?.json)
            #expect(json["type"] == "message" && json["role"] == "assistant")
            #expect(json["stop_reason"] == "max_tokens")
            #expect(json["usage"]?["output_tokens"] == 3)
            #expect(json["usage"]?["input_tokens"] == 5)
            #expect(json["merged_response"] == "Echo: one two")
            let body = try #require(standIn.requests.first?.body)
            #expect(body["temperature"] == 0.2 && body["top_p"] == 0.9 && body["top_k"] == 5)
            #expect(body["stop_sequences"] == ["END", "STOP"])
        }
    }

    @Test("jsonOutput parses the reply into the item's fields, and fails clearly when the reply is not JSON")
    func jsonOutput() async throws {
        let asks = """
            {"modelId":"claude-3-5-haiku-20241022","jsonOutput":true,"messages":{"values":[{"content":"={{ $json.q }}"}]},
             "options":{"system":"Answer in JSON only."}}
            """
        try await AnthropicHarness.withStandIn { standIn, run in
            let ok = try await run(AnthropicHarness.messageWorkflow(asks), [Item(json: ["q": "rate this lead"])])
            #expect(AnthropicHarness.output(ok).first?.json == ["echo": "rate this lead", "words": 3])

            standIn.reply(whenPromptContains: "fenced", with: "Sure:\n```json\n{\"score\": 7}\n```")
            let fenced = try await run(AnthropicHarness.messageWorkflow(asks), [Item(json: ["q": "fenced"])])
            #expect(AnthropicHarness.output(fenced).first?.json == ["score": 7])

            standIn.reply(whenPromptContains: "prose", with: "I would rather not.")
            let bad = try await run(AnthropicHarness.messageWorkflow(asks), [Item(json: ["q": "prose"])])
            #expect(bad.status == .error)
            let error = try #require(bad.runData["Claude"]?.last?.error)
            #expect(error.message.contains("is not the JSON object asked for"))
            #expect(error.message.contains("stop_reason end_turn"))
            #expect(!error.message.contains("rather not"))
        }
    }

    @Test("API errors surface their type and status; a wrong key is a credentials error without the key")
    func apiErrors() async throws {
        try await AnthropicHarness.withStandIn(key: "sk-ant-WRONG-9999") { _, run in
            let result = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "x"])])
            let error = try #require(result.runData["Claude"]?.last?.error)
            #expect(error.code == .credentials)
            #expect(error.message.contains("401 authentication_error"))
            #expect(error.extra["errorType"] == "authentication_error")
            #expect(!"\(error) \(error.detail ?? "")".contains("sk-ant-WRONG-9999"))
        }
        try await AnthropicHarness.withStandIn { standIn, run in
            let unknown = try await run(AnthropicHarness.messageWorkflow(#"{"modelId":"gpt-4o","messages":{"values":[{"content":"hi"}]}}"#), [Item()])
            #expect(unknown.runData["Claude"]?.last?.error?.extra["errorType"] == "not_found_error")
            #expect(unknown.runData["Claude"]?.last?.error?.extra["httpCode"] == "404")
            let invalid = try await run(AnthropicHarness.messageWorkflow(
                #"{"modelId":"claude-x","messages":{"values":[{"content":"hi"}]},"options":{"temperature":3}}"#), [Item()])
            let error = try #require(invalid.runData["Claude"]?.last?.error)
            #expect(error.message.contains("400 invalid_request_error"))
            #expect(error.message.contains("temperature"))
            standIn.inject([.init(.permission)])
            let denied = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "x"])])
            #expect(denied.runData["Claude"]?.last?.error?.extra["errorType"] == "permission_error")
            standIn.inject([.init(.malformed)])
            let malformed = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "x"])])
            #expect(malformed.runData["Claude"]?.last?.error?.message.contains("not a JSON message object") == true)
        }
    }

    @Test("429 and 529 are retried after retry-after on the execution clock; a third failure is surfaced")
    func retries() async throws {
        try await AnthropicHarness.withStandIn { standIn, run in
            standIn.inject([.init(.rateLimit, retryAfterSeconds: 7, count: 1), .init(.overloaded, count: 1)])
            let start = ContinuousClock.now
            let result = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "retry"])])
            #expect(result.status == .success)
            #expect(standIn.requests.map(\.status) == [429, 529, 200])
            // The 7 s retry-after was slept on the virtual clock, not the wall clock.
            #expect(ContinuousClock.now - start < .seconds(5))

            standIn.inject([.init(.overloaded, count: 3)])
            let failed = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "retry"])])
            let error = try #require(failed.runData["Claude"]?.last?.error)
            #expect(error.message.contains("529 overloaded_error"))
            #expect(standIn.requests.suffix(3).map(\.status) == [529, 529, 529])

            standIn.inject([.init(.rateLimit, retryAfterSeconds: 3600)])
            let tooLong = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "wait"])])
            #expect(tooLong.runData["Claude"]?.last?.error?.extra["errorType"] == "rate_limit_error")
        }
    }

    @Test("With continueOnFail each failing item becomes {error} and the others go on")
    func continueOnFail() async throws {
        let settings = #","onError":"continueRegularOutput""#
        try await AnthropicHarness.withStandIn { standIn, run in
            standIn.inject([.init(.serverError, count: 3)])
            let result = try await run(AnthropicHarness.messageWorkflow(Self.basic, settings: settings),
                                       [Item(json: ["topic": "a"]), Item(json: ["topic": "b"])])
            #expect(result.status == .success)
            let items = AnthropicHarness.output(result)
            #expect(items.count == 2)
            #expect(items[0].json["error"]?.stringValue?.contains("500 api_error") == true)
            #expect(items[1].json["content"] != nil)
        }
    }

    @Test("With a resilience service the call goes through it, which sees retry-after as a retryable disposition")
    func throughResilience() async throws {
        let resilience = RecordingResilience()
        try await AnthropicHarness.withStandIn(resilience: resilience) { standIn, run in
            standIn.inject([.init(.rateLimit, retryAfterSeconds: 2, count: 1)])
            let result = try await run(AnthropicHarness.messageWorkflow(Self.basic), [Item(json: ["topic": "via breaker"])])
            #expect(result.status == .success)
            #expect(resilience.calls.map(\.target) == ["anthropic 127.0.0.1"])
            #expect(resilience.calls.first?.policy.maxAttempts == 3)
            #expect(resilience.dispositions == [.retryable(after: .seconds(2))])
            #expect(standIn.requests.map(\.status) == [429, 200])
        }
    }
}

/// A resilience service that retries retryable failures at once and records what it saw.
final class RecordingResilience: ResilienceService {
    private let state = Mutex<(calls: [(target: String, policy: CallPolicy)], dispositions: [RetryDisposition])>(([], []))
    var calls: [(target: String, policy: CallPolicy)] { state.withLock { $0.calls } }
    var dispositions: [RetryDisposition] { state.withLock { $0.dispositions } }

    func call<T: Sendable>(target: String, policy: CallPolicy, context: ExecutionContext, _ operation: () async throws -> T) async throws -> T {
        state.withLock { $0.calls.append((target, policy)) }
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as any RetryClassifying {
                state.withLock { $0.dispositions.append(error.retryDisposition) }
                guard attempt < policy.maxAttempts, case .retryable = error.retryDisposition else { throw error }
                attempt += 1
            }
        }
    }
}
