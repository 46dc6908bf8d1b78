import FlowrunCore
import FlowrunExpressions
import Foundation

/// A Messages API answer that is not a message: an error body (`{"type": "error", "error":
/// {"type", "message"}}`), or a success status with a body that is not a JSON object.
struct AnthropicAPIError: Error, RetryClassifying, CustomStringConvertible {
    var status: Int
    /// The API's error type (`rate_limit_error`, `overloaded_error`…), or a status-derived one.
    var type: String
    var message: String
    var retryAfter: Duration?

    init(status: Int, body: JSONValue?, retryAfter: String?) {
        self.status = status
        self.type = body?["error"]?["type"]?.stringValue ?? Self.type(forStatus: status)
        self.message = body?["error"]?["message"]?.stringValue ?? "HTTP \(status) without an Anthropic error body"
        self.retryAfter = retryAfter.flatMap(Self.parseRetryAfter)
    }

    init(status: Int, malformedBytes: Int) {
        self.status = status
        self.type = "malformed_response"
        self.message = "the response (\(malformedBytes) bytes) is not a JSON message object"
        self.retryAfter = nil
    }

    var retryDisposition: RetryDisposition {
        switch status {
        case 429, 529: .retryable(after: retryAfter)
        case 500...599 where type != "malformed_response": .retryable(after: retryAfter)
        default: .permanent
        }
    }

    var description: String { "Anthropic API \(status) \(type): \(message)" }

    /// n8n-style node error: the API's message, with the HTTP code and error type as fields.
    func nodeError(node: String, itemIndex: Int, scrubbing key: String) -> NodeError {
        var text = message
        if key.count >= 4 { text = text.replacingOccurrences(of: key, with: SecretRedactor.placeholder) }
        let code: NodeError.Code = type == "authentication_error" || type == "permission_error" ? .credentials : .api
        return NodeError(code, "Anthropic API error (\(status) \(type)): \(text)", detail: Self.hint(type), node: node,
                         itemIndex: itemIndex,
                         extra: ["httpCode": .string(String(status)), "errorType": .string(type)])
    }

    static func type(forStatus status: Int) -> String {
        switch status {
        case 400: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        default: "api_error"
        }
    }

    static func hint(_ type: String) -> String? {
        switch type {
        case "authentication_error": "Check the apiKey of the anthropicApi credential."
        case "permission_error": "The API key may not use this model or feature."
        case "not_found_error": "Check the model id and the credential's base URL."
        case "rate_limit_error": "Rate limited; retried \(AnthropicClient.maxAttempts) times honouring retry-after."
        case "overloaded_error": "Anthropic is overloaded; retried \(AnthropicClient.maxAttempts) times."
        default: nil
        }
    }

    /// `retry-after` in seconds (integer or decimal); HTTP dates are not used by the API.
    static func parseRetryAfter(_ text: String) -> Duration? {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds.isFinite else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
