/// Receives the resilience service's events: the server maps them to metrics
/// (`flowrun.breaker.transitions`, `flowrun.retries`), the runtime starts error workflows on
/// breaker openings. Called inline on the calling task; keep it quick.
public protocol ResilienceObserver: Sendable {
    /// A breaker changed state; `target` is its key.
    func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async
    /// A call failed and will be tried again after `delay` (attempt = failed attempts so far).
    func retryScheduled(target: String, attempt: Int, delay: Duration, error: any Error, context: ExecutionContext) async
}

extension ResilienceObserver {
    public func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async {}
    public func retryScheduled(target: String, attempt: Int, delay: Duration, error: any Error, context: ExecutionContext) async {}
}
