public import FlowrunCore
import FlowrunNodes
public import FlowrunRuntime
import Foundation
import Hummingbird
public import Logging
public import Prometheus
public import ServiceLifecycle
import Synchronization

/// `flowrun serve`: the served workflows' webhooks and schedules, the operations routes, and
/// executions through an `ExecutionDispatcher`, in one `ServiceGroup` with graceful shutdown.
public struct WorkflowServer: Sendable {
    /// Everything `flowrun serve` reads from flags, environment and the config file
    /// (docs/configuration.md lists the keys).
    public struct Configuration: Sendable {
        /// Workflow files and folders.
        public var paths: [String]
        public var host: String = "0.0.0.0"
        public var port: Int = 5678
        /// The public URL webhooks are reached at (`webhookUrl` in items); default `http://localhost:<port>`.
        public var baseURL: String?
        /// Largest accepted request body (n8n's `N8N_PAYLOAD_SIZE_MAX`, 16 MiB).
        public var maxBodyBytes: Int = 16 * 1024 * 1024
        /// How often workflow files are checked for changes; nil: only on SIGHUP.
        public var reloadInterval: Duration? = .seconds(2)
        /// How long executions in flight may take to finish after SIGTERM/SIGINT.
        public var shutdownGrace: Duration = .seconds(30)
        /// The instance time zone (n8n's `GENERIC_TIMEZONE`) for workflows without `settings.timezone`.
        public var timeZone: String = TimeZone.current.identifier
        /// Whether SIGTERM/SIGINT shut down gracefully and SIGHUP reloads (off in tests).
        public var handlesSignals: Bool = true
        /// Whether executions a previous process left unfinished are recovered at start (marked
        /// crashed, or resumed when their workflow opts in). Only with the in-process dispatcher:
        /// in queue mode, workers own the executions.
        public var recoversExecutions: Bool = true
        /// How often waiting executions are checked for a passed wait limit (`WaitTracker`).
        public var waitPollInterval: Duration = .seconds(5)

        public init(paths: [String]) {
            self.paths = paths
        }
    }

    public var configuration: Configuration
    public var logger: Logger
    /// The metrics served at `/metrics` (nil: the route answers 404).
    public var prometheus: PrometheusCollectorRegistry?
    public var metrics: ServerMetrics
    /// The clock schedules and reload polling sleep on.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// Wall time for schedules and rate limits (seconds since 1970 as a Date).
    public var now: @Sendable () -> Date = { Date() }
    /// Per-client rate limits of the gateway; nil: in-memory token buckets.
    public var rateLimiter: (any ClientRateLimiter)?
    /// Builds the dispatcher from the engine configuration every execution uses; nil:
    /// `InProcessDispatcher` (queue mode passes one that builds a `QueueDispatcher`).
    public var makeDispatcher: (@Sendable (Engine.Configuration) async throws -> any ExecutionDispatcher & Service)?
    /// Which process fires a schedule tick (queue mode: one across all processes).
    public var tickClaimer: any ScheduleTickClaimer = LocalTickClaimer()
    /// Lets its holder shut the server down gracefully (besides signals and an enclosing group).
    public var shutdown: ServerShutdown?

    public init(configuration: Configuration, logger: Logger, prometheus: PrometheusCollectorRegistry?, metrics: ServerMetrics = ServerMetrics()) {
        self.configuration = configuration
        self.logger = logger
        self.prometheus = prometheus
        self.metrics = metrics
    }

