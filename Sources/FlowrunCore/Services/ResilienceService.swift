/// How an error should be treated by retries and breakers. Errors of every backend conform
/// (transport errors, HTTP status errors, SQL and Redis errors). Owner: resilience.
public protocol RetryClassifying: Error {
    var retryDisposition: RetryDisposition { get }
}

public enum RetryDisposition: Sendable, Hashable {
    /// Try again (connection refused or reset, timeout, 5xx, 429), after at least `after` when the
    /// server said so (Retry-After).
    case retryable(after: Duration?)
    /// Never retry (4xx validation errors, bad credentials, bad input).
    case permanent
}

/// Retry policies and circuit breakers shared by every execution in the process (and, with the
/// Postgres store, across processes). Implemented by the resilience component; nodes call outside
/// services through `call`, which applies the node's retry settings and the target's breaker.
public protocol ResilienceService: Sendable {
    /// Runs `operation` for `target` (a breaker key: credential or host) with the breaker and the
    /// retry policy of `policy`. Throws `NodeError(.circuitOpen)` without calling when the breaker
    /// is open.
    func call<T: Sendable>(
        target: String, policy: CallPolicy, context: ExecutionContext, _ operation: () async throws -> T
    ) async throws -> T
}

/// A node's retry policy for outside calls (flowrun's node settings; n8n's retryOnFail is applied
/// by the engine around the whole node).
public struct CallPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 1, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// One attempt, no backoff.
    public static let once = CallPolicy()
}
