import FlowrunCore
import FlowrunExpressions

/// n8n's `NodeApiError` for the HTTP Request node: the message n8n shows for the status or the
/// connection failure, the response body as an excerpt in the description, the status as
/// `httpCode`, every credential secret replaced by `**hidden**`.
enum HTTPAPIError {
    /// n8n-workflow's `STATUS_CODE_MESSAGES`.
    static func message(forStatus status: Int) -> String {
        switch status {
        case 400: "Bad request - please check your parameters"
        case 401: "Authorization failed - please check your credentials"
        case 402: "Payment required - perhaps check your payment details?"
        case 403: "Forbidden - perhaps check your credentials?"
        case 404: "The resource you are requesting could not be found"
        case 405: "Method not allowed - please check you are using the right HTTP method"
        case 429: "The service is receiving too many requests from you"
        case 500: "The service was not able to process your request"
        case 502: "Bad gateway - the service failed to handle your request"
        case 503: "Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)"
        case 504: "Gateway timed out - perhaps try again later?"
        case 400..<500: "Your request is invalid or could not be processed by the service"
        case 500..<600: "The service failed to process your request"
        default: "UNKNOWN ERROR - check the detailed error for more information"
        }
    }

    static let redacted = "**hidden**"

    /// Replaces every secret (credential string values, longest first) in `text`.
    static func redact(_ text: String, secrets: [String]) -> String {
        var out = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            out = out.replacingOccurrences(of: secret, with: redacted)
        }
        return out
    }

    /// The error for a non-2xx answer.
    static func status(
        _ status: Int, statusText: String, body: [UInt8], contentType: String, retryAfter: String?, secrets: [String],
        node: String, itemIndex: Int
    ) -> NodeError {
        let text = redact(HTTPEncoding.decodeText(body, contentType: contentType), secrets: secrets)
        let excerpt = text.count > 1000 ? String(text.prefix(1000)) + "…" : text
        let description = status == 429
            ? "Try spacing your requests out using the batching settings under 'Options'"
            : "\(status) - \(JSONValue.string(excerpt).jsonString())"
        var extra: JSONObject = ["httpCode": .string(String(status)), "responseBody": .string(excerpt)]
        if !statusText.isEmpty { extra["statusMessage"] = .string(statusText) }
        if let retryAfter { extra["retryAfter"] = .string(retryAfter) }
        let code: NodeError.Code = status == 429 ? .rateLimited : .api
        return NodeError(code, message(forStatus: status), detail: description, node: node, itemIndex: itemIndex, extra: extra)
    }

    /// The error for a request that got no answer. Transport errors are read through their `code`
    /// (FlowrunHTTPClient's `HTTPTransportError`, which this target does not import).
    static func transport(_ error: any Error, secrets: [String], node: String, itemIndex: Int) -> NodeError {
        if let nodeError = error as? NodeError { return nodeError }
        let code = Mirror(reflecting: error).descendant("code").map { "\($0)" } ?? ""
        let detail = redact("\(error)", secrets: secrets)
        let (message, n8nCode, nodeCode): (String, String, NodeError.Code) = switch code {
        case "connectionRefused": ("The service refused the connection - perhaps it is offline", "ECONNREFUSED", .api)
        case "timeout": ("The connection timed out, consider setting the 'Retry on Fail' option in the node settings", "ETIMEDOUT", .timeout)
        case "connectionClosed":
            ("The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.", "ECONNRESET", .api)
        case "hostNotFound": ("The connection cannot be established, this usually occurs due to an incorrect host (domain) value", "ENOTFOUND", .api)
        case "blockedByPolicy": (detail, "EBLOCKED", .configuration)
        case "invalidURL": (detail, "EINVALIDURL", .operation)
        default: (detail, code.isEmpty ? "UNKNOWN" : code, .api)
        }
        return NodeError(nodeCode, message, detail: detail, node: node, itemIndex: itemIndex, extra: ["code": .string(n8nCode)])
    }

    /// The `json.error` value of a continue-on-fail item for `error`.
    static func itemError(_ error: NodeError) -> JSONValue {
        var o: JSONObject = ["message": .string(error.message)]
        if let detail = error.detail { o["description"] = .string(detail) }
        if let code = error.extra["httpCode"] { o["httpCode"] = code }
        if let code = error.extra["code"] { o["code"] = code }
        return .object(o)
    }
}

extension HTTPAPIError {
    /// The `json.error` value of a continue-on-fail item of HTTP Request v1/v2, which keep the
    /// client's error: for an answer `{message: "404 - <body as JSON>", name, code, status,
    /// statusCode, error: <body>}` (the body as the excerpt the error holds, parsed when JSON);
    /// without one `{message, code}` naming the connection failure.
    static func legacyItemError(_ error: NodeError) -> JSONValue {
        guard let status = error.extra["httpCode"]?.stringValue.flatMap({ Int($0) }) else {
            var o: JSONObject = ["message": .string(error.detail ?? error.message)]
            if let code = error.extra["code"] { o["code"] = code }
            return .object(o)
        }
        let text = error.extra["responseBody"]?.stringValue ?? ""
        let body: JSONValue = text.isEmpty ? .string("") : ((try? JSONValue(parsing: text)) ?? .string(text))
        return .object([
            "message": .string("\(status) - \(body.jsonString())"), "name": "AxiosError",
            "code": .string(status < 500 ? "ERR_BAD_REQUEST" : "ERR_BAD_RESPONSE"),
            "status": .number(Double(status)), "statusCode": .number(Double(status)), "error": body,
        ])
    }
}

/// A non-2xx answer inside the resilience wrapper: retryable for 5xx and 429 (honouring
/// Retry-After), permanent otherwise. Converted to a `NodeError` outside.
struct HTTPStatusFailure: Error, RetryClassifying {
    var response: HTTPResponseData

    var retryDisposition: RetryDisposition {
        let status = response.status
        guard status == 429 || status >= 500 else { return .permanent }
        if let value = response.header("retry-after"), let seconds = Double(value.trimmingCharacters(in: .whitespaces)) {
            return .retryable(after: .milliseconds(Int(seconds * 1000)))
        }
        return .retryable(after: nil)
    }
}
