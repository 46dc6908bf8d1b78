import FlowrunCore
import Logging

// Owner: credentials. Replace with the credentials file / environment resolver.
extension Runtime {
    static func makeCredentials(_ configuration: RuntimeConfiguration, logger: Logger) async throws -> any CredentialResolver {
        UnconfiguredCredentials()
    }
}
