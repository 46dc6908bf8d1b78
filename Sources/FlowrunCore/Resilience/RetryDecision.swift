/// What to do after a failed attempt: wait and try again, or give up (and why).
public enum RetryDecision: Sendable, Hashable {
    /// Try again after `delay` (the larger of the backoff and the server's Retry-After).
    case retry(after: Duration)
    /// Stop and throw the error.
    case giveUp(Reason)

    public enum Reason: String, Sendable, Hashable {
        /// A 4xx validation error, bad credentials, bad input, or an error that is not classified.
        case permanent
        /// The node's `retryOn` leaves out this kind of failure.
        case notRetried
        /// `maxAttempts` reached.
        case attemptsExhausted
        /// The server asked to wait longer than `maxRetryAfter`.
        case retryAfterTooLong
    }

    /// Decides after `attempt` failed attempts (1-based) of `policy` with `error`.
    public static func decide(
        _ error: any Error, attempt: Int, policy: BackoffPolicy, unitRandom: Double
    ) -> RetryDecision {
        guard let classified = error as? any RetryClassifying else { return .giveUp(.permanent) }
        return decide(classified.retryDisposition, category: classified.retryCategory, attempt: attempt, policy: policy, unitRandom: unitRandom)
    }

    /// Decides from a disposition directly (the pure core of `decide(_:attempt:policy:unitRandom:)`).
    public static func decide(
        _ disposition: RetryDisposition, category: RetryCategory?, attempt: Int, policy: BackoffPolicy, unitRandom: Double
    ) -> RetryDecision {
        guard case .retryable(let retryAfter) = disposition else { return .giveUp(.permanent) }
        // An unclassified retryable error is retried unless the node narrowed `retryOn`.
        if let category, !policy.retryOn.contains(category) { return .giveUp(.notRetried) }
        if category == nil, policy.retryOn.count < RetryCategory.allCases.count { return .giveUp(.notRetried) }
        guard attempt < policy.maxAttempts else { return .giveUp(.attemptsExhausted) }
        if let retryAfter, retryAfter > policy.maxRetryAfter { return .giveUp(.retryAfterTooLong) }
        let backoff = policy.delay(afterAttempt: attempt, unitRandom: unitRandom)
        return .retry(after: max(backoff, retryAfter ?? .zero))
    }
}
