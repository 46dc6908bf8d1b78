public import FlowrunCore
public import FlowrunExpressions

/// What flowrun adds to a Webhook node, in a key n8n ignores: the node-level `"flowrun"` object
/// (or `parameters.options.flowrun`). docs/configuration.md and nodes/n8n-nodes-base.webhook.md
/// describe every key.
///
/// ```json
/// "flowrun": {
///   "jwt": {"secretEnv": "SUPABASE_JWT_SECRET", "audience": "authenticated", "issuer": "https://x.supabase.co/auth/v1"},
///   "rateLimit": {"limit": 60, "windowSeconds": 60, "by": "jwtSub"},
///   "maxBodyBytes": 65536,
///   "schema": {"type": "object", "required": ["email"]}
/// }
/// ```
public struct GatewayOptions: Sendable {
    public struct JWT: Sendable {
        /// HS256/384/512 shared secret (literal, or read from `secretEnv`).
        public var secret: String?
        /// RS256/ES256 public keys (PEM text, or read from `publicKeyFile`).
        public var publicKeys: [String]
        /// A JWKS document URL (Supabase: `https://<project>.supabase.co/auth/v1/.well-known/jwks.json`).
        public var jwksURL: String?
        public var audience: [String]
        public var issuer: String?
        /// Where the token is: `Authorization: Bearer` (default) or this header.
        public var header: String?
    }

    public struct RateLimit: Sendable {
        public enum Key: String, Sendable { case ip, jwtSub, header }
        /// Requests allowed per window (the bucket size).
        public var limit: Int
        public var windowSeconds: Double
        public var by: Key
        /// The header that identifies the client when `by` is `header`.
        public var header: String?
    }

    public var jwt: JWT?
    public var rateLimit: RateLimit?
    public var maxBodyBytes: Int?
    /// A JSON Schema (draft 2020-12 subset, `JSONSchema`) the JSON body must satisfy.
    public var schema: JSONSchema?
    public var problems: [String] = []

    public init() {}

    /// Reads the options of `node`; `environment` resolves `secretEnv`; `readFile` reads key files.
    public init(node: WorkflowGraph.GraphNode, environment: [String: String], readFile: (String) -> String?) {
        let raw = node.document.fields["flowrun"]?.objectValue
            ?? node.document.parameters["options"]?.objectValue?["flowrun"]?.objectValue ?? [:]
        self.init()
        if let j = raw["jwt"]?.objectValue {
            var jwt = JWT(secret: nil, publicKeys: [], jwksURL: nil, audience: [], issuer: nil, header: nil)
            jwt.secret = j["secret"]?.stringValue
            if let name = j["secretEnv"]?.stringValue {
                if let value = environment[name], !value.isEmpty { jwt.secret = value } else {
                    problems.append("flowrun.jwt.secretEnv: the environment variable \(name) is not set")
                }
            }
            if let pem = j["publicKey"]?.stringValue { jwt.publicKeys.append(pem) }
            if let path = j["publicKeyFile"]?.stringValue {
                if let text = readFile(path) { jwt.publicKeys.append(text) } else {
                    problems.append("flowrun.jwt.publicKeyFile: cannot read \(path)")
                }
            }
            jwt.jwksURL = j["jwksURL"]?.stringValue ?? j["jwksUrl"]?.stringValue
            switch j["audience"] {
            case .string(let s)?: jwt.audience = [s]
            case .array(let a)?: jwt.audience = a.compactMap(\.stringValue)
            default: break
            }
            jwt.issuer = j["issuer"]?.stringValue
            jwt.header = j["header"]?.stringValue?.lowercased()
            if jwt.secret == nil, jwt.publicKeys.isEmpty, jwt.jwksURL == nil {
                problems.append("flowrun.jwt: needs secret, secretEnv, publicKey, publicKeyFile or jwksURL")
            }
            self.jwt = jwt
        }
        if let r = raw["rateLimit"]?.objectValue {
            let limit = Int(r["limit"]?.numberValue ?? 0)
            let by = RateLimit.Key(rawValue: r["by"]?.stringValue ?? "ip")
            if limit < 1 { problems.append("flowrun.rateLimit.limit: must be a whole number of requests, at least 1") }
            if by == nil { problems.append("flowrun.rateLimit.by: expected \"ip\", \"jwtSub\" or \"header\"") }
            let header = r["header"]?.stringValue?.lowercased()
            if by == .header, header == nil { problems.append("flowrun.rateLimit.header: required when by is \"header\"") }
            rateLimit = RateLimit(limit: max(1, limit), windowSeconds: max(0.001, r["windowSeconds"]?.numberValue ?? 60), by: by ?? .ip, header: header)
        }
        if let n = raw["maxBodyBytes"]?.numberValue { maxBodyBytes = Int(n) }
        if let s = raw["schema"] {
            do {
                schema = try JSONSchema(s)
            } catch {
                problems.append("flowrun.schema: \(error)")
            }
        }
    }
}
