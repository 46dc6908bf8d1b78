import FlowrunCore
import FlowrunExpressions
import Foundation

extension HTTPRequestNode {
    /// Resolves the node's credential and applies it (n8n's generic auth types; predefined types
    /// that are one of those or `anthropicApi`). Returns the credential's string values, which
    /// error texts must not show.
    func applyCredentials(_ request: inout HTTPRequestOptions, index i: Int, context: ExecutionContext) async throws -> [String] {
        let mode = try authentication.value(for: i, in: context)
        let type: String
        switch mode {
        case "genericCredentialType": type = try genericAuthType.value(for: 0, in: context)
        case "predefinedCredentialType": type = try nodeCredentialType.value(for: i, in: context)
        default: return []
        }
        guard !type.isEmpty else {
            throw NodeError(.credentials, "No credential type is selected", node: context.nodeName,
                            parameter: mode == "genericCredentialType" ? "genericAuthType" : "nodeCredentialType", itemIndex: i)
        }
        let credential = try await context.services.credentials.resolve(
            type: type, reference: credentialReferences[type], node: context.nodeName)
        let secrets = credential.data.values.compactMap { value -> String? in
            guard case .string(let s) = value, !s.isEmpty else { return nil }
            return s
        }
        try Self.apply(credential, type: type, to: &request, node: context.nodeName, itemIndex: i)
        return secrets
    }

    /// Applies a resolved credential of `type` to a request (n8n's generic auth types, `anthropicApi`).
    static func apply(_ credential: ResolvedCredential, type: String, to request: inout HTTPRequestOptions, node: String, itemIndex: Int?) throws {
        switch type {
        case "httpBasicAuth":
            request.basicAuth = (credential.string("user"), credential.string("password"))
        case "httpBearerAuth":
            request.headers["Authorization"] = .string("Bearer \(credential.string("token"))")
        case "httpHeaderAuth":
            request.headers[credential.string("name")] = .string(credential.string("value"))
        case "httpQueryAuth":
            request.qs[credential.string("name")] = .string(credential.string("value"))
        case "httpCustomAuth":
            let text = credential.string("json")
            guard let custom = (try? JSONValue(parsing: text.isEmpty ? "{}" : text))?.objectValue else {
                throw NodeError(.credentials, "Invalid Custom Auth JSON", node: node, itemIndex: itemIndex)
            }
            if case .object(let h)? = custom["headers"] { for (k, v) in h { request.headers[k] = v } }
            if case .object(let q)? = custom["qs"] { for (k, v) in q { request.qs[k] = v } }
            if case .object(let b)? = custom["body"] {
                if case .json(.object(let existing)) = request.body {
                    request.body = .json(.object(HTTPEncoding.merge(existing, b)))
                } else if case .none = request.body {
                    request.body = .json(.object(b))
                }
            }
        case "anthropicApi":
            request.headers["x-api-key"] = .string(credential.string("apiKey"))
            if credential.data["header"]?.coercedBool == true, !credential.string("headerName").isEmpty {
                request.headers[credential.string("headerName")] = .string(credential.string("headerValue"))
            }
        default:
            throw NodeError(.credentials, "Credential type \"\(type)\" is not supported by flowrun's HTTP Request node",
                            detail: "Use httpHeaderAuth, httpBasicAuth, httpBearerAuth, httpQueryAuth or httpCustomAuth.",
                            node: node, itemIndex: itemIndex)
        }
    }
}
