import FlowrunCore
import Logging

// Owner: resilience. The retry/breaker service of a runtime: breakers shared by every execution
// of the process, and across processes when the store keeps breaker state (SQLite, Postgres).
extension Runtime {
    static func makeResilience(
        _ configuration: RuntimeConfiguration, services: NodeServices, logger: Logger
    ) async throws -> (any ResilienceService)? {
        makeResilience(configuration.resilience, services: services)
    }

    /// The service for `settings` over `services`' store.
    public static func makeResilience(_ settings: ResilienceSettings, services: NodeServices) -> CircuitBreakerService {
        var observers = settings.observers
        if settings.startsErrorWorkflowOnBreakerOpen {
            observers.append(BreakerErrorWorkflowObserver(launcher: ErrorWorkflowLauncher(configuration: settings.errorWorkflows)))
        }
        return CircuitBreakerService(
            configuration: settings.service, store: settings.sharesBreakersThroughStore ? services.breakerStore : nil, observers: observers)
    }
}
