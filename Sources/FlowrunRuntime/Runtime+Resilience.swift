import FlowrunCore
import Logging

// Owner: resilience. Replace with the retry/breaker service (breaker state in the store when shared).
extension Runtime {
    static func makeResilience(
        _ configuration: RuntimeConfiguration, services: NodeServices, logger: Logger
    ) async throws -> (any ResilienceService)? {
        nil
    }
}
