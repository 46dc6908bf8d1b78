public import FlowrunCore
import FlowrunExpressions
import FlowrunRedis
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// The main process's dispatcher in queue mode: records the execution in the shared store, THEN
/// publishes it (n8n enqueues before its commit), and hands the worker's reply to the waiting
/// webhook request.
///
/// Replies arrive on one pattern subscription for the whole process, made before `start` returns
/// (so no reply can be missed between the first job and the subscription). A reply lost anyway (a
/// dropped connection) is found by a periodic sweep: a waiting execution that ended in the store is
/// answered from the reply the worker kept in Redis, or, when none is kept, rebuilt from the store.
/// The same sweep measures the queue depth for /metrics.
public final class QueueDispatcher: ExecutionDispatcher, Service {
    public struct Configuration: Sendable {
        /// This process's name in reply channels (unique per process).
        public var processID: String = UUID().uuidString
        /// How often waiting executions are checked against the store and the queue depth measured.
        public var sweepInterval: Duration = .seconds(2)
        /// An execution that ended this long ago without a kept reply is answered from the store.
        public var replyGrace: Duration = .seconds(10)
        /// At start, executions recorded `new` at least this long ago (a main process that died
        /// between writing the record and publishing the job) are published again; a job that was
        /// published after all is then delivered twice, and the second delivery is a no-op.
        public var orphanAge: Duration = .seconds(60)

        public init() {}
    }

    let queue: RedisExecutionQueue
    let store: any ExecutionStore
    let configuration: Configuration
    let metrics: ServerMetrics?
    let logger: Logger
    private let waiting = Mutex<[String: Ticket]>([:])
    private let accepting = Mutex(true)
    /// The subscription made by `start`, then the current one (closed when `run` ends).
    private let subscription: Mutex<RedisSubscription?>

    /// Completes once with the execution's result (reconstructed from the worker's reply).
    final class Ticket: ExecutionTicket {
        let executionID: String
        let workflowID: String
        let responder: (any WebhookResponder)?
        let submitted = ContinuousClock.now
        private let slot = ResultSlot()

        init(executionID: String, workflowID: String, responder: (any WebhookResponder)?) {
            self.executionID = executionID
            self.workflowID = workflowID
            self.responder = responder
        }

        /// The worker's result; when the waiting task is cancelled first (the shutdown grace ran
        /// out), a failure saying the execution stays queued, so the request is answered and the
        /// server can stop.
        func result() async -> ExecutionResult {
            await slot.wait(orOnCancel: { [executionID] in QueueDispatcher.stoppedReply(executionID).result })
        }

        func fulfil(_ reply: QueueReply) async {
            if let responder {
                if let response = reply.response { _ = await responder.respond(response) }
                await responder.executionEnded()
            }
            slot.fulfil(reply.result)
        }
    }

    init(queue: RedisExecutionQueue, store: any ExecutionStore, configuration: Configuration, metrics: ServerMetrics?,
         subscription: RedisSubscription?, logger: Logger) {
        self.queue = queue
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.subscription = Mutex(subscription)
        self.logger = logger
    }

    /// Prepares the stream and subscribes to this process's replies.
    ///
    /// - Throws: when Redis cannot be reached.
    public static func start(
        queue: RedisExecutionQueue, store: any ExecutionStore, configuration: Configuration = Configuration(),
        metrics: ServerMetrics? = nil, logger: Logger
    ) async throws -> QueueDispatcher {
        try await queue.prepare()
        let pattern = queue.replyChannel(process: configuration.processID, executionID: "*")
        let subscription = try await queue.redis.subscribe(to: [], patterns: [pattern])
        return QueueDispatcher(queue: queue, store: store, configuration: configuration, metrics: metrics, subscription: subscription,
                               logger: logger)
    }

    /// Executions submitted whose reply has not arrived.
    public var awaitingReplies: Int { waiting.withLock { $0.count } }

    public func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket {
        guard accepting.withLock({ $0 }) else { throw DispatchError.shuttingDown }
        var resumeItems: [JSONValue]?
        if let resume = job.resume {
            // A waiting execution resumed: its record exists; the worker rebuilds the state from the
            // store and needs only the Wait node's new output.
            resumeItems = ((resume.stack.first?.main.first ?? nil) ?? []).map { $0.jsonValue() }
        } else {
            let file = job.workflow.file.hasPrefix("/") ? job.workflow.file : FileManager.default.currentDirectoryPath + "/" + job.workflow.file
            var record = ExecutionRecord(
                id: job.executionID, workflowID: job.workflow.graph.document.id, workflowName: job.workflow.graph.document.name,
                workflowFile: file, mode: job.mode.rawValue, status: .new, startedAt: Date().timeIntervalSince1970 * 1000, resumeOnCrash: false)
            record.startNode = job.startNode
            record.triggerInput = .array(job.input.map { $0.jsonValue() })
            // Written before it is published: a worker always finds the record of the job it reads.
            try await store.createExecution(record)
        }
        let ticket = Ticket(executionID: job.executionID, workflowID: job.workflow.id, responder: responder)
        // Registered only while the dispatcher runs: `run` answers every registered ticket when it
        // ends, so none waits for a reply that nobody reads any more.
        let registered = waiting.withLock { waiting in
            guard accepting.withLock({ $0 }) else { return false }
            waiting[job.executionID] = ticket
            return true
        }
        let channel = queue.replyChannel(process: configuration.processID, executionID: job.executionID)
        do {
            try await queue.enqueue(QueueJob(executionID: job.executionID, workflowKey: job.workflow.id, replyChannel: channel,
                                             requestMethod: responder?.requestMethod, resumeItems: resumeItems))
        } catch {
            _ = waiting.withLock { $0.removeValue(forKey: job.executionID) }
            logger.error("Execution not queued", metadata: ["flowrun.execution.id": "\(job.executionID)", "flowrun.error": "\(error)"])
            // A resume that was not queued leaves the execution waiting (it can be resumed again).
            if resumeItems != nil { throw error }
            // Never left shown as new: the execution was refused.
            try? await store.finishExecution(
                id: job.executionID, status: .canceled, stoppedAt: Date().timeIntervalSince1970 * 1000,
                error: ["code": "notQueued", "message": "the execution could not be put on the queue"])
            throw error
        }
        // The dispatcher stopped meanwhile: the execution is queued (a worker runs it later) and
        // the request is answered now.
        if !registered { await ticket.fulfil(Self.stoppedReply(job.executionID)) }
        return ticket
    }

