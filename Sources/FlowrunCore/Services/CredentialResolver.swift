public import FlowrunExpressions

/// A node's credential, resolved: n8n's credential type, its id and name, and its data with n8n's
/// field names (`httpHeaderAuth`: `name`, `value`; `postgres`: `host`, `port`, `database`, `user`,
/// `password`, `ssl`…).
///
/// `description` never shows `data`: the type and name only. Owner: credentials (FlowrunRuntime/Credentials).
public struct ResolvedCredential: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var id: String?
    public var name: String?
    public var data: JSONObject

    public init(type: String, id: String? = nil, name: String? = nil, data: JSONObject) {
        self.type = type
        self.id = id
        self.name = name
        self.data = data
    }

    public var description: String { "\(type) credential \"\(name ?? id ?? "?")\"" }

    /// A string field of `data` ("" when missing), for nodes reading n8n's field names.
    public func string(_ field: String) -> String {
        switch data[field] {
        case .string(let s): s
        case .number(let n): JSNumberFormatting.string(n)
        case .bool(let b): b ? "true" : "false"
        default: ""
        }
    }
}

/// Resolves the credential a node references (by n8n credential type and the `{id, name}` written
/// in the node's `credentials` object).
public protocol CredentialResolver: Sendable {
    /// - Parameters:
    ///   - type: n8n's credential type (`postgres`, `httpHeaderAuth`…).
    ///   - reference: the node's `credentials[type]` object as written (`{"id", "name"}`), or nil
    ///     when the node names none (the resolver may still find a single credential of the type).
    /// - Throws: `NodeError` with code `.credentials`, naming the node, the type and the name,
    ///   never the secret.
    func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential
}

/// The resolver when no credentials are configured: every lookup fails with a clear error.
public struct UnconfiguredCredentials: CredentialResolver {
    public init() {}

    public func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        let name = reference?["name"]?.stringValue.map { " \"\($0)\"" } ?? ""
        throw NodeError(.credentials, "no \(type) credential\(name) is configured: pass --credentials FILE or set FLOWRUN_CREDENTIALS",
                        node: node)
    }
}
