import ArgumentParser
import FlowrunCore
import FlowrunRedis
import FlowrunRuntime
import FlowrunServer
import Foundation
import Logging
import Metrics
import Prometheus

/// `flowrun serve [PATH...]`
struct ServeCommand: AsyncParsableCommand, RunsOnEventLoops {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the webhooks and schedules of every workflow in the given files and folders.",
        discussion: """
            Webhooks are served as n8n serves them, at /webhook/<path> and /webhook-test/<path>; \
            schedule triggers fire in the workflow's time zone. Changed files are reloaded every few \
            seconds and on SIGHUP (a file that no longer loads keeps its previous version). SIGTERM \
            or SIGINT stop accepting requests and let executions in flight finish. Operations: \
            /healthz, /readyz, /metrics, /api/executions. Settings: flags, then environment, then \
            the --config file (docs/configuration.md lists every key).

            Examples:
              flowrun serve workflows/
              flowrun serve --port 8080 --log-format json flow.json
            """
    )

    @Argument(help: "Workflow files or folders (default: $FLOWRUN_WORKFLOWS, the config file, or '.').")
    var paths: [String] = []

    @Option(help: ArgumentHelp("A config file (YAML or JSON; default $FLOWRUN_CONFIG).", valueName: "file"))
    var config: String?

    @Option(help: "The address to listen on (default 0.0.0.0).") var host: String?
    @Option(help: "The port to listen on (default 5678; 0 picks a free one).") var port: Int?
    @Option(name: .customLong("base-url"), help: "The public URL of this server, for webhookUrl.") var baseURL: String?
    @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted (default 16 MiB).") var maxBodyBytes: Int?
    @Option(name: .customLong("reload-interval"), help: "Seconds between checks for changed files (0: only on SIGHUP).") var reloadInterval: Double?
    @Option(name: .customLong("shutdown-grace"), help: "Seconds executions may take to finish after SIGTERM.") var shutdownGrace: Double?
    @Option(help: "The instance time zone for workflows without settings.timezone.") var timezone: String?
    @Option(name: .customLong("log-format"), help: "'text' or 'json' (one JSON object per line).") var logFormat: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info (default), notice, warning, error.") var logLevel: String?
    @Flag(name: .customLong("no-metrics"), help: "Do not serve /metrics.") var noMetrics = false
    @Option(help: ArgumentHelp("The credentials file (default $FLOWRUN_CREDENTIALS).", valueName: "file")) var credentials: String?
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where the embedded state lives.", valueName: "dir")) var dataDirectory: String?
    @Option(help: ArgumentHelp("A postgres:// URL for the shared state store.", valueName: "url")) var store: String?
    @Option(help: ArgumentHelp("Queue mode: put executions on this Redis for `flowrun worker` processes (default $FLOWRUN_QUEUE_URL); needs the Postgres store.", valueName: "redis-url"))
    var queue: String?

    /// Queue mode (its executions wait on Redis and Postgres sockets) runs on the event loops;
    /// serving with the embedded store does not (`EventLoopExecutor`).
    func prefersEventLoops(environment: [String: String]) -> Bool {
        let settings = try? ServeSettings.resolve(flags: flags(), paths: paths, configFile: config, environment: environment)
        return settings?.queueURL.map { !$0.isEmpty } ?? false
    }

    func run() async throws {
        MallocPolicy.keepFreedHeapTops(environment: ProcessInfo.processInfo.environment)
        let flags = flags()
        let settings: ServeSettings
        do {
            settings = try ServeSettings.resolve(flags: flags, paths: paths, configFile: config, environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("error: \(error)")
            throw ExitCode(CLIExit.usage)
        }
        try await serve(settings)
    }

    private func flags() -> [String: String] {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["baseURL"] = baseURL
        flags["maxBodyBytes"] = maxBodyBytes.map(String.init)
        flags["reloadIntervalSeconds"] = reloadInterval.map { String($0) }
        flags["shutdownGraceSeconds"] = shutdownGrace.map { String($0) }
        flags["timezone"] = timezone
        flags["logFormat"] = logFormat
        flags["logLevel"] = logLevel
        flags["credentials"] = credentials
        flags["dataDir"] = dataDirectory
        flags["store"] = store
        flags["queue"] = queue
        if noMetrics { flags["metrics"] = "false" }
        return flags
    }

    private func serve(_ settings: ServeSettings) async throws {
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        let json = settings.logFormat == "json"
        var logger = Logger(label: "flowrun.serve") { label in
            // Both format metadata only when a line is written (set per request and per node).
            json ? JSONLogHandler(label: label, level: level) as any LogHandler : TextLogHandler(label: label, level: level)
        }
        logger.logLevel = level
        var registry: PrometheusCollectorRegistry?
        if settings.metrics {
            let prometheus = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: prometheus))
            registry = prometheus
        }
        let queueURL = settings.queueURL.flatMap { $0.isEmpty ? nil : $0 }
        if queueURL != nil, settings.runtime.storeURL?.hasPrefix("postgres") != true {
            printError("error: queue mode needs the shared Postgres store: --store postgres://… (or FLOWRUN_STORE_URL)")
            throw ExitCode(CLIExit.usage)
        }
        var server = WorkflowServer(configuration: settings.server, logger: logger, prometheus: registry)
        server.configuration.handlesSignals = true
        let serverLogger = logger
        try await RunSupport.withRuntime(settings.runtime) { runtime in
            guard let queueURL else {
                try await server.run(runtime: runtime) { port in
                    serverLogger.notice("Listening", metadata: [
                        "flowrun.port": "\(port)", "flowrun.host": "\(settings.server.host)", "flowrun.executor": "\(EventLoopExecutor.name)",
                    ])
                }
                return
            }
            guard let store = runtime.services.executionStore else { throw CLIError("the configured store does not keep executions") }
            let prefix = settings.queuePrefix.isEmpty ? "flowrun" : settings.queuePrefix
            do {
                try await serveQueued(server: server, runtime: runtime, store: store, queueURL: queueURL, prefix: prefix, logger: serverLogger)
            } catch is CancellationError {
                // The service group cancels what still runs when the grace after SIGTERM runs out,
                // and a queue service ends with the CancellationError: a clean exit, as without the queue.
                serverLogger.notice("Stopped: the shutdown grace ran out before every request in flight was answered", metadata: [
                    "flowrun.shutdown_grace_s": "\(settings.server.shutdownGrace.components.seconds)",
                ])
            }
        }
    }

    private func serveQueued(
        server: WorkflowServer, runtime: Runtime, store: any ExecutionStore, queueURL: String, prefix: String, logger serverLogger: Logger
    ) async throws {
        let host = server.configuration.host
        try await RedisClient.withClient(url: queueURL, maximumConnections: 16, logger: serverLogger) { redis in
            let queue = RedisExecutionQueue(redis: redis, configuration: .init(prefix: prefix))
            let metrics = server.metrics
            var queued = server
            // Executions go to the workers; each schedule tick fires in one main process.
            queued.makeDispatcher = { _ in try await QueueDispatcher.start(queue: queue, store: store, metrics: metrics, logger: serverLogger) }
            queued.tickClaimer = RedisTickClaimer(queue: queue, logger: serverLogger)
            try await queued.run(runtime: runtime) { port in
                serverLogger.notice("Listening", metadata: [
                    "flowrun.port": "\(port)", "flowrun.host": "\(host)", "flowrun.queue.prefix": "\(prefix)",
                    "flowrun.executor": "\(EventLoopExecutor.name)",
                ])
            }
        }
    }
}
