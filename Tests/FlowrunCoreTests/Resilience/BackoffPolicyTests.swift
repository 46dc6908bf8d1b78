import FlowrunCore
import Testing

@Suite("Backoff and retry decisions")
struct BackoffPolicyTests {
    struct Failure: RetryClassifying {
        var retryDisposition: RetryDisposition
        var retryCategory: RetryCategory?
    }

    @Test("exponential delays double from the base and stop at the cap")
    func exponential() {
        let policy = BackoffPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxDelay: .milliseconds(1000), jitter: .none)
        let delays = (1...6).map { policy.delay(afterAttempt: $0, unitRandom: 0.3) }
        #expect(delays == [100, 200, 400, 800, 1000, 1000].map { Duration.milliseconds($0) })
    }

    @Test("full jitter scales the exponential delay by the random number; equal jitter keeps half")
    func jitter() {
        let full = BackoffPolicy(maxAttempts: 5, baseDelay: .milliseconds(200), maxDelay: .seconds(10), jitter: .full)
        #expect(full.delay(afterAttempt: 3, unitRandom: 0.25) == .milliseconds(200))
        #expect(full.delay(afterAttempt: 3, unitRandom: 0) == .zero)
        let equal = BackoffPolicy(maxAttempts: 5, baseDelay: .milliseconds(200), maxDelay: .seconds(10), jitter: .equal)
        #expect(equal.delay(afterAttempt: 3, unitRandom: 0.5) == .milliseconds(600))
    }

    @Test("a retry schedule for a target that fails every time: four waits, then give up")
    func schedule() {
        let policy = BackoffPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(4), jitter: .full)
        let randoms = [0.5, 1.0, 0.25, 0.9, 0.1]
        let error = Failure(retryDisposition: .retryable(after: nil), retryCategory: .serverError)
        let decisions = (1...5).map { RetryDecision.decide(error, attempt: $0, policy: policy, unitRandom: randoms[$0 - 1]) }
        #expect(decisions == [
            .retry(after: .milliseconds(250)), .retry(after: .milliseconds(1000)), .retry(after: .milliseconds(500)),
            .retry(after: .milliseconds(3600)), .giveUp(.attemptsExhausted),
        ])
    }

    @Test("429 waits the larger of the backoff and Retry-After")
    func retryAfter() {
        let policy = BackoffPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(30), jitter: .none, maxRetryAfter: .seconds(60))
        let short = Failure(retryDisposition: .retryable(after: .milliseconds(300)), retryCategory: .rateLimited)
        let long = Failure(retryDisposition: .retryable(after: .seconds(7)), retryCategory: .rateLimited)
        let tooLong = Failure(retryDisposition: .retryable(after: .seconds(61)), retryCategory: .rateLimited)
        #expect(RetryDecision.decide(short, attempt: 1, policy: policy, unitRandom: 0) == .retry(after: .seconds(1)))
        #expect(RetryDecision.decide(long, attempt: 1, policy: policy, unitRandom: 0) == .retry(after: .seconds(7)))
        #expect(RetryDecision.decide(tooLong, attempt: 1, policy: policy, unitRandom: 0) == .giveUp(.retryAfterTooLong))
    }

    @Test("4xx validation errors and unclassified errors are never retried")
    func permanent() {
        struct Plain: Error {}
        let policy = BackoffPolicy(maxAttempts: 5)
        #expect(RetryDecision.decide(Failure(retryDisposition: .permanent), attempt: 1, policy: policy, unitRandom: 0) == .giveUp(.permanent))
        #expect(RetryDecision.decide(Plain(), attempt: 1, policy: policy, unitRandom: 0) == .giveUp(.permanent))
    }

    @Test("retryOn narrows the retried kinds; an unknown kind then is not retried")
    func retryOn() {
        let policy = BackoffPolicy(maxAttempts: 5, jitter: .none, retryOn: [.connection, .timeout])
        let server = Failure(retryDisposition: .retryable(after: nil), retryCategory: .serverError)
        let timeout = Failure(retryDisposition: .retryable(after: nil), retryCategory: .timeout)
        let unknown = Failure(retryDisposition: .retryable(after: nil), retryCategory: nil)
        #expect(RetryDecision.decide(server, attempt: 1, policy: policy, unitRandom: 0) == .giveUp(.notRetried))
        #expect(RetryDecision.decide(timeout, attempt: 1, policy: policy, unitRandom: 0) == .retry(after: .milliseconds(500)))
        #expect(RetryDecision.decide(unknown, attempt: 1, policy: policy, unitRandom: 0) == .giveUp(.notRetried))
        let all = BackoffPolicy(maxAttempts: 5, jitter: .none)
        #expect(RetryDecision.decide(unknown, attempt: 1, policy: all, unitRandom: 0) == .retry(after: .milliseconds(500)))
    }
}
