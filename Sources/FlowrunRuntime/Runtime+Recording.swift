import FlowrunCore
import Logging

// Owner: state store. Replace with the execution recorder when the store records executions.
extension Runtime {
    static func executionObservers(
        _ configuration: RuntimeConfiguration, store: (any StateStore)?, logger: Logger
    ) -> [any ExecutionObserver] {
        []
    }
}
