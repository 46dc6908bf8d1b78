public import FlowrunExpressions
public import Logging
import ServiceLifecycle

/// Runs queued executions: what a worker does for one job. Implementations look the execution up
/// in the store, skip it when it already ended (a second delivery), resume it from its checkpoint
/// when it was started before, run it otherwise, and return the webhook response to send back.
public protocol QueueJobRunner: Sendable {
    func run(_ job: QueueJob, reclaimed: Bool) async throws -> JSONValue?
}

/// `flowrun worker`'s loop: reads jobs as a consumer of the group, runs up to `concurrency` at a
/// time, sends each response to the waiting process, then acknowledges the job. Keeps its heartbeat
/// alive and claims the jobs of workers whose heartbeat stopped.
public struct QueueWorker: Service {
    public struct Configuration: Sendable {
        /// This worker's consumer name (unique per process; a restart may reuse it).
        public var consumer: String
        public var concurrency: Int
        /// How long one read waits for new jobs.
        public var block: Duration = .seconds(1)

        public init(consumer: String, concurrency: Int = 4) {
            self.consumer = consumer
            self.concurrency = max(1, concurrency)
        }
    }

    public let queue: RedisExecutionQueue
    public let runner: any QueueJobRunner
    public let configuration: Configuration
    public let logger: Logger

    public init(queue: RedisExecutionQueue, runner: any QueueJobRunner, configuration: Configuration, logger: Logger) {
        self.queue = queue
        self.runner = runner
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        try await queue.prepare()
        try await queue.heartbeat(consumer: configuration.consumer)
        logger.info("Worker started", metadata: ["flowrun.worker": "\(configuration.consumer)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await keepAlive() }
            group.addTask { try await reclaim() }
            group.addTask { try await consume() }
            // Whichever ends first (shutdown, or a lost Redis) ends the worker.
            try await group.next()
            group.cancelAll()
        }
        try? await queue.retire(consumer: configuration.consumer)
        logger.info("Worker stopped", metadata: ["flowrun.worker": "\(configuration.consumer)"])
    }

    /// Heartbeat every third of the TTL. Nothing else runs here, so a long execution never delays it.
    private func keepAlive() async throws {
        let ttl = queue.configuration.heartbeatTTL
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try await Task.sleep(for: ttl / 3)
            try await queue.heartbeat(consumer: configuration.consumer)
        }
    }

    /// Every half TTL, claims the jobs of workers whose heartbeat stopped and runs them.
    private func reclaim() async throws {
        let ttl = queue.configuration.heartbeatTTL
        try await withThrowingTaskGroup(of: Void.self) { running in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try await Task.sleep(for: ttl / 2)
                for delivery in try await queue.reclaimAbandoned(by: configuration.consumer) {
                    logger.info("Job reclaimed from a dead worker", metadata: ["flowrun.execution.id": "\(delivery.job.executionID)"])
                    running.addTask { await handle(delivery) }
                }
            }
            try await running.waitForAll()
        }
    }

    private func consume() async throws {
        let leftOver = try await queue.unacknowledged(consumer: configuration.consumer, count: 1000)
        await withTaskGroup(of: Void.self) { running in
            var inFlight = 0
            for delivery in leftOver {
                if inFlight >= configuration.concurrency {
                    await running.next()
                    inFlight -= 1
                }
                inFlight += 1
                running.addTask { await handle(delivery) }
            }
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if inFlight >= configuration.concurrency {
                    await running.next()
                    inFlight -= 1
                    continue
                }
                let deliveries: [QueueDelivery]
                do {
                    deliveries = try await queue.read(consumer: configuration.consumer, count: configuration.concurrency - inFlight,
                                                      block: configuration.block)
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("Reading the queue failed", metadata: ["flowrun.error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(500))
                    continue
                }
                for delivery in deliveries {
                    inFlight += 1
                    running.addTask { await handle(delivery) }
                }
            }
            // Graceful shutdown: in-flight executions finish and are acknowledged.
            await running.waitForAll()
        }
    }

    /// Runs one job; acknowledges it when its execution is recorded (whatever its outcome). A job
    /// whose run threw (the store unreachable) stays pending and is retried by the next reader.
    private func handle(_ delivery: QueueDelivery) async {
        var logger = self.logger
        logger[metadataKey: "flowrun.execution.id"] = "\(delivery.job.executionID)"
        do {
            let response = try await runner.run(delivery.job, reclaimed: delivery.reclaimed)
            if let channel = delivery.job.replyChannel {
                try await queue.publishReply(response ?? .object([:]), on: channel)
            }
            try await queue.acknowledge(delivery)
        } catch {
            logger.warning("Queued execution could not be completed; it stays pending", metadata: ["flowrun.error": "\(error)"])
        }
    }
}
