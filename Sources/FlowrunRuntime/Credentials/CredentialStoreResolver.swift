public import FlowrunCore
public import FlowrunExpressions
public import Logging

/// The `CredentialResolver` of a flowrun process: the credentials file overlaid with
/// `FLOWRUN_CRED_…` variables, matched by type and id, then name, then the only one of the type.
///
/// Every credential handed out is registered with `redactor`, so its secrets are scrubbed from
/// logs, errors and records from then on.
public struct CredentialStoreResolver: CredentialResolver {
    public let credentials: CredentialSet
    public let redactor: SecretRedactor
    /// `FLOWRUN_ANTHROPIC_BASE_URL`: replaces the `url` of every anthropicApi credential (tests,
    /// proxies and gateways without editing credentials).
    public var anthropicBaseURL: String?
    let logger: Logger

    public init(credentials: CredentialSet, redactor: SecretRedactor = SecretRedactor(), anthropicBaseURL: String? = nil, logger: Logger) {
        self.credentials = credentials
        self.redactor = redactor
        self.anthropicBaseURL = anthropicBaseURL
        self.logger = logger
    }

    /// The variable that overrides anthropicApi base URLs.
    public static let anthropicBaseURLVariable = "FLOWRUN_ANTHROPIC_BASE_URL"

    /// Reads the configured file (if any) and the environment.
    ///
    /// - Throws: `CredentialError` naming the file or variable.
    public static func load(file: String?, environment: [String: String], logger: Logger) throws(CredentialError) -> CredentialStoreResolver {
        var set = CredentialSet()
        if let file {
            set = try CredentialFile.load(file, keyText: environment[CredentialEncryption.keyVariable]).credentials
        }
        for credential in try EnvironmentCredentials.read(environment) { set.upsert(credential) }
        let redactor = SecretRedactor()
        // Register every secret up front: a secret echoed by a service or a workflow must be
        // scrubbed even before its own credential is resolved.
        for entry in set.entries { redactor.register(entry) }
        logger.debug("Credentials loaded", metadata: [
            "flowrun.credentials.count": "\(set.entries.count)", "flowrun.credentials.file": "\(file ?? "-")",
        ])
        let baseURL = environment[anthropicBaseURLVariable].flatMap { $0.isEmpty ? nil : $0 }
        return CredentialStoreResolver(credentials: set, redactor: redactor, anthropicBaseURL: baseURL, logger: logger)
    }

    public func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        var credential = try credentials.match(type: type, reference: reference, node: node)
        if type == "anthropicApi", let anthropicBaseURL { credential.data["url"] = .string(anthropicBaseURL) }
        redactor.register(credential)
        logger.debug("Credential resolved", metadata: [
            "flowrun.node.name": "\(node)", "flowrun.credential.type": "\(type)",
            "flowrun.credential.name": "\(credential.name ?? credential.id ?? "-")",
        ])
        return credential
    }
}
