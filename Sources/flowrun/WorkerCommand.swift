import ArgumentParser
import FlowrunCore
import FlowrunRedis
import FlowrunRuntime
import FlowrunServer
import Foundation
import Logging
import ServiceLifecycle

/// `flowrun worker --queue redis://… --store postgres://… PATH...`
struct WorkerCommand: AsyncParsableCommand, RunsOnEventLoops {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued executions (queue mode): consume the Redis stream that `flowrun serve --queue` fills.",
        discussion: """
            Start as many workers as wanted, on as many machines, with the same workflow files, Redis \
            queue and Postgres store as the main process. Each execution is recorded in the store, its \
            reply sent to the waiting webhook request, then the job acknowledged; the jobs of a worker \
            that dies are claimed by the others once its heartbeat stops (6 s). SIGTERM/SIGINT stop \
            reading and let running executions finish. FLOWRUN_QUEUE_PREFIX (default flowrun) names \
            the Redis keys; main and workers must agree on it. Settings come from flags, the \
            environment and the config file, as for `flowrun serve` (docs/configuration.md).

            Example:
              flowrun worker --queue redis://127.0.0.1:6379 --store postgres://flowrun:pw@127.0.0.1/flowrun workflows/
            """
    )

    @Argument(help: "Workflow files or folders (the same as the main process serves).")
    var paths: [String]

    @Option(help: ArgumentHelp("A config file, as for `flowrun serve` (default $FLOWRUN_CONFIG).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The Redis queue (default $FLOWRUN_QUEUE_URL).", valueName: "redis-url"))
    var queue: String?

    @Option(help: ArgumentHelp("The shared Postgres store (default $FLOWRUN_STORE_URL).", valueName: "postgres-url"))
    var store: String?

    @Option(help: ArgumentHelp("The credentials file (default $FLOWRUN_CREDENTIALS).", valueName: "file"))
    var credentials: String?

    @Option(help: "The instance time zone for workflows without settings.timezone (default $FLOWRUN_TIMEZONE).")
    var timezone: String?

    @Option(name: .customLong("base-url"), help: "The public URL of the main processes, for $execution.resumeUrl (default $FLOWRUN_BASE_URL or $WEBHOOK_URL).")
    var baseURL: String?

    @Option(help: "Executions run at once by this worker.")
    var concurrency = 4

    @Option(help: ArgumentHelp("This worker's consumer name (default host-pid).", valueName: "name"))
    var name: String?

    /// A worker's executions wait on Redis and Postgres sockets: it runs on the event loops under
    /// `FLOWRUN_EXECUTOR=auto` (`EventLoopExecutor`).
    func prefersEventLoops(environment: [String: String]) -> Bool { true }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        MallocPolicy.keepFreedHeapTops(environment: environment)
        var flags: [String: String] = [:]
        flags["queue"] = queue
        flags["store"] = store
        flags["credentials"] = credentials
        flags["timezone"] = timezone
        flags["baseURL"] = baseURL
        // The same settings as `flowrun serve` reads (environment, FLOWRUN_CONFIG), so main and
        // workers run executions alike.
        let settings: ServeSettings
        do {
            settings = try ServeSettings.resolve(flags: flags, paths: paths, configFile: config, environment: environment)
        } catch {
            throw ValidationError("\(error)")
        }
        guard let queueURL = settings.queueURL, !queueURL.isEmpty else {
            throw ValidationError("flowrun worker needs --queue redis://HOST:PORT (or FLOWRUN_QUEUE_URL, or `queue` in FLOWRUN_CONFIG)")
        }
        var configuration = settings.runtime
        configuration.recordsExecutions = true
        guard configuration.storeURL?.hasPrefix("postgres") == true else {
            throw ValidationError("queue mode needs the shared Postgres store: --store postgres://… (or FLOWRUN_STORE_URL)")
        }
        let consumer = name ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let prefix = settings.queuePrefix.isEmpty ? "flowrun" : settings.queuePrefix
        // The CLI's level and format, through handlers that format metadata only when a line is
        // written (metadata is set per job and per node).
        let level = cliLogger.logLevel
        let json = environment["FLOWRUN_LOG_FORMAT"] == "json"
        var logger = Logger(label: cliLogger.label) { label in
            json ? JSONLogHandler(label: label, level: level) as any LogHandler : TextLogHandler(label: label, level: level)
        }
        logger.logLevel = level
        logger[metadataKey: "flowrun.worker"] = "\(consumer)"
        logger.info("Worker starting", metadata: ["flowrun.executor": "\(EventLoopExecutor.name)", "flowrun.concurrency": "\(concurrency)"])
        try await RunSupport.withRuntime(configuration) { runtime in
            guard let executions = runtime.services.executionStore, let recorder = runtime.recorder else {
                throw CLIError("the configured store does not keep executions")
            }
            let workflows = WorkflowSet(paths: paths, environment: environment, http: runtime.services.http, logger: logger)
            let report = await workflows.reload()
            for failure in report.failed { printError("warning: \(failure)") }
            var engine = Engine.Configuration(
                logger: logger, defaultTimeZone: settings.server.timeZone, observers: runtime.observers, environment: environment,
                envAccessAllowed: configuration.envAccessAllowed, services: runtime.services)
            // `$execution.resumeUrl` points at the main processes' /webhook-waiting/ route.
            let publicURL = settings.server.baseURL ?? "http://localhost:\(settings.server.port)"
            engine.webhookBaseURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
            // Long time waits are parked in the store; the main process's wait tracker resumes them.
            engine.parksLongWaits = true
            try await RedisClient.withClient(url: queueURL, maximumConnections: max(8, concurrency + 4), logger: logger) { redis in
                let queue = RedisExecutionQueue(redis: redis, configuration: .init(prefix: prefix))
                let runner = StoreQueueJobRunner(
                    workflows: { key in workflows.workflows.first { $0.id == key || $0.file == key } },
                    store: executions, engineConfiguration: engine, ownerID: recorder.ownerID,
                    isOwnerAlive: { try await queue.ownerAlive($0) }, logger: logger)
                let worker = QueueWorker(
                    queue: queue, runner: runner,
                    configuration: .init(consumer: consumer, concurrency: concurrency, ownerID: recorder.ownerID), logger: logger)
                let group = ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            }
        }
    }
}
