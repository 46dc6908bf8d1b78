import FlowrunCore
import FlowrunExpressions
import Foundation

/// The Code node's `this.helpers.httpRequest(options)` (and `httpRequestWithAuthentication`)
/// with n8n's `IHttpRequestOptions`: `url`, `method`, `body`, `headers`, `qs`, `json`,
/// `returnFullResponse`, `ignoreHttpStatusErrors`, `timeout`, `disableFollowRedirect`,
/// `skipSslCertificateValidation`, `arrayFormat`, `auth`. Goes through `context.services.http`
/// (and the resilience service), so dry-run interception, the outbound policy and breakers apply.
enum HelpersHTTPRequest {
    /// Performs the request; returns the parsed body (JSON when it parses, else text) or
    /// `{body, headers, statusCode, statusMessage}` with `returnFullResponse`.
    ///
    /// - Throws: `TaskRunnerError(.userCode)` with axios's wording for a non-2xx answer
    ///   ("Request failed with status code 404") unless `ignoreHttpStatusErrors`.
    static func perform(_ options: JSONValue, credentialsType: String?, context: ExecutionContext) async throws -> JSONValue {
        let http = try context.require(\.http, "an HTTP client")
        guard let url = (options["url"] ?? options["uri"])?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw TaskRunnerError(.userCode, "Invalid URL: \((options["url"] ?? options["uri"])?.coercedString ?? "undefined")")
        }
        var request = HTTPRequestOptions(method: (options["method"]?.stringValue ?? "GET").uppercased(), url: url)
        request.qs = options["qs"]?.objectValue ?? [:]
        request.headers = options["headers"]?.objectValue ?? [:]
        request.arrayFormat = options["arrayFormat"]?.stringValue ?? "indices"
        request.followRedirects = !(options["disableFollowRedirect"]?.coercedBool ?? false)
        request.allowUnauthorizedCertificates = options["skipSslCertificateValidation"]?.coercedBool ?? false
        request.timeout = .milliseconds(Int(options["timeout"]?.coercedNumber ?? 300_000))
        if let auth = options["auth"]?.objectValue {
            request.basicAuth = (auth["username"]?.coercedString ?? "", auth["password"]?.coercedString ?? "")
        }
        let contentType = request.headers.first { $0.key.lowercased() == "content-type" }?.value.coercedString.lowercased() ?? ""
        switch options["body"] {
        case nil, .null?: break
        case .string(let text)?: request.body = .bytes(Array(text.utf8))
        case .object(let o)? where contentType.contains("x-www-form-urlencoded"): request.body = .form(o)
        case let value?: request.body = .json(value)
        }
        var secrets: [String] = []
        if let credentialsType, !credentialsType.isEmpty {
            let credential = try await context.services.credentials.resolve(type: credentialsType, reference: nil, node: context.nodeName)
            secrets = credential.data.values.compactMap { $0.stringValue }.filter { !$0.isEmpty }
            try HTTPRequestNode.apply(credential, type: credentialsType, to: &request, node: context.nodeName, itemIndex: nil)
        }
        let spec = request.spec()
        let host = URL(string: url)?.host ?? url
        let response: HTTPResponseData
        do {
            if let resilience = context.services.resilience {
                response = try await resilience.call(target: host, policy: .once, context: context) { try await http.send(spec) }
            } else {
                response = try await http.send(spec)
            }
        } catch {
            let nodeError = HTTPAPIError.transport(error, secrets: secrets, node: context.nodeName, itemIndex: 0)
            throw TaskRunnerError(.userCode, nodeError.message, description: nodeError.detail)
        }
        let text = HTTPEncoding.decodeText(response.body, contentType: response.header("content-type") ?? "")
        let body: JSONValue = text.isEmpty ? .string("") : ((try? JSONValue(parsing: text)) ?? .string(text))
        if !(200..<300).contains(response.status) && !(options["ignoreHttpStatusErrors"]?.coercedBool ?? false) {
            let excerpt = HTTPAPIError.redact(String(text.prefix(1000)), secrets: secrets)
            throw TaskRunnerError(.userCode, "Request failed with status code \(response.status)", description: excerpt)
        }
        guard options["returnFullResponse"]?.coercedBool ?? false else { return body }
        return .object([
            "body": body, "headers": HTTPResponseFields.headers(response), "statusCode": .number(Double(response.status)),
            "statusMessage": .string(response.statusText),
        ])
    }
}
