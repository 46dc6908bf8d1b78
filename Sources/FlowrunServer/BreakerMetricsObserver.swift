public import FlowrunCore

/// Counts circuit-breaker transitions and retries in `ServerMetrics`
/// (`flowrun.breaker.transitions`, `flowrun.breaker.state`, `flowrun.retries`). `ServeSettings`
/// installs one in the runtime's resilience observers.
public struct BreakerMetricsObserver: ResilienceObserver {
    public var metrics: ServerMetrics

    public init(metrics: ServerMetrics = ServerMetrics()) {
        self.metrics = metrics
    }

    public func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async {
        // CircuitBreakerService logs the transition itself.
        metrics.breakerTransition(target: target, to: transition.to)
    }

    public func retryScheduled(target: String, attempt: Int, delay: Duration, error: any Error, context: ExecutionContext) async {
        metrics.retryScheduled(target: target)
    }
}
