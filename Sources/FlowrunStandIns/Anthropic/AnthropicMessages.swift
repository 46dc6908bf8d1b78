public import FlowrunExpressions
import Foundation

/// The Messages API's request checks and deterministic replies, without HTTP (the stand-in's
/// routes adapt it). Follows the public API: `POST /v1/messages` with `x-api-key`,
/// `anthropic-version` and a JSON body `{model, max_tokens, messages, system?, temperature?,
/// top_p?, top_k?, stop_sequences?}`; errors as `{"type": "error", "error": {"type", "message"}}`.
public enum AnthropicMessages {
    /// An HTTP answer: status, extra headers and a JSON body (or raw text for malformed replies).
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String

        init(status: Int, headers: [(String, String)] = [], json: JSONValue) {
            self.status = status
            self.headers = headers
            self.body = json.jsonString()
        }

        init(status: Int, raw: String) {
            self.status = status
            self.headers = []
            self.body = raw
        }
    }

    /// The API's error body.
    public static func error(_ status: Int, _ type: String, _ message: String, headers: [(String, String)] = []) -> Answer {
        Answer(status: status, headers: headers, json: .object([
            "type": "error", "error": .object(["type": .string(type), "message": .string(message)]),
        ]))
    }

    /// Checks headers and body as the API does; nil when the request is acceptable.
    static func validate(headers: [String: String], body: JSONValue?, apiKey: String?) -> Answer? {
        guard let key = headers["x-api-key"], !key.isEmpty else {
            return error(401, "authentication_error", "x-api-key header is required")
        }
        if let apiKey, key != apiKey { return error(401, "authentication_error", "invalid x-api-key") }
        guard let version = headers["anthropic-version"], !version.isEmpty else {
            return error(400, "invalid_request_error", "anthropic-version: header is required")
        }
        guard ["2023-06-01", "2023-01-01"].contains(version) else {
            return error(400, "invalid_request_error", "anthropic-version: \"\(version)\" is not a valid version")
        }
        guard let body, case .object(let o) = body else {
            return error(400, "invalid_request_error", "There was an error parsing the body of your request: expected a JSON object")
        }
        guard let model = o["model"]?.stringValue, !model.isEmpty else {
            return error(400, "invalid_request_error", "model: Field required")
        }
        guard let maxTokens = o["max_tokens"] else { return error(400, "invalid_request_error", "max_tokens: Field required") }
        guard let n = maxTokens.numberValue, n == n.rounded() else {
            return error(400, "invalid_request_error", "max_tokens: Input should be a valid integer")
        }
        if n < 1 { return error(400, "invalid_request_error", "max_tokens: Input should be greater than or equal to 1") }
        guard let messages = o["messages"] else { return error(400, "invalid_request_error", "messages: Field required") }
        guard let list = messages.arrayValue else { return error(400, "invalid_request_error", "messages: Input should be a valid list") }
        if list.isEmpty { return error(400, "invalid_request_error", "messages: at least one message is required") }
        for (index, message) in list.enumerated() {
            guard let role = message["role"]?.stringValue, role == "user" || role == "assistant" else {
                return error(400, "invalid_request_error", "messages.\(index).role: Input should be 'user' or 'assistant'")
            }
            switch message["content"] {
            case .string(let s)? where s.isEmpty:
                return error(400, "invalid_request_error", "messages.\(index): text content blocks must be non-empty")
            case .string?, .array?: break
            default: return error(400, "invalid_request_error", "messages.\(index).content: Field required")
            }
        }
        for (field, upper) in [("temperature", 1.0), ("top_p", 1.0)] {
            if let v = o[field], let x = v.numberValue, x < 0 || x > upper {
                return error(400, "invalid_request_error", "\(field): Input should be between 0 and \(JSNumberFormatting.string(upper))")
            }
        }
        if let s = o["system"], s.stringValue == nil, s.arrayValue == nil {
            return error(400, "invalid_request_error", "system: Input should be a valid string")
        }
        if let stops = o["stop_sequences"], stops.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
            return error(400, "invalid_request_error", "stop_sequences: Input should be a valid list of strings")
        }
        guard model.hasPrefix("claude") else { return error(404, "not_found_error", "model: \(model)") }
        return nil
    }

    /// Text of a content value (a string, or the text blocks of an array).
    static func text(_ content: JSONValue?) -> String {
        switch content {
        case .string(let s)?: return s
        case .array(let blocks)?: return blocks.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }

    /// Words, the stand-in's deterministic token count.
    static func tokens(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
    }

    /// The deterministic reply to an accepted request.
    static func reply(to body: JSONObject, canned: [(marker: String, text: String)], id: String) -> JSONValue {
        let model = body["model"]?.stringValue ?? ""
        let system = text(body["system"])
        let messages = body["messages"]?.arrayValue ?? []
        let lastUser = messages.last { $0["role"]?.stringValue == "user" }.map { text($0["content"]) } ?? ""
        let everything = ([system] + messages.map { text($0["content"]) }).joined(separator: "\n")
        var reply: String
        if let hit = canned.first(where: { everything.contains($0.marker) }) {
            reply = hit.text
        } else if (system + "\n" + lastUser).range(of: "json", options: .caseInsensitive) != nil {
            let object: JSONValue = .object(["echo": .string(lastUser), "words": .number(Double(tokens(lastUser)))])
            reply = object.jsonString()
        } else {
            reply = "Echo: \(lastUser)"
        }
        var stopReason = "end_turn"
        var stopSequence: JSONValue = .null
        for stop in body["stop_sequences"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !stop.isEmpty {
            if let range = reply.range(of: stop) {
                reply = String(reply[..<range.lowerBound])
                stopReason = "stop_sequence"
                stopSequence = .string(stop)
                break
            }
        }
        let maxTokens = Int(body["max_tokens"]?.numberValue ?? 0)
        let words = reply.split(separator: " ", omittingEmptySubsequences: false)
        if tokens(reply) > maxTokens {
            reply = words.prefix(maxTokens).joined(separator: " ")
            stopReason = "max_tokens"
            stopSequence = .null
        }
        return .object([
            "id": .string(id), "type": "message", "role": "assistant",
            "content": .array([.object(["type": "text", "text": .string(reply)])]),
            "model": .string(model), "stop_reason": .string(stopReason), "stop_sequence": stopSequence,
            "usage": .object([
                "input_tokens": .number(Double(tokens(everything))), "output_tokens": .number(Double(tokens(reply))),
            ]),
        ])
    }
}
