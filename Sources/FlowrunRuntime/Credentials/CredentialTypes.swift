import FlowrunCore
public import FlowrunExpressions

/// The fields of n8n's credential types that flowrun knows, with n8n's defaults, so that a
/// credential missing a field gets the value n8n would fill in and environment variables (which
/// are strings) become the JSON type n8n stores.
enum CredentialTypes {
    enum Kind {
        case string
        case number
        case bool
    }

    struct Field {
        var name: String
        var kind: Kind
        var defaultValue: JSONValue?

        init(_ name: String, _ kind: Kind = .string, _ defaultValue: JSONValue? = nil) {
            self.name = name
            self.kind = kind
            self.defaultValue = defaultValue
        }
    }

    /// n8n's credential definitions (packages/nodes-base/credentials/*.credentials.ts,
    /// packages/@n8n/nodes-langchain/credentials/AnthropicApi.credentials.ts).
    static let fields: [String: [Field]] = [
        "httpHeaderAuth": [Field("name", .string, ""), Field("value", .string, "")],
        "httpBasicAuth": [Field("user", .string, ""), Field("password", .string, "")],
        "httpDigestAuth": [Field("user", .string, ""), Field("password", .string, "")],
        "httpBearerAuth": [Field("token", .string, "")],
        "httpQueryAuth": [Field("name", .string, ""), Field("value", .string, "")],
        "httpCustomAuth": [Field("json", .string, "")],
        "postgres": [
            Field("host", .string, "localhost"), Field("database", .string, "postgres"), Field("user", .string, "postgres"),
            Field("password", .string, ""), Field("allowUnauthorizedCerts", .bool, false), Field("ssl", .string, "disable"),
            Field("port", .number, 5432), Field("maxConnections", .number, 100), Field("sshTunnel", .bool, false),
            Field("sshAuthenticateWith", .string, "password"), Field("sshHost", .string), Field("sshPort", .number, 22),
            Field("sshUser", .string), Field("sshPassword", .string), Field("privateKey", .string), Field("passphrase", .string),
        ],
        "redis": [
            Field("password", .string, ""), Field("user", .string), Field("host", .string, "localhost"),
            Field("port", .number, 6379), Field("database", .number, 0), Field("ssl", .bool, false),
            Field("disableTlsVerification", .bool, false),
        ],
        "anthropicApi": [
            Field("apiKey", .string, ""), Field("url", .string, "https://api.anthropic.com"), Field("header", .bool, false),
            Field("headerName", .string), Field("headerValue", .string),
        ],
        "jwtAuth": [
            Field("keyType", .string, "passphrase"), Field("secret", .string), Field("privateKey", .string),
            Field("publicKey", .string), Field("algorithm", .string, "HS256"),
        ],
    ]

    /// Known types by their environment spelling (`HTTP_HEADER_AUTH` → `httpHeaderAuth`), longest first.
    static let typesByEnvironmentName: [(env: String, type: String)] = fields.keys
        .map { (env: environmentName($0), type: $0) }
        .sorted { $0.env.count > $1.env.count }

    /// `httpHeaderAuth` → `HTTP_HEADER_AUTH`, `apiKey` → `API_KEY`.
    static func environmentName(_ camel: String) -> String {
        var out = ""
        for character in camel {
            if character.isUppercase, !out.isEmpty { out.append("_") }
            out.append(contentsOf: character.uppercased())
        }
        return out
    }

    /// `data` with n8n's defaults filled in for missing fields.
    static func withDefaults(_ data: JSONObject, type: String) -> JSONObject {
        guard let known = fields[type] else { return data }
        var out = data
        for field in known where out[field.name] == nil {
            if let value = field.defaultValue { out[field.name] = value }
        }
        return out
    }

    /// An environment string converted to the field's JSON type (`"5432"` → 5432 for `port`).
    static func value(_ text: String, field: String, type: String) -> JSONValue {
        switch fields[type]?.first(where: { $0.name == field })?.kind {
        case .number?: return Double(text).map(JSONValue.number) ?? .string(text)
        case .bool?:
            switch text.lowercased() {
            case "true", "1", "yes": return .bool(true)
            case "false", "0", "no", "": return .bool(false)
            default: return .string(text)
            }
        default: return .string(text)
        }
    }
}

/// Converting a text value to the JSON type n8n stores for a credential field (for
/// `flowrun credentials set` and environment variables).
public enum CredentialFieldTyping {
    /// `"5432"` → 5432 for `postgres.port`, `"true"` → true for `redis.ssl`; other fields stay strings.
    public static func value(_ text: String, field: String, type: String) -> JSONValue {
        CredentialTypes.value(text, field: field, type: type)
    }
}
