import ArgumentParser
import FlowrunCore
import FlowrunRedis
import FlowrunRuntime
import FlowrunServer
import Foundation
import Logging
import ServiceLifecycle

/// `flowrun worker --queue redis://… --store postgres://… PATH...`
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued executions (queue mode): consume the Redis stream that `flowrun serve --queue` fills.",
        discussion: """
            Start as many workers as wanted, on as many machines, with the same workflow files, Redis \
            queue and Postgres store as the main process. Each execution is recorded in the store, then \
            acknowledged; the jobs of a worker that dies are claimed by the others once its heartbeat \
            stops (6 s). SIGTERM/SIGINT stop reading and let running executions finish.

            Example:
              flowrun worker --queue redis://127.0.0.1:6379 --store postgres://flowrun:pw@127.0.0.1/flowrun workflows/
            """
    )

    @Argument(help: "Workflow files or folders (the same as the main process serves).")
    var paths: [String]

    @Option(help: ArgumentHelp("The Redis queue (default $FLOWRUN_QUEUE_URL).", valueName: "redis-url"))
    var queue: String?

    @Option(help: ArgumentHelp("The shared Postgres store (default $FLOWRUN_STORE_URL).", valueName: "postgres-url"))
    var store: String?

    @Option(help: ArgumentHelp("The credentials file (default $FLOWRUN_CREDENTIALS).", valueName: "file"))
    var credentials: String?

    @Option(help: "Executions run at once by this worker.")
    var concurrency = 4

    @Option(help: ArgumentHelp("This worker's consumer name (default host-pid).", valueName: "name"))
    var name: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let queueURL = queue ?? environment["FLOWRUN_QUEUE_URL"], !queueURL.isEmpty else {
            throw ValidationError("flowrun worker needs --queue redis://HOST:PORT (or FLOWRUN_QUEUE_URL)")
        }
        var configuration = RuntimeConfiguration.fromEnvironment(environment)
        if let store { configuration.storeURL = store }
        if let credentials { configuration.credentialsFile = credentials }
        guard configuration.storeURL?.hasPrefix("postgres") == true else {
            throw ValidationError("queue mode needs the shared Postgres store: --store postgres://… (or FLOWRUN_STORE_URL)")
        }
        let consumer = name ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let logger = cliLogger
        try await RunSupport.withRuntime(configuration) { runtime in
            guard let executions = runtime.services.executionStore else {
                throw CLIError("the configured store does not keep executions")
            }
            let workflows = WorkflowSet(paths: paths, environment: environment, http: runtime.services.http, logger: logger)
            let report = await workflows.reload()
            for failure in report.failed { printError("warning: \(failure)") }
            let engine = Engine(configuration: .init(logger: logger, observers: runtime.observers, environment: environment,
                                                     envAccessAllowed: configuration.envAccessAllowed, services: runtime.services))
            try await RedisClient.withClient(url: queueURL, logger: logger) { redis in
                let queue = RedisExecutionQueue(redis: redis)
                let runner = StoreQueueJobRunner(
                    workflows: { key in workflows.workflows.first { $0.id == key || $0.file == key } },
                    store: executions, engine: engine, ownerID: runtime.recorder?.ownerID, logger: logger)
                let worker = QueueWorker(queue: queue, runner: runner, configuration: .init(consumer: consumer, concurrency: concurrency),
                                         logger: logger)
                let group = ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            }
        }
    }
}
