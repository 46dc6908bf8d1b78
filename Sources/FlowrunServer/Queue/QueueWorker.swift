public import FlowrunExpressions
public import Logging
import ServiceLifecycle
import Synchronization

/// What became of a queued job at a worker.
public enum QueueOutcome: Sendable {
    /// It ran (or could not, and ended): `reply` goes to the waiting process, `then` runs (the error
    /// workflow), then the job is acknowledged.
    case finished(reply: JSONValue, then: (@Sendable () async -> Void)? = nil)
    /// It had ended before (a second delivery): the kept reply is sent again (`fallback`, rebuilt
    /// from the store, when none is kept) and the job acknowledged.
    case alreadyEnded(fallback: JSONValue)
    /// A live worker runs it: no reply, no acknowledgement (that worker acknowledges it); looked at
    /// again after a heartbeat TTL, in case that worker dies.
    case runningElsewhere
}

/// Runs queued executions: what a worker does for one job. Implementations look the execution up
/// in the store, resend the reply when it already ended, leave it to a live worker that runs it,
/// resume it from its checkpoint when its worker died, and run it otherwise.
public protocol QueueJobRunner: Sendable {
    /// - Throws: when the store or Redis cannot be reached: the job stays pending and is tried again.
    func run(_ job: QueueJob, reclaimed: Bool) async throws -> QueueOutcome
}

/// `flowrun worker`'s loop: reads jobs as a consumer of the group, runs up to `concurrency` at a
/// time, sends each reply to the waiting process, then acknowledges the job. Keeps its heartbeat
/// alive and claims the jobs of workers whose heartbeat stopped.
public struct QueueWorker: Service {
    public struct Configuration: Sendable {
        /// This worker's consumer name (unique per process; a restart may reuse it).
        public var consumer: String
        public var concurrency: Int
        /// This process's owner id in the execution store, announced with the heartbeat so other
        /// workers know its executions are alive.
        public var ownerID: String?
        /// How long one read waits for new jobs.
        public var block: Duration = .seconds(1)

        public init(consumer: String, concurrency: Int = 4, ownerID: String? = nil) {
            self.consumer = consumer
            self.concurrency = max(1, concurrency)
            self.ownerID = ownerID
        }
    }

    public let queue: RedisExecutionQueue
    public let runner: any QueueJobRunner
    public let configuration: Configuration
    public let logger: Logger
    /// Entry ids being handled by this worker (the stale sweep leaves them alone).
    private let inFlight = InFlight()

    final class InFlight: Sendable {
        let ids = Mutex<Set<String>>([])
        func withLock<T>(_ body: (inout Set<String>) -> T) -> T { ids.withLock { body(&$0) } }
    }

    public init(queue: RedisExecutionQueue, runner: any QueueJobRunner, configuration: Configuration, logger: Logger) {
        self.queue = queue
        self.runner = runner
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        try await queue.prepare()
        try await queue.heartbeat(consumer: configuration.consumer, ownerID: configuration.ownerID)
        logger.info("Worker started", metadata: ["flowrun.worker": "\(configuration.consumer)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await keepAlive() }
            group.addTask { try await reclaim() }
            group.addTask { try await consume() }
            // Whichever ends first (shutdown, or a lost Redis) ends the worker.
            try await group.next()
            group.cancelAll()
        }
        try? await queue.retire(consumer: configuration.consumer, ownerID: configuration.ownerID)
        logger.info("Worker stopped", metadata: ["flowrun.worker": "\(configuration.consumer)"])
    }

    /// Heartbeat every third of the TTL. Nothing else runs here, so a long execution never delays it.
    /// A failed renewal is retried at the next beat; the worker does not stop for it.
    private func keepAlive() async throws {
        let ttl = queue.configuration.heartbeatTTL
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try await Task.sleep(for: ttl / 3)
            do {
                try await queue.heartbeat(consumer: configuration.consumer, ownerID: configuration.ownerID)
            } catch {
                logger.warning("Heartbeat not renewed", metadata: ["flowrun.worker": "\(configuration.consumer)", "flowrun.error": "\(error)"])
            }
        }
    }

