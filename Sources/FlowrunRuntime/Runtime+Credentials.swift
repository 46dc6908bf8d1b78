import FlowrunCore
import Logging

extension Runtime {
    /// The credentials file (`configuration.credentialsFile`, decrypted with
    /// `FLOWRUN_CREDENTIALS_KEY` when encrypted) overlaid with `FLOWRUN_CRED_…` variables.
    /// Without either, every lookup fails with a message saying how to configure one.
    static func makeCredentials(_ configuration: RuntimeConfiguration, logger: Logger) async throws -> any CredentialResolver {
        let hasVariables = configuration.environment.keys.contains { $0.hasPrefix(EnvironmentCredentials.prefix) }
        guard configuration.credentialsFile != nil || hasVariables else { return UnconfiguredCredentials() }
        return try CredentialStoreResolver.load(file: configuration.credentialsFile, environment: configuration.environment,
                                                logger: logger)
    }

    /// The redactor every credential `resolver` hands out is registered with (a fresh, empty one
    /// for other resolvers), for `NodeServices.redactor`.
    public static func credentialRedactor(_ resolver: any CredentialResolver) -> SecretRedactor {
        (resolver as? CredentialStoreResolver)?.redactor ?? SecretRedactor()
    }
}