    /// What a request still waiting when the dispatcher stops is answered with.
    static func stoppedReply(_ executionID: String) -> QueueReply {
        QueueReply.failure(
            executionID: executionID, code: "shuttingDown",
            message: "the server stopped before a worker answered; the execution stays queued and runs later")
    }

    /// Listens for replies and sweeps until graceful shutdown (which comes after the HTTP server
    /// stopped, so every waiting request has been answered); then refuses new executions.
    public func run() async throws {
        await requeueOrphans()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listen() }
                group.addTask { await self.sweepPeriodically() }
                await group.next()
                group.cancelAll()
            }
        }
        let unanswered = waiting.withLock { waiting in
            accepting.withLock { $0 = false }
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        if let current = subscription.withLock({ s in defer { s = nil }; return s }) { await current.close() }
        // Requests still waiting here lost their workers' replies with the subscription: after a
        // graceful stop none are left, but when the shutdown grace ran out (the group is cancelled:
        // no worker answered in time) they would wait forever, and the server with them, since a
        // Respond to Webhook request waits for its responder, which only the reply closes.
        for ticket in unanswered { await ticket.fulfil(Self.stoppedReply(ticket.executionID)) }
    }

    /// Publishes again the executions recorded `new` and never started (no owner) before
    /// `orphanAge`, so none stays shown as new because its main process died before publishing it.
    func requeueOrphans() async {
        let before = Date().timeIntervalSince1970 * 1000 - Double(configuration.orphanAge.wholeMilliseconds)
        guard let unfinished = try? await store.unfinishedExecutions() else { return }
        for record in unfinished where record.status == .new && record.ownerID == nil && record.startedAt < before {
            let key = record.workflowID.flatMap { $0.isEmpty ? nil : $0 }
                ?? ((record.workflowFile.map { ($0 as NSString).lastPathComponent } ?? "") as NSString).deletingPathExtension
            do {
                try await queue.enqueue(QueueJob(executionID: record.id, workflowKey: key))
                logger.notice("Unpublished execution queued again", metadata: ["flowrun.execution.id": "\(record.id)"])
            } catch {
                logger.warning("Unpublished execution not queued", metadata: ["flowrun.execution.id": "\(record.id)", "flowrun.error": "\(error)"])
            }
        }
    }

    /// Reads replies; resubscribes when the connection is lost.
    private func listen() async {
        let pattern = queue.replyChannel(process: configuration.processID, executionID: "*")
        while !Task.isCancelled {
            var current = subscription.withLock { $0 }
            if current == nil {
                current = try? await queue.redis.subscribe(to: [], patterns: [pattern])
                subscription.withLock { $0 = current }
            }
            guard let current else {
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            do {
                for try await message in current {
                    guard let value = try? JSONValue(parsing: message.payload), let reply = QueueReply(jsonValue: value) else {
                        logger.warning("Unreadable reply from a worker", metadata: ["flowrun.channel": "\(message.channel)"])
                        continue
                    }
                    await deliver(reply)
                }
            } catch {
                logger.warning("Reply subscription lost; subscribing again", metadata: ["flowrun.error": "\(error)"])
            }
            if Task.isCancelled { return }
            subscription.withLock { $0 = nil }
            await current.close()
        }
    }

    /// Hands a reply to its ticket, once.
    private func deliver(_ reply: QueueReply) async {
        guard let ticket = waiting.withLock({ $0.removeValue(forKey: reply.result.executionID) }) else { return }
        metrics?.executionFinished(workflow: ticket.workflowID, status: reply.result.status.rawValue)
        await ticket.fulfil(reply)
    }

    private func sweepPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.sweepInterval)
            } catch {
                return
            }
            await sweep()
            if let metrics, let depth = try? await queue.depth() {
                metrics.queueMeasured(waiting: depth.waiting, pending: depth.pending)
            }
        }
    }

    /// Answers waiting executions that ended without their reply arriving.
    func sweep() async {
        let now = ContinuousClock.now
        let overdue = waiting.withLock { tickets in
            tickets.values.filter { now - $0.submitted >= configuration.sweepInterval }.sorted { $0.submitted < $1.submitted }.prefix(200)
        }
        let graceMilliseconds = Double(configuration.replyGrace.wholeMilliseconds)
        for ticket in overdue {
            guard let record = try? await store.execution(id: ticket.executionID), !record.status.isUnfinished else { continue }
            if let kept = try? await queue.storedReply(executionID: ticket.executionID), let reply = QueueReply(jsonValue: kept) {
                await deliver(reply)
            } else if Date().timeIntervalSince1970 * 1000 - (record.stoppedAt ?? record.startedAt) >= graceMilliseconds,
                      let reply = try? await QueueReply.rebuilt(from: record, store: store) {
                logger.info("Reply rebuilt from the store", metadata: ["flowrun.execution.id": "\(ticket.executionID)"])
                await deliver(reply)
            }
        }
    }
}