    /// Every half TTL, claims the jobs of workers whose heartbeat stopped and runs them; every
    /// TTL, looks again at its own jobs left to another worker.
    private func reclaim() async throws {
        let ttl = queue.configuration.heartbeatTTL
        try await withThrowingTaskGroup(of: Void.self) { running in
            var round = 0
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try await Task.sleep(for: ttl / 2)
                round += 1
                do {
                    var deliveries = try await queue.reclaimAbandoned(by: configuration.consumer)
                    for delivery in deliveries {
                        logger.info("Job reclaimed from a dead worker", metadata: ["flowrun.execution.id": "\(delivery.job.executionID)"])
                    }
                    if round % 2 == 0 {
                        deliveries += try await queue.stale(of: configuration.consumer, minIdle: ttl, excluding: inFlight.withLock { $0 })
                    }
                    for delivery in deliveries where begin(delivery) {
                        running.addTask { await handle(delivery) }
                    }
                } catch {
                    logger.warning("Reclaiming jobs failed", metadata: ["flowrun.error": "\(error)"])
                }
            }
            try await running.waitForAll()
        }
    }

    private func consume() async throws {
        let leftOver = try await queue.unacknowledged(consumer: configuration.consumer, count: 1000)
        await withTaskGroup(of: Void.self) { running in
            var busy = 0
            for delivery in leftOver where begin(delivery) {
                if busy >= configuration.concurrency {
                    await running.next()
                    busy -= 1
                }
                busy += 1
                running.addTask { await handle(delivery) }
            }
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if busy >= configuration.concurrency {
                    await running.next()
                    busy -= 1
                    continue
                }
                let deliveries: [QueueDelivery]
                do {
                    deliveries = try await queue.read(consumer: configuration.consumer, count: configuration.concurrency - busy,
                                                      block: configuration.block)
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("Reading the queue failed", metadata: ["flowrun.error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(500))
                    continue
                }
                for delivery in deliveries where begin(delivery) {
                    busy += 1
                    running.addTask { await handle(delivery) }
                }
            }
            // Graceful shutdown: in-flight executions finish and are acknowledged.
            await running.waitForAll()
        }
    }

    /// Marks a delivery in flight; false when it already is (a claim racing a read).
    private func begin(_ delivery: QueueDelivery) -> Bool {
        inFlight.withLock { $0.insert(delivery.entryID).inserted }
    }

    /// Runs one job; replies and acknowledges it once its execution is recorded (whatever its
    /// outcome). A job whose run threw (the store unreachable) stays pending and is tried again by
    /// this worker's stale sweep or, if it dies, by another worker.
    private func handle(_ delivery: QueueDelivery) async {
        defer { _ = inFlight.withLock { $0.remove(delivery.entryID) } }
        var logger = self.logger
        logger[metadataKey: "flowrun.execution.id"] = "\(delivery.job.executionID)"
        let job = delivery.job
        do {
            switch try await runner.run(job, reclaimed: delivery.reclaimed) {
            case .finished(let reply, let then?):
                try await queue.publishReply(reply, executionID: job.executionID, on: job.replyChannel)
                await then()
                try await queue.acknowledge(delivery)
            case .finished(let reply, nil):
                try await queue.publishReply(reply, executionID: job.executionID, on: job.replyChannel, acknowledging: delivery)
            case .alreadyEnded(let fallback):
                let reply = try await queue.storedReply(executionID: job.executionID) ?? fallback
                try await queue.publishReply(reply, executionID: job.executionID, on: job.replyChannel, acknowledging: delivery)
                logger.info("Second delivery of an ended execution: reply sent again")
            case .runningElsewhere:
                logger.info("Execution runs at another worker; left to it")
            }
        } catch {
            logger.warning("Queued execution could not be completed; it stays pending", metadata: ["flowrun.error": "\(error)"])
        }
    }
}
