/// The outside world as nodes see it: credentials, clients and the state store.
///
/// Core only names the protocols; the backend targets (FlowrunHTTPClient, FlowrunPostgres,
/// FlowrunRedis, FlowrunSQLite) implement them and FlowrunRuntime assembles them from
/// configuration. A node that needs a service that is not configured fails with an error naming
/// the service (`ExecutionContext.require(_:)`), never with a crash. Dry-run and replay swap in
/// decorators (a recording or intercepting transport), so nodes never test the mode themselves.
public struct NodeServices: Sendable {
    /// Resolves a node's credential references to their data (secrets registered for redaction).
    public var credentials: any CredentialResolver
    /// Outbound HTTP (HTTP Request, Anthropic, the Code node's `this.helpers.httpRequest`).
    public var http: (any HTTPTransport)?
    /// Postgres connections per credential.
    public var postgres: (any PostgresService)?
    /// Redis connections per credential.
    public var redis: (any RedisService)?
    /// Durable state: executions, static data, rate-limit counters, breaker state, caches.
    public var store: (any StateStore)?
    /// Retry policies and circuit breakers shared by every execution of the process.
    public var resilience: (any ResilienceService)?
    /// Scrubs the secrets of resolved credentials from node errors, outputs and logs before the
    /// engine records or logs them (empty, and skipped, when no credential was resolved).
    public var redactor: SecretRedactor = SecretRedactor()

    public init(
        credentials: any CredentialResolver = UnconfiguredCredentials(), http: (any HTTPTransport)? = nil,
        postgres: (any PostgresService)? = nil, redis: (any RedisService)? = nil,
        store: (any StateStore)? = nil, resilience: (any ResilienceService)? = nil
    ) {
        self.credentials = credentials
        self.http = http
        self.postgres = postgres
        self.redis = redis
        self.store = store
        self.resilience = resilience
    }
}

extension ExecutionContext {
    /// The service at `keyPath`, or a `NodeError` saying that this node needs it and how to
    /// configure it (`name` is the service as users know it: "an HTTP client", "Postgres").
    public func require<Service>(_ keyPath: KeyPath<NodeServices, Service?>, _ name: String) throws -> Service {
        guard let service = services[keyPath: keyPath] else {
            throw error("\(nodeType) needs \(name), and none is configured in this flowrun", code: .configuration)
        }
        return service
    }
}
