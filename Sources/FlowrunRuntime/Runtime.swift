public import FlowrunCore
public import Logging

/// A runnable flowrun assembled from configuration: credentials, the HTTP client, the Postgres and
/// Redis pools, the state store and the resilience service, as `NodeServices` for the engine.
///
/// Resources are scoped: `Runtime.with(_:_:)` starts them, runs the body and shuts them down,
/// whatever the body does. Each backend contributes one `with…` step in its own
/// `Runtime+<Backend>.swift` file.
public struct Runtime: Sendable {
    public var configuration: RuntimeConfiguration
    public var services: NodeServices
    /// Observers every execution should have (the execution recorder when executions are recorded).
    public var observers: [any ExecutionObserver] = []

    /// Starts every configured backend, runs `body`, then shuts them down.
    public static func with<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: (Runtime) async throws -> T
    ) async throws -> T {
        var services = NodeServices()
        services.credentials = try await makeCredentials(configuration, logger: logger)
        services.redactor = credentialRedactor(services.credentials)
        return try await withHTTP(configuration, logger: logger) { http in
            services.http = http
            return try await withPostgres(configuration, logger: logger) { postgres in
                services.postgres = postgres
                return try await withRedis(configuration, logger: logger) { redis in
                    services.redis = redis
                    return try await withStore(configuration, services: services, logger: logger) { store in
                        services.store = store
                        services.resilience = try await makeResilience(configuration, services: services, logger: logger)
                        var runtime = Runtime(configuration: configuration, services: services)
                        runtime.observers = executionObservers(configuration, store: store, logger: logger)
                        return try await body(runtime)
                    }
                }
            }
        }
    }
}
