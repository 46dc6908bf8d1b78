import Logging
import Synchronization

/// The resilience service: retries with exponential backoff and circuit breakers per target,
/// shared by every execution of the process and, with a `BreakerStore`, across processes.
///
/// Time for breakers comes from the execution (`ExecutionContext.nowMilliseconds()`, a virtual
/// clock in tests) unless `Configuration.now` is set; waits between attempts sleep on the
/// execution's clock. Randomness for jitter is injected.
public final class CircuitBreakerService: ResilienceService {
    public struct Configuration: Sendable {
        /// The breaker of nodes without `flowrun.breaker` settings.
        public var breaker = CircuitBreaker.Configuration()
        /// Wall time in ms since 1970; nil: the execution's clock.
        public var now: (@Sendable () -> Double)?
        /// A uniform random number in `0..<1` for jitter.
        public var unitRandom: @Sendable () -> Double = { Double.random(in: 0..<1) }
        /// How long (on the breaker's clock) a reset breaker read from the store serves the other
        /// calls of the execution that read it, instead of a store read before and after each call
        /// (`BreakerReadCache`). It bounds how late a running execution sees another process open
        /// the breaker; executions that start afterwards see it at once. Zero: read every time.
        public var storeReadMaxAge: Duration = .milliseconds(250)

        public init(breaker: CircuitBreaker.Configuration = .init()) {
            self.breaker = breaker
        }
    }

    private let configuration: Configuration
    private let store: (any BreakerStore)?
    private let observers: [any ResilienceObserver]
    private let local = Mutex<[String: CircuitBreaker]>([:])
    private let readCache: BreakerReadCache

    /// - Parameters:
    ///   - store: shares breaker state across processes; nil keeps it in this process.
    ///   - observers: told about transitions and retries (metrics, error workflows).
    public init(configuration: Configuration = .init(), store: (any BreakerStore)? = nil, observers: [any ResilienceObserver] = []) {
        self.configuration = configuration
        self.store = store
        self.observers = observers
        self.readCache = BreakerReadCache(maxAge: BackoffPolicy.milliseconds(configuration.storeReadMaxAge))
    }

