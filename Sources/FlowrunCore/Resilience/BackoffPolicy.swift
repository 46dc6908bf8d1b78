/// Exponential backoff with full jitter (AWS's "full jitter"): before attempt `n + 1` wait a uniform
/// random delay in `0 ... min(maxDelay, baseDelay × 2^(n-1))`; `maxAttempts` counts every attempt.
///
/// Pure: the random number comes from the caller (`unitRandom` in `0..<1`), so tests give exact
/// schedules.
public struct BackoffPolicy: Sendable, Hashable {
    /// How the exponential delay is randomised.
    public enum Jitter: String, Sendable, Hashable, CaseIterable {
        /// Uniform in `0 ... delay` (the default: spreads retries of many clients).
        case full
        /// Uniform in `delay/2 ... delay`.
        case equal
        /// Exactly the exponential delay.
        case none
    }

    /// Attempts in all (1 = no retry).
    public var maxAttempts: Int
    /// The exponential delay before the second attempt.
    public var baseDelay: Duration
    /// The cap of the exponential delay (Retry-After may ask for more, up to `maxRetryAfter`).
    public var maxDelay: Duration
    public var jitter: Jitter
    /// The longest Retry-After honoured; a server asking for more ends the retries.
    public var maxRetryAfter: Duration
    /// Which retryable failures are retried (all four by default).
    public var retryOn: Set<RetryCategory>

    public init(
        maxAttempts: Int = 1, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full, maxRetryAfter: Duration = .seconds(300), retryOn: Set<RetryCategory> = Set(RetryCategory.allCases)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
        self.retryOn = retryOn
    }

    /// One attempt, no retry.
    public static let once = BackoffPolicy()

    /// The backoff before attempt `attempt + 1`, after `attempt` failed attempts (1-based).
    public func delay(afterAttempt attempt: Int, unitRandom: Double) -> Duration {
        let ceiling = exponentialDelay(afterAttempt: attempt)
        let r = min(max(unitRandom, 0), 1)
        switch jitter {
        case .none: return ceiling
        case .full: return ceiling * r
        case .equal: return ceiling / 2 + (ceiling / 2) * r
        }
    }

    /// `min(maxDelay, baseDelay × 2^(attempt-1))`, without jitter.
    public func exponentialDelay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 62)
        let base = Self.milliseconds(baseDelay)
        let cap = Self.milliseconds(maxDelay)
        let value = min(cap, base * Double(UInt64(1) << UInt64(exponent)))
        return .milliseconds(Int64(value.rounded()))
    }

    static func milliseconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
    }
}
