public import FlowrunExpressions
public import Hummingbird
import Logging
import Synchronization

/// A local stand-in for Anthropic's Messages API: `POST /v1/messages` exactly as the public API
/// takes and answers it, deterministic replies, fault injection and a request log.
///
/// Replies: a canned reply when the prompt (system or any message) contains a registered marker;
/// otherwise `{"echo": <last user text>, "words": n}` as JSON text when the system prompt or the
/// last user message mentions JSON; otherwise `Echo: <last user text>`. Token counts are word
/// counts. `stop_sequences` and `max_tokens` cut the reply as the API does.
///
/// Admin routes (beside `v1/messages`): `GET _admin/requests` (the log), `POST _admin/faults`
/// (`{"faults": [{"type": "rate_limit"|"overloaded"|"server_error"|"permission"|"malformed",
/// "retryAfter": seconds, "count": n}]}`), `POST _admin/replies` (`{"marker", "text"}`),
/// `POST _admin/reset`.
public final class AnthropicStandIn: Sendable {
    /// One request as received.
    public struct RecordedRequest: Sendable {
        public var method: String
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        /// The parsed body (nil when it was not JSON).
        public var body: JSONValue?
        /// The status answered.
        public var status: Int

        /// The entry for `GET _admin/requests`: keys are shown by their length only, in case a
        /// real key was sent to the stand-in by mistake.
        var jsonValue: JSONValue {
            let shown = headers.sorted { $0.key < $1.key }.map { name, value in
                (name, JSONValue.string(name == "x-api-key" ? "(\(value.count) characters)" : value))
            }
            return .object([
                "method": .string(method), "path": .string(path),
                "headers": .object(JSONObject(uniqueKeysWithValues: shown)),
                "body": body ?? .null, "status": .number(Double(status)),
            ])
        }
    }

    /// An injected failure for the next `count` message requests.
    public struct Fault: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            /// 429 `rate_limit_error` with `retry-after`.
            case rateLimit = "rate_limit"
            /// 529 `overloaded_error`.
            case overloaded
            /// 500 `api_error`.
            case serverError = "server_error"
            /// 403 `permission_error`.
            case permission
            /// 200 with a body that is not JSON.
            case malformed
        }

        public var kind: Kind
        public var retryAfterSeconds: Int?
        public var count: Int

        public init(_ kind: Kind, retryAfterSeconds: Int? = nil, count: Int = 1) {
            self.kind = kind
            self.retryAfterSeconds = retryAfterSeconds
            self.count = count
        }
    }

    struct State {
        var requests: [RecordedRequest] = []
        var faults: [Fault] = []
        var canned: [(marker: String, text: String)] = []
        var nextID = 1
    }

    private let state = Mutex(State())
    /// The key requests must carry (nil: any non-empty key).
    public let apiKey: String?

    public init(apiKey: String? = nil) {
        self.apiKey = apiKey
    }

    // MARK: Scripting from Swift

    /// Answers `text` to requests whose prompt contains `marker` (first registered wins).
    public func reply(whenPromptContains marker: String, with text: String) {
        state.withLock { $0.canned.append((marker, text)) }
    }

    /// Queues failures for the next message requests, in order.
    public func inject(_ faults: [Fault]) {
        state.withLock { $0.faults += faults.filter { $0.count > 0 } }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Forgets requests, faults and canned replies.
    public func reset() {
        state.withLock { $0 = State() }
    }

    // MARK: Handling

    /// Handles `POST /v1/messages` (exposed for tests that need no socket).
    public func handleMessages(headers: [String: String], body: [UInt8]) -> AnthropicMessages.Answer {
        let json = try? JSONValue(parsing: body)
        let answer: AnthropicMessages.Answer = state.withLock { state in
            if let invalid = AnthropicMessages.validate(headers: headers, body: json, apiKey: apiKey) { return invalid }
            if !state.faults.isEmpty {
                let fault = state.faults[0]
                state.faults[0].count -= 1
                if state.faults[0].count <= 0 { state.faults.removeFirst() }
                return Self.answer(for: fault)
            }
            let id = "msg_standin_\(String(state.nextID, radix: 10))"
            state.nextID += 1
            guard case .object(let o)? = json else { return AnthropicMessages.error(400, "invalid_request_error", "body") }
            return AnthropicMessages.Answer(status: 200, headers: [("request-id", "req_\(id)")],
                                            json: AnthropicMessages.reply(to: o, canned: state.canned, id: id))
        }
        record(RecordedRequest(method: "POST", path: "/v1/messages", headers: headers, body: json, status: answer.status))
        return answer
    }

    private func record(_ request: RecordedRequest) {
        state.withLock { $0.requests.append(request) }
    }

    static func answer(for fault: Fault) -> AnthropicMessages.Answer {
        switch fault.kind {
        case .rateLimit:
            let seconds = fault.retryAfterSeconds ?? 1
            return AnthropicMessages.error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                                           headers: [("retry-after", "\(seconds)")])
        case .overloaded:
            let headers = fault.retryAfterSeconds.map { [("retry-after", "\($0)")] } ?? []
            return AnthropicMessages.error(529, "overloaded_error", "Overloaded", headers: headers)
        case .serverError: return AnthropicMessages.error(500, "api_error", "Internal server error")
        case .permission:
            return AnthropicMessages.error(403, "permission_error", "Your API key does not have permission to use the specified resource.")
        case .malformed: return AnthropicMessages.Answer(status: 200, raw: "{\"id\": \"msg_truncated\", \"content\": [")
        }
    }

    /// Applies an admin request body (`_admin/faults`, `_admin/replies`); nil on success, else why.
    func admin(_ action: String, body: JSONValue?) -> String? {
        switch action {
        case "faults":
            var faults: [Fault] = []
            for f in body?["faults"]?.arrayValue ?? [] {
                guard let kind = f["type"]?.stringValue.flatMap(Fault.Kind.init(rawValue:)) else { return "unknown fault type" }
                faults.append(Fault(kind, retryAfterSeconds: f["retryAfter"]?.numberValue.map { Int($0) },
                                    count: f["count"]?.numberValue.map { Int($0) } ?? 1))
            }
            inject(faults)
        case "replies":
            guard let marker = body?["marker"]?.stringValue, let text = body?["text"]?.stringValue else { return "expected {marker, text}" }
            reply(whenPromptContains: marker, with: text)
        case "reset": reset()
        default: return "unknown admin action"
        }
        return nil
    }

    var requestLog: JSONValue { .array(requests.map(\.jsonValue)) }
}
