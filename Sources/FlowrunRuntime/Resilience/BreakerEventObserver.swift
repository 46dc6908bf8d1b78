public import FlowrunCore
import FlowrunExpressions
import Logging

/// Turns a breaker opening into n8n's error data and starts the workflow's error workflow, so a
/// person is told that a service is degraded. The error data is n8n's, with `execution.error`
/// naming the breaker (`name: "CircuitBreakerOpen"`) and a flowrun `breaker` object
/// (`target`, `failures`, `state`).
public struct BreakerErrorWorkflowObserver: ResilienceObserver {
    public var launcher: ErrorWorkflowLauncher

    public init(launcher: ErrorWorkflowLauncher) {
        self.launcher = launcher
    }

    public func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async {
        guard transition.to == .open, let workflow = context.graph?.document else { return }
        let message = "circuit breaker \"\(target)\" opened after \(transition.failures) consecutive failures"
        let error: JSONValue = .object([
            "message": .string(message), "name": .string("CircuitBreakerOpen"), "stack": .string(message),
            "node": .string(context.nodeName), "code": .string(NodeError.Code.circuitOpen.rawValue),
        ])
        var data = launcher.errorData(workflow: workflow, executionID: context.executionID, error: error,
                                      lastNodeExecuted: context.nodeName, mode: context.mode)
        data["breaker"] = .object([
            "target": .string(target), "failures": .number(Double(transition.failures)), "state": .string(transition.to.rawValue),
            "openedAt": .number(transition.at),
        ])
        let now: @Sendable () -> Double = { context.nowMilliseconds() }
        var engine = Engine.Configuration(clock: context.clock, nowMilliseconds: now, logger: context.logger, services: context.services)
        engine.defaultTimeZone = context.timeZone
        do {
            _ = try await launcher.launch(for: workflow, mode: context.mode, data: data, engine: engine)
        } catch {
            context.logger.info("Error workflow for an opened breaker could not start", metadata: [
                "flowrun.breaker.target": "\(target)", "flowrun.error": "\(error)",
            ])
        }
    }
}