    public func call<T: Sendable>(
        target: String, policy: CallPolicy, context: ExecutionContext, _ operation: () async throws -> T
    ) async throws -> T {
        let (settings, key) = try plan(target: target, context: context)
        // Built when a call fails: the default policy's `retryOn` set is an allocation per call.
        var backoff: BackoffPolicy?
        let breakerConfiguration = settings.breaker ?? configuration.breaker
        var attempt = 1
        var lastError: (any Error)?
        while true {
            if let key, await !stored(key, context: context, satisfies: .admitsUnchanged) {
                let now = now(context)
                let (admission, transition) = await update(key, context: context) { $0.admit(now: now, configuration: breakerConfiguration) }
                if let transition { await report(transition, key: key, context: context) }
                if case .rejected(let retryAt) = admission {
                    if let lastError { throw lastError }
                    throw Self.openError(key: key, retryAt: retryAt, now: now, context: context)
                }
            }
            do {
                let result = try await operation()
                if let key, await !stored(key, context: context, satisfies: .successChangesNothing) {
                    let now = now(context)
                    if let t = await update(key, context: context, { $0.recordSuccess(now: now) }) { await report(t, key: key, context: context) }
                }
                return result
            } catch {
                if error is CancellationError || Task.isCancelled { throw error }
                lastError = error
                if let key, let classified = error as? any RetryClassifying {
                    let now = now(context)
                    let transition: CircuitBreaker.Transition?
                    if case .retryable = classified.retryDisposition {
                        transition = await update(key, context: context) { $0.recordFailure(now: now, configuration: breakerConfiguration) }
                    } else if await !stored(key, context: context, satisfies: .successChangesNothing) {
                        // The target answered (a 4xx): it is up.
                        transition = await update(key, context: context) { $0.recordSuccess(now: now) }
                    } else {
                        transition = nil
                    }
                    if let transition {
                        await report(transition, key: key, context: context)
                        // This failure opened the breaker: no more attempts until its cool-down.
                        if transition.to == .open { throw error }
                    }
                }
                let retryPlan = backoff ?? settings.retry ?? policy.backoff
                backoff = retryPlan
                let decision = RetryDecision.decide(error, attempt: attempt, policy: retryPlan, unitRandom: configuration.unitRandom())
                guard case .retry(let delay) = decision else { throw error }
                context.logger.debug("Outside call retried", metadata: [
                    "flowrun.retry.target": "\(target)", "flowrun.retry.attempt": "\(attempt)",
                    "flowrun.retry.delay_ms": "\(Int(BackoffPolicy.milliseconds(delay)))",
                ])
                for observer in observers {
                    await observer.retryScheduled(target: target, attempt: attempt, delay: delay, error: error, context: context)
                }
                try await context.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// The node's settings and the call's breaker key (not async: the node's document stays off
    /// the frames a call in flight holds).
    private func plan(target: String, context: ExecutionContext) throws(NodeError) -> (NodeResilienceSettings, String?) {
        guard let node = context.graph?.node(context.nodeName)?.document else {
            return (NodeResilienceSettings(), Self.breakerKey(.host, target: target, node: nil))
        }
        let settings = try NodeResilienceSettings(node: node)
        return (settings, Self.breakerKey(settings.breakerKey, target: target, node: node))
    }

    /// The breaker at `key` as this process sees it (the store's when there is one).
    public func breaker(key: String) async throws -> CircuitBreaker? {
        if let store { return try await store.breaker(key: key) }
        return local.withLock { $0[key] }
    }

    static func breakerKey(_ key: NodeResilienceSettings.BreakerKey, target: String, node: NodeDocument?) -> String? {
        switch key {
        case .host: return target
        case .disabled: return nil
        case .named(let name): return name
        case .credential:
            guard let reference = node?.credentialReferences.first else { return target }
            return "credential \(reference.type) \(reference.id ?? reference.name ?? "")"
        }
    }

    private func now(_ context: ExecutionContext) -> Double {
        configuration.now?() ?? context.nowMilliseconds()
    }

    /// What `stored` checks.
    enum StoredCheck {
        /// `admit` lets a call through without changing anything (the breaker is closed).
        case admitsUnchanged
        /// `recordSuccess` changes nothing (the breaker is reset).
        case successChangesNothing

        func holds(for breaker: CircuitBreaker) -> Bool {
            switch self {
            case .admitsUnchanged: breaker.admitsUnchanged
            case .successChangesNothing: breaker.isReset
            }
        }
    }

    /// Whether the stored breaker at `key` (a fresh closed one when none is stored) satisfies
    /// `check`, read without a write transaction; false when the store cannot be read (the caller
    /// then updates, which handles an unavailable store).
    ///
    /// A call on a closed breaker changes nothing (`admit` on `.closed` lets it through as it is),
    /// and neither does a success on a reset one (`recordSuccess`), so those checks only read: a
    /// write transaction per check (two per call: SQLite's single writer, JSON encoding, and four
    /// round trips with a row lock in Postgres) was most of an outside call's own cost. Any other state takes the update path, so every
    /// change still happens in one transaction; a concurrent change between the read and the call
    /// is ordered as it would be had the transaction run at the moment of the read.
    ///
    /// A reset breaker read for this execution less than `storeReadMaxAge` ago is not read again
    /// (`BreakerReadCache`: the reads were most of what remained of a call's own cost).
    private func stored(_ key: String, context: ExecutionContext, satisfies check: StoredCheck) async -> Bool {
        guard let store else { return false }
        let now = now(context)
        if readCache.isReset(key, execution: context.executionID, now: now) { return check.holds(for: CircuitBreaker()) }
        let ticket = readCache.startRead(key)
        do {
            let breaker = try await store.breaker(key: key) ?? CircuitBreaker()
            readCache.finishRead(ticket, breaker: breaker, execution: context.executionID, now: now)
            return check.holds(for: breaker)
        } catch {
            return false
        }
    }

    /// Applies `body` to the breaker at `key`: in the store when there is one (falling back to this
    /// process's copy when the store fails, so an unavailable store never blocks calls).
    private func update<R: Sendable>(
        _ key: String, context: ExecutionContext, _ body: @escaping @Sendable (inout CircuitBreaker) -> R
    ) async -> R {
        readCache.startUpdate(key)
        defer { readCache.finishUpdate(key) }
        if let store {
            do {
                return try await store.updateBreaker(key: key, body)
            } catch {
                context.logger.info("Breaker store unavailable; using this process's breaker", metadata: [
                    "flowrun.breaker.target": "\(key)", "flowrun.error": "\(error)",
                ])
            }
        }
        return local.withLock { breakers in body(&breakers[key, default: CircuitBreaker()]) }
    }

    private func report(_ transition: CircuitBreaker.Transition, key: String, context: ExecutionContext) async {
        context.logger.info(transition.to == .open ? "Circuit breaker opened" : "Circuit breaker changed state", metadata: [
            "flowrun.breaker.target": "\(key)", "flowrun.breaker.from": "\(transition.from.rawValue)",
            "flowrun.breaker.state": "\(transition.to.rawValue)", "flowrun.breaker.failures": "\(transition.failures)",
        ])
        for observer in observers { await observer.breakerTransition(transition, target: key, context: context) }
    }

    static func openError(key: String, retryAt: Double, now: Double, context: ExecutionContext) -> NodeError {
        let seconds = max(0, Int(((retryAt - now) / 1000).rounded(.up)))
        return NodeError(
            .circuitOpen, "circuit breaker \"\(key)\" is open after repeated failures; the next probe is allowed in \(seconds) s",
            node: context.nodeName, extra: ["breaker": .string(key), "retryAt": .number(retryAt)])
    }
}
