public import FlowrunCore

/// How a runtime's resilience service is set up: default breaker, observers (metrics), error
/// workflows on breaker openings. Read from `FLOWRUN_BREAKER_*` variables by `fromEnvironment`.
public struct ResilienceSettings: Sendable {
    /// Breaker defaults and injected time/randomness.
    public var service = CircuitBreakerService.Configuration()
    /// Told about breaker transitions and retries (the server adds its metrics observer).
    public var observers: [any ResilienceObserver] = []
    /// Whether an opening breaker starts the workflow's error workflow.
    public var startsErrorWorkflowOnBreakerOpen = true
    /// Where error workflows are looked up.
    public var errorWorkflows = ErrorWorkflowLauncher.Configuration()
    /// Whether breaker state is kept in the state store (shared across processes) when it can be.
    public var sharesBreakersThroughStore = true

    public init() {}

    /// Defaults overridden by `FLOWRUN_BREAKER_FAILURE_THRESHOLD`, `FLOWRUN_BREAKER_COOL_DOWN_MS`,
    /// `FLOWRUN_BREAKER_SHARED` (`false` keeps breakers per process), `FLOWRUN_EDITOR_BASE_URL`.
    public static func fromEnvironment(_ environment: [String: String]) -> ResilienceSettings {
        var settings = ResilienceSettings()
        if let n = environment["FLOWRUN_BREAKER_FAILURE_THRESHOLD"].flatMap(Int.init), n >= 1 {
            settings.service.breaker.failureThreshold = n
        }
        if let ms = environment["FLOWRUN_BREAKER_COOL_DOWN_MS"].flatMap(Int64.init), ms >= 0 {
            settings.service.breaker.coolDown = .milliseconds(ms)
        }
        if environment["FLOWRUN_BREAKER_SHARED"] == "false" { settings.sharesBreakersThroughStore = false }
        if let url = environment["FLOWRUN_EDITOR_BASE_URL"], !url.isEmpty { settings.errorWorkflows.editorBaseURL = url }
        return settings
    }
}
