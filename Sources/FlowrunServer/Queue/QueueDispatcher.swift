public import FlowrunCore
import FlowrunExpressions
import FlowrunRedis
import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization

/// The main process's dispatcher in queue mode: records the execution in the shared store, THEN
/// publishes it (n8n enqueues before its commit), and hands the worker's reply to the waiting
/// webhook request. As a `Service` it listens for replies on one pattern subscription for the
/// whole process.
public final class QueueDispatcher: ExecutionDispatcher, Service {
    let queue: RedisExecutionQueue
    let store: any ExecutionStore
    /// This process's name in reply channels.
    let processID: String
    let logger: Logger
    private let waiting = Mutex<[String: Ticket]>([:])
    private let accepting = Mutex(true)

    /// Completes once with the execution's result (reconstructed from the worker's reply).
    final class Ticket: ExecutionTicket {
        let executionID: String
        let responder: (any WebhookResponder)?
        private let state = Mutex<(result: ExecutionResult?, waiters: [CheckedContinuation<ExecutionResult, Never>])>((nil, []))

        init(executionID: String, responder: (any WebhookResponder)?) {
            self.executionID = executionID
            self.responder = responder
        }

        func result() async -> ExecutionResult {
            await withCheckedContinuation { continuation in
                let ready: ExecutionResult? = state.withLock { s in
                    if let r = s.result { return r }
                    s.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }

        func fulfil(_ reply: QueueReply) async {
            if let responder {
                if let response = reply.response { _ = await responder.respond(response) }
                await responder.executionEnded()
            }
            let waiters = state.withLock { s in
                s.result = reply.result
                defer { s.waiters = [] }
                return s.waiters
            }
            for waiter in waiters { waiter.resume(returning: reply.result) }
        }
    }

    public init(queue: RedisExecutionQueue, store: any ExecutionStore, processID: String = UUID().uuidString, logger: Logger) {
        self.queue = queue
        self.store = store
        self.processID = processID
        self.logger = logger
    }

    public func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket {
        guard accepting.withLock({ $0 }) else { throw DispatchError.shuttingDown }
        var record = ExecutionRecord(
            id: job.executionID, workflowID: job.workflow.graph.document.id, workflowName: job.workflow.graph.document.name,
            workflowFile: job.workflow.file, mode: job.mode.rawValue, status: .new,
            startedAt: Date().timeIntervalSince1970 * 1000, resumeOnCrash: false)
        record.startNode = job.startNode
        record.triggerInput = .array(job.input.map { $0.jsonValue() })
        // Written before it is published: a worker always finds the record of the job it reads.
        try await store.createExecution(record)
        let ticket = Ticket(executionID: job.executionID, responder: responder)
        waiting.withLock { $0[job.executionID] = ticket }
        let channel = queue.replyChannel(process: processID, executionID: job.executionID)
        do {
            try await queue.enqueue(QueueJob(executionID: job.executionID, workflowKey: job.workflow.id, replyChannel: channel,
                                             requestMethod: responder?.requestMethod))
        } catch {
            _ = waiting.withLock { $0.removeValue(forKey: job.executionID) }
            throw error
        }
        return ticket
    }

    /// Listens for replies until shutdown; then refuses new executions.
    public func run() async throws {
        let pattern = queue.replyChannel(process: processID, executionID: "*")
        try await queue.redis.withSubscription(to: [], patterns: [pattern]) { subscription in
            try await withGracefulShutdownHandler {
                for try await message in subscription {
                    guard let value = try? JSONValue(parsing: message.payload), let reply = QueueReply(jsonValue: value) else {
                        logger.warning("Unreadable reply from a worker", metadata: ["flowrun.channel": "\(message.channel)"])
                        continue
                    }
                    let ticket = waiting.withLock { $0.removeValue(forKey: reply.result.executionID) }
                    await ticket?.fulfil(reply)
                }
            } onGracefulShutdown: {
                self.accepting.withLock { $0 = false }
            }
        }
    }
}
