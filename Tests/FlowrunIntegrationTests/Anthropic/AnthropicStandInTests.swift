import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunStandIns
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Anthropic stand-in: the public Messages API's checks, errors and admin routes")
struct AnthropicStandInTests {
    static let headers = ["x-api-key": "k-1234", "anthropic-version": "2023-06-01", "content-type": "application/json"]

    static func send(_ standIn: AnthropicStandIn, headers: [String: String] = headers, _ body: String) -> (Int, JSONValue?) {
        let answer = standIn.handleMessages(headers: headers, body: Array(body.utf8))
        return (answer.status, try? JSONValue(parsing: answer.body))
    }

    @Test("Missing headers and invalid bodies get the API's status and error body", arguments: [
        (["anthropic-version": "2023-06-01"], #"{"model":"claude-3","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#,
         401, "authentication_error", "x-api-key"),
        (["x-api-key": "k-1234"], #"{"model":"claude-3","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#,
         400, "invalid_request_error", "anthropic-version"),
        (headers, #"{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request_error", "model: Field required"),
        (headers, #"{"model":"claude-3","messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request_error", "max_tokens: Field required"),
        (headers, #"{"model":"claude-3","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request_error", "greater than or equal to 1"),
        (headers, #"{"model":"claude-3","max_tokens":5}"#, 400, "invalid_request_error", "messages: Field required"),
        (headers, #"{"model":"claude-3","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}"#, 400, "invalid_request_error", "messages.0.role"),
        (headers, #"{"model":"claude-3","max_tokens":5,"messages":[{"role":"user","content":""}]}"#, 400, "invalid_request_error", "non-empty"),
        (headers, "not json", 400, "invalid_request_error", "parsing the body"),
        (headers, #"{"model":"gpt-4","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, 404, "not_found_error", "model: gpt-4"),
    ])
    func validation(headers: [String: String], body: String, status: Int, type: String, message: String) {
        let (code, json) = Self.send(AnthropicStandIn(), headers: headers, body)
        #expect(code == status)
        #expect(json?["type"] == "error")
        #expect(json?["error"]?["type"] == .string(type))
        #expect(json?["error"]?["message"]?.stringValue?.contains(message) == true, "\(String(describing: json))")
    }

    @Test("A message answer has the API's shape; ids are sequential; the log records every request")
    func answerShape() throws {
        let standIn = AnthropicStandIn(apiKey: "k-1234")
        let (status, json) = Self.send(standIn, #"{"model":"claude-3-5-haiku","max_tokens":50,"system":"Be kind","messages":[{"role":"user","content":"hello there"}],"stop_sequences":["there"]}"#)
        #expect(status == 200)
        let message = try #require(json)
        #expect(message["id"] == "msg_standin_1" && message["type"] == "message" && message["role"] == "assistant")
        #expect(message["content"] == [["type": "text", "text": "Echo: hello "]])
        #expect(message["model"] == "claude-3-5-haiku")
        #expect(message["stop_reason"] == "stop_sequence" && message["stop_sequence"] == "there")
        #expect(message["usage"] == ["input_tokens": 4, "output_tokens": 2])
        #expect(Self.send(standIn, headers: Self.headers.merging(["x-api-key": "other"]) { $1 }, "{}").0 == 401)
        #expect(standIn.requests.map(\.status) == [200, 401])
        #expect(standIn.requests[0].headers["anthropic-version"] == "2023-06-01")
    }

    @Test("Faults and canned replies are scriptable over HTTP, and the log is readable at GET /_admin/requests")
    func adminRoutes() async throws {
        let standIn = AnthropicStandIn()
        try await standIn.withServer { baseURL in
            try await AsyncHTTPClientTransport.withTransport(logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })) { http in
                func post(_ path: String, _ body: String, headers: [HTTPField] = []) async throws -> HTTPResponseData {
                    try await http.send(HTTPRequestSpec(method: "POST", url: baseURL + path,
                                                        headers: [HTTPField("content-type", "application/json")] + headers, body: Array(body.utf8)))
                }
                #expect(try await post("/_admin/faults", #"{"faults":[{"type":"rate_limit","retryAfter":3}]}"#).status == 200)
                #expect(try await post("/_admin/replies", #"{"marker":"ping","text":"pong"}"#).status == 200)
                let keyed = [HTTPField("x-api-key", "k-9"), HTTPField("anthropic-version", "2023-06-01")]
                let message = #"{"model":"claude-3","max_tokens":5,"messages":[{"role":"user","content":"ping"}]}"#
                let limited = try await post("/v1/messages", message, headers: keyed)
                #expect(limited.status == 429)
                #expect(limited.header("retry-after") == "3")
                #expect(try JSONValue(parsing: limited.body)["error"]?["type"] == "rate_limit_error")
                let ok = try await post("/v1/messages", message, headers: keyed)
                #expect(try JSONValue(parsing: ok.body)["content"]?.arrayValue?.first?["text"] == "pong")
                #expect(ok.header("request-id") != nil)
                let log = try await http.send(HTTPRequestSpec(method: "GET", url: baseURL + "/_admin/requests"))
                let entries = try JSONValue(parsing: log.body).arrayValue ?? []
                #expect(entries.map { $0["status"] } == [429, 200])
                #expect(entries.first?["body"]?["model"] == "claude-3")
                #expect(try await post("/_admin/reset", "{}").status == 200)
                #expect(standIn.requests.isEmpty)
                #expect(try await post("/_admin/faults", #"{"faults":[{"type":"nonsense"}]}"#).status == 400)
            }
        }
    }
}
