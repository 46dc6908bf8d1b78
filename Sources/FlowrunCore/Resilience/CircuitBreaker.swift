/// A circuit breaker as a value: closed → open after `failureThreshold` consecutive failures →
/// half-open after `coolDown` (one probe let through) → closed on the probe's success, open
/// again on its failure.
///
/// Pure: every method takes the time (`now`, ms since 1970, from an injected clock) and returns
/// the transition it made, if any, as an action for the driver (log, count, start the error
/// workflow). The value is what a `BreakerStore` persists to share a breaker across processes.
public struct CircuitBreaker: Sendable, Hashable, Codable {
    public struct Configuration: Sendable, Hashable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold: Int
        /// How long the breaker stays open before it lets one probe through.
        public var coolDown: Duration

        public init(failureThreshold: Int = 3, coolDown: Duration = .seconds(30)) {
            self.failureThreshold = max(1, failureThreshold)
            self.coolDown = coolDown
        }

        var coolDownMilliseconds: Double { BackoffPolicy.milliseconds(coolDown) }
    }

    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case closed
        case open
        case halfOpen = "half-open"
    }

    /// A change of state: what the driver reports.
    public struct Transition: Sendable, Hashable {
        public var from: State
        public var to: State
        /// Consecutive failures when the transition happened.
        public var failures: Int
        public var at: Double

        public init(from: State, to: State, failures: Int, at: Double) {
            self.from = from
            self.to = to
            self.failures = failures
            self.at = at
        }
    }

    /// Whether a call may go ahead.
    public enum Admission: Sendable, Hashable {
        /// Call; `probe` when this call is the half-open breaker's single probe.
        case allowed(probe: Bool)
        /// Fail fast; the breaker lets a probe through from `retryAt` (ms since 1970).
        case rejected(retryAt: Double)
    }

    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    /// When the breaker last opened (ms since 1970).
    public private(set) var openedAt: Double?
    /// When the half-open probe was let through; a probe that never reports (its process died)
    /// is replaced after another cool-down.
    public private(set) var probeStartedAt: Double?

    public init() {}

    /// Asks to call at `now`; moves an open breaker whose cool-down is over to half-open.
    public mutating func admit(now: Double, configuration: Configuration) -> (Admission, Transition?) {
        switch state {
        case .closed:
            return (.allowed(probe: false), nil)
        case .open:
            let until = (openedAt ?? now) + configuration.coolDownMilliseconds
            guard now >= until else { return (.rejected(retryAt: until), nil) }
            state = .halfOpen
            probeStartedAt = now
            return (.allowed(probe: true), Transition(from: .open, to: .halfOpen, failures: consecutiveFailures, at: now))
        case .halfOpen:
            let until = (probeStartedAt ?? now) + configuration.coolDownMilliseconds
            if probeStartedAt != nil, now < until { return (.rejected(retryAt: until), nil) }
            probeStartedAt = now
            return (.allowed(probe: true), nil)
        }
    }

    /// Whether `admit` lets a call through without changing anything (the breaker is closed).
    public var admitsUnchanged: Bool { state == .closed }

    /// Whether `recordSuccess` would change nothing: closed, no failures counted, no probe out.
    public var isReset: Bool { state == .closed && consecutiveFailures == 0 && probeStartedAt == nil && openedAt == nil }

    /// Records a successful call: resets the failure count; closes a half-open breaker.
    public mutating func recordSuccess(now: Double) -> Transition? {
        let previous = state
        consecutiveFailures = 0
        probeStartedAt = nil
        guard previous != .closed else { return nil }
        state = .closed
        openedAt = nil
        return Transition(from: previous, to: .closed, failures: 0, at: now)
    }

    /// Records a failed call (a retryable failure: the target is unwell); opens the breaker at the
    /// threshold, or again when the half-open probe failed.
    public mutating func recordFailure(now: Double, configuration: Configuration) -> Transition? {
        consecutiveFailures += 1
        switch state {
        case .closed:
            guard consecutiveFailures >= configuration.failureThreshold else { return nil }
            return open(from: .closed, now: now)
        case .halfOpen:
            return open(from: .halfOpen, now: now)
        case .open:
            // A call admitted before the breaker opened failed late: the breaker stays open.
            return nil
        }
    }

    private mutating func open(from previous: State, now: Double) -> Transition {
        state = .open
        openedAt = now
        probeStartedAt = nil
        return Transition(from: previous, to: .open, failures: consecutiveFailures, at: now)
    }
}
