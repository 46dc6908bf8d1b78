/// How an error should be treated by retries and breakers. Errors of every backend conform
/// (transport errors, HTTP status errors, SQL and Redis errors). Owner: resilience.
public protocol RetryClassifying: Error {
    var retryDisposition: RetryDisposition { get }
    /// What kind of retryable failure this is, for a node's `retryOn` list; nil when unknown
    /// (the default): then the error is retried only when `retryOn` is not narrowed.
    var retryCategory: RetryCategory? { get }
}

extension RetryClassifying {
    public var retryCategory: RetryCategory? { nil }
}

public enum RetryDisposition: Sendable, Hashable {
    /// Try again (connection refused or reset, timeout, 5xx, 429), after at least `after` when the
    /// server said so (Retry-After).
    case retryable(after: Duration?)
    /// Never retry (4xx validation errors, bad credentials, bad input).
    case permanent
}

/// The kinds of retryable failure a node's `flowrun.retry.retryOn` can name.
public enum RetryCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Connection refused, reset or closed mid-response; DNS failures.
    case connection
    /// No answer in time.
    case timeout
    /// HTTP 5xx (and equivalent server-side failures of other protocols).
    case serverError
    /// HTTP 429 (honouring Retry-After).
    case rateLimited
}

/// Retry policies and circuit breakers shared by every execution in the process (and, with the
/// Postgres store, across processes). Implemented by the resilience component; nodes call outside
/// services through `call`, which applies the node's retry settings and the target's breaker.
public protocol ResilienceService: Sendable {
    /// Runs `operation` for `target` (a breaker key: credential or host) with the breaker and the
    /// retry policy of `policy`. Throws `NodeError(.circuitOpen)` without calling when the breaker
    /// is open.
    ///
    /// The node's own `flowrun.retry` / `flowrun.breaker` settings (in the workflow file) take
    /// precedence over `policy`, which is the node type's default.
    func call<T: Sendable>(
        target: String, policy: CallPolicy, context: ExecutionContext, _ operation: () async throws -> T
    ) async throws -> T
}

/// A node type's default retry policy for outside calls (flowrun's node settings override it;
/// n8n's retryOnFail is applied by the engine around the whole node).
public struct CallPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var jitter: BackoffPolicy.Jitter

    public init(
        maxAttempts: Int = 1, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        jitter: BackoffPolicy.Jitter = .full
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// One attempt, no backoff.
    public static let once = CallPolicy()

    /// The backoff this policy describes (Retry-After honoured up to `max(maxDelay, 5 min)`).
    public var backoff: BackoffPolicy {
        BackoffPolicy(maxAttempts: maxAttempts, baseDelay: baseDelay, maxDelay: maxDelay, jitter: jitter,
                      maxRetryAfter: max(maxDelay, .seconds(300)))
    }
}
