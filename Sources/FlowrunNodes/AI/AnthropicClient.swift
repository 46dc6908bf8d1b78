import FlowrunCore
import FlowrunExpressions
import Foundation

/// Calls Anthropic's Messages API (`POST {url}/v1/messages`) for the Anthropic node and the
/// Anthropic chat model, with n8n's headers and the API's error types surfaced.
///
/// 429, 529 and 5xx answers and retryable transport failures are retried: through the resilience
/// service when one is configured (it sees `retry-after` through `RetryClassifying`), else by a
/// small built-in loop that sleeps on the execution clock for `retry-after` (or 1 s, 2 s, …).
struct AnthropicClient: Sendable {
    /// The API version header n8n sends.
    static let apiVersion = "2023-06-01"
    /// The beta header n8n's transport always sends.
    static let betas = "files-api-2025-04-14"
    /// Attempts in all, built-in retry or resilience policy.
    static let maxAttempts = 3
    /// Longest `retry-after` honoured by the built-in loop; a longer one fails the call.
    static let maxRetryAfter: Duration = .seconds(60)

    let credential: ResolvedCredential

    /// The credential of `reference` (the node's `credentials.anthropicApi`).
    static func resolve(reference: JSONValue?, context: ExecutionContext, node: String) async throws -> AnthropicClient {
        let credential = try await context.services.credentials.resolve(type: "anthropicApi", reference: reference, node: node)
        guard !credential.string("apiKey").isEmpty else {
            throw NodeError(.credentials, "the anthropicApi credential \"\(credential.name ?? credential.id ?? "?")\" has no apiKey", node: node)
        }
        return AnthropicClient(credential: credential)
    }

    var baseURL: String {
        var url = credential.string("url")
        if url.isEmpty { url = "https://api.anthropic.com" }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    func request(body: JSONObject) -> HTTPRequestSpec {
        var headers = [
            HTTPField("x-api-key", credential.string("apiKey")), HTTPField("anthropic-version", Self.apiVersion),
            HTTPField("anthropic-beta", Self.betas), HTTPField("content-type", "application/json"),
            HTTPField("accept", "application/json"),
        ]
        if credential.data["header"]?.coercedBool == true, !credential.string("headerName").isEmpty {
            headers.append(HTTPField(credential.string("headerName"), credential.string("headerValue")))
        }
        return HTTPRequestSpec(method: "POST", url: baseURL + "/v1/messages", headers: headers,
                               body: Array(JSONValue.object(body).jsonString().utf8), timeout: .seconds(600))
    }

    /// Sends one Messages request and returns the response object.
    ///
    /// - Throws: `NodeError` (`.api` with `httpCode` and `errorType` in `extra`, `.timeout`,
    ///   `.configuration` without an HTTP client) at `context`'s node.
    func messages(_ body: JSONObject, context: ExecutionContext, itemIndex: Int) async throws -> JSONObject {
        let http = try context.require(\.http, "an HTTP client")
        let spec = request(body: body)
        let send: @Sendable () async throws -> JSONObject = { try await Self.sendOnce(spec, http: http) }
        do {
            if let resilience = context.services.resilience {
                let policy = CallPolicy(maxAttempts: Self.maxAttempts, baseDelay: .seconds(1), maxDelay: Self.maxRetryAfter)
                return try await resilience.call(target: "anthropic \(hostOf(baseURL))", policy: policy, context: context, send)
            }
            return try await retrying(send, context: context)
        } catch let error as AnthropicAPIError {
            throw error.nodeError(node: context.nodeName, itemIndex: itemIndex, scrubbing: credential.string("apiKey"))
        } catch let error as NodeError {
            throw error
        } catch let error as any RetryClassifying {
            throw NodeError(.api, "the Anthropic API could not be reached: \(scrub("\(error)"))", node: context.nodeName, itemIndex: itemIndex)
        }
    }

    /// The built-in retry: up to `maxAttempts`, honouring `retry-after` on the execution clock.
    private func retrying(_ send: @Sendable () async throws -> JSONObject, context: ExecutionContext) async throws -> JSONObject {
        var attempt = 1
        while true {
            do {
                return try await send()
            } catch let error as any RetryClassifying {
                guard attempt < Self.maxAttempts, case .retryable(let after) = error.retryDisposition else { throw error }
                let wait = after ?? .seconds(1 << (attempt - 1))
                guard wait <= Self.maxRetryAfter else { throw error }
                context.logger.debug("Anthropic call retried", metadata: [
                    "flowrun.node.name": "\(context.nodeName)", "flowrun.retry.attempt": "\(attempt)",
                    "flowrun.retry.wait_ms": "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)",
                ])
                try await context.sleep(for: wait)
                attempt += 1
            }
        }
    }

    private static func sendOnce(_ spec: HTTPRequestSpec, http: any HTTPTransport) async throws -> JSONObject {
        let response = try await http.send(spec)
        let parsed = try? JSONValue(parsing: response.body)
        guard (200..<300).contains(response.status) else {
            throw AnthropicAPIError(status: response.status, body: parsed, retryAfter: response.header("retry-after"))
        }
        guard case .object(let object)? = parsed else {
            throw AnthropicAPIError(status: response.status, malformedBytes: response.body.count)
        }
        return object
    }

    private func hostOf(_ url: String) -> String {
        URLComponents(string: url)?.host ?? url
    }

    private func scrub(_ text: String) -> String {
        let key = credential.string("apiKey")
        return key.count >= 4 ? text.replacingOccurrences(of: key, with: SecretRedactor.placeholder) : text
    }
}
