import FlowrunCore
import FlowrunExpressions
import Foundation

extension WebhookHandler {
    /// n8n's `authentication` parameter (basicAuth, headerAuth, jwtAuth) against the node's
    /// credential; answers exactly as n8n's Webhook node (text bodies, `WWW-Authenticate`).
    /// Success carries the JWT payload for jwtAuth.
    func authenticate(_ request: IncomingRequest, endpoint: WebhookEndpoint) async -> Result<JSONObject?, AuthFailure> {
        let mode = endpoint.spec.authentication
        guard mode != "none" else { return .success(nil) }
        let challenge = HTTPField("WWW-Authenticate", "Basic realm=\"Webhook\"")
        func fail(_ status: Int, _ message: String) -> Result<JSONObject?, AuthFailure> {
            .failure(AuthFailure(reply: .text(status, message, headers: [challenge])))
        }
        let type: String
        switch mode {
        case "basicAuth": type = "httpBasicAuth"
        case "headerAuth": type = "httpHeaderAuth"
        case "jwtAuth": type = "jwtAuth"
        default: return fail(500, "No authentication data defined on node!")
        }
        let credential: ResolvedCredential
        do {
            credential = try await credentials.resolve(type: type, reference: endpoint.credentials?[type], node: endpoint.nodeName)
        } catch {
            logger.error("Webhook credential not found", metadata: ["flowrun.node.name": "\(endpoint.nodeName)", "flowrun.credential.type": "\(type)"])
            return fail(500, "No authentication data defined on node!")
        }
        switch mode {
        case "basicAuth":
            guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic "),
                let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else {
                return fail(401, "Authorization is required!")
            }
            let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
            guard constantTimeEqual(user, credential.string("user")), constantTimeEqual(password, credential.string("password")) else {
                return fail(403, "Authorization data is wrong!")
            }
            return .success(nil)
        case "headerAuth":
            let name = credential.string("name").lowercased()
            guard !name.isEmpty, let value = request.header(name), constantTimeEqual(value, credential.string("value")) else {
                return fail(403, "Authorization data is wrong!")
            }
            return .success(nil)
        default:
            guard let token = request.header("authorization")?.split(separator: " ").dropFirst().first.map(String.init), !token.isEmpty else {
                return fail(401, "No token provided")
            }
            var options = GatewayOptions.JWT(secret: nil, publicKeys: [], jwksURL: nil, audience: [], issuer: nil, header: nil)
            if credential.string("keyType") == "pemKey" {
                options.publicKeys = [credential.string("publicKey")]
            } else {
                options.secret = credential.string("secret")
            }
            do {
                let verifier = try await JWTVerifier(options: options, http: nil)
                return .success(try await verifier.verify(token, now: now()))
            } catch let error as JWTVerifier.Failure {
                return fail(403, error.description)
            } catch {
                return fail(403, "invalid token")
            }
        }
    }

    func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}

/// A rejected authentication and its n8n answer.
struct AuthFailure: Error {
    var reply: Reply
}