    /// Loads the workflows, then serves until a graceful shutdown: SIGTERM/SIGINT (with
    /// `handlesSignals`), or the enclosing `ServiceGroup`'s when `run` is called from a service
    /// (tests use that; cancelling the task instead ends connections abruptly).
    ///
    /// - Parameter onRunning: called with the bound port once the server accepts connections.
    public func run(runtime: Runtime, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let workflows = WorkflowSet(
            paths: configuration.paths, environment: runtime.configuration.environment, http: runtime.services.http, logger: logger)
        let report = await workflows.reload()
        metrics.workflows(loaded: workflows.workflows.count, failed: workflows.failures.count)
        logger.notice("Workflows loaded", metadata: [
            "flowrun.workflows.loaded": "\(report.loaded.count)", "flowrun.workflows.failed": "\(report.failed.count)",
            "flowrun.webhooks": "\(workflows.webhooks.endpoints.count)", "flowrun.schedules": "\(workflows.schedules.count)",
        ])
        var engine = Engine.Configuration(
            logger: logger, defaultTimeZone: configuration.timeZone, observers: runtime.observers,
            environment: runtime.configuration.environment, envAccessAllowed: runtime.configuration.envAccessAllowed,
            services: runtime.services)
        engine.clock = ContinuousClock()
        // `$now`, rate-limit windows and recorded times follow the server's wall time (a test clock in tests).
        let wallTime = self.now
        engine.nowMilliseconds = { wallTime().timeIntervalSince1970 * 1000 }
        // `$execution.resumeUrl` points at this server's /webhook-waiting/ route.
        let publicURL = configuration.baseURL ?? "http://localhost:\(configuration.port)"
        engine.webhookBaseURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        // As n8n does, time waits of 65 s or more are parked in the store (status waiting) rather than
        // held in memory; the wait tracker resumes them at their time, also after a restart.
        engine.parksLongWaits = runtime.recorder != nil
        let dispatcher: any ExecutionDispatcher & Service =
            try await makeDispatcher?(engine)
            ?? InProcessDispatcher(engineConfiguration: engine, metrics: metrics, logger: logger, recorder: runtime.recorder)
        let recovery = RecoveryService(
            runtime: runtime, engineConfiguration: engine, metrics: metrics,
            enabled: configuration.recoversExecutions && makeDispatcher == nil && runtime.recorder != nil, logger: logger)
        let now = self.now
        let limiter = rateLimiter ?? TokenBucketLimiter()
        let ready = Mutex(false)
        let baseURL = configuration.baseURL ?? "http://localhost:\(configuration.port)"
        let handler = WebhookHandler(
            workflows: workflows, dispatcher: dispatcher, limiter: limiter, credentials: runtime.services.credentials, metrics: metrics,
            baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, maxBodyBytes: configuration.maxBodyBytes,
            now: { now().timeIntervalSince1970 }, logger: logger)
        let waiting = WaitingWebhooks(runtime: runtime, workflows: workflows, dispatcher: dispatcher, webhooks: handler, logger: logger)
        let operations = OperationsRoutes(
            workflows: workflows, registry: prometheus, store: runtime.services.executionStore, isReady: { ready.withLock { $0 } })
        let app = Application(
            responder: GatewayResponder(webhooks: handler, operations: operations, waiting: waiting),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "flowrun"),
            onServerRunning: { channel in
                ready.withLock { $0 = true }
                await onRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        let schedules = ScheduleService(
            workflows: workflows, dispatcher: dispatcher, clock: clock, now: now,
            defaultTimeZone: TimeZone(identifier: configuration.timeZone) ?? .current, claimer: tickClaimer, metrics: metrics,
            logger: logger)
        let reloader = ReloadService(
            workflows: workflows, clock: clock, pollInterval: configuration.reloadInterval, handlesSIGHUP: configuration.handlesSignals,
            metrics: metrics, logger: logger)
        // Shut down in reverse order: stop accepting requests first, then schedules and reloads,
        // then let the dispatcher drain the executions in flight, and recovered executions last.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                // Recovery, schedules and reloads may have nothing to do (no schedule, no
                // polling): their returning must not end the server.
                .init(service: recovery, successTerminationBehavior: .ignore),
                .init(service: dispatcher), .init(service: schedules, successTerminationBehavior: .ignore),
                .init(service: reloader, successTerminationBehavior: .ignore),
                // Polls in real time (a test's schedule clock may never move); due times follow `now`.
                .init(service: WaitTracker(waiting: waiting, clock: ContinuousClock(), interval: configuration.waitPollInterval,
                                           now: { now().timeIntervalSince1970 * 1000 }), successTerminationBehavior: .ignore),
                .init(service: app, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: configuration.handlesSignals ? [.sigterm, .sigint] : [],
            cancellationSignals: [],
            logger: logger)
        // Executions still running after the grace period are cancelled (and recorded as such).
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        let group = ServiceGroup(configuration: groupConfiguration)
        await shutdown?.attach(group)
        try await group.run()
    }
}
