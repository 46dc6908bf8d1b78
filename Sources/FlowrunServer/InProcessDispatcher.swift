public import FlowrunCore
import FlowrunExpressions
public import FlowrunRuntime
import Foundation
import Logging
public import ServiceLifecycle
import Synchronization

/// Runs executions in this process, as child tasks of its `run()`.
///
/// With a `recorder`, `submit` writes the execution's record (workflow file, start node, trigger
/// input, status `new`, this process as owner) before it returns, so it is in the store before its
/// first node runs; a crash after that is found by crash recovery on the next start. A webhook's
/// record (a `responder`) is queued instead: the execution runs while it is written, the webhook
/// answers only after `ticket.recorded()`, so an execution a webhook answered for is in the store
/// before the answer leaves; a short execution's end joins its record's insert.
///
/// On graceful shutdown it stops accepting (`submit` throws `DispatchError.shuttingDown`) and
/// returns when the executions in flight have finished; the service group's shutdown timeout
/// cancels the ones that outlast the grace period, whose records stay unfinished for the next
/// start's crash recovery (`KeepsUnfinishedOnShutdown`).
public final class InProcessDispatcher: ExecutionDispatcher, Service {
    struct Pending: Sendable {
        var job: ExecutionJob
        var responder: (any WebhookResponder)?
        var ticket: Ticket
    }

    /// Completes once with the execution's result.
    final class Ticket: ExecutionTicket {
        let executionID: String
        private let slot = ResultSlot()
        private let record: RecordCommit

        init(executionID: String, record: RecordCommit) {
            self.executionID = executionID
            self.record = record
        }

        func result() async -> ExecutionResult { await slot.wait() }

        func recorded() async throws {
            do {
                try await record.wait()
            } catch {
                throw DispatchError.notRecorded(executionID, error)
            }
        }

        func fulfil(_ result: ExecutionResult) { slot.fulfil(result) }
    }

    let engineConfiguration: Engine.Configuration
    let metrics: ServerMetrics
    let logger: Logger
    let recorder: ExecutionRecorder?
    private let stream: AsyncStream<Pending>
    private let continuation: AsyncStream<Pending>.Continuation
    private let accepting = Mutex(true)
    private let inFlight = Atomic<Int>(0)

    /// - Parameters:
    ///   - engineConfiguration: services, observers, clock and logger every execution uses.
    ///   - recorder: records each execution before `submit` returns (`Runtime.recorder`); nil when
    ///     executions are not recorded.
    public init(engineConfiguration: Engine.Configuration, metrics: ServerMetrics, logger: Logger, recorder: ExecutionRecorder? = nil) {
        self.engineConfiguration = engineConfiguration
        self.metrics = metrics
        self.logger = logger
        self.recorder = recorder
        (stream, continuation) = AsyncStream.makeStream(of: Pending.self)
    }

    /// Executions accepted and not finished.
    public var running: Int { inFlight.load(ordering: .relaxed) }

    /// Records the execution (with a recorder), then queues it.
    ///
    /// - Throws: `DispatchError.shuttingDown` once shutdown began; `DispatchError.notRecorded` when
    ///   the store refused the record (the execution does not run).
    public func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket {
        guard accepting.withLock({ $0 }) else { throw DispatchError.shuttingDown }
        var record = RecordCommit.committed
        if let recorder {
            do {
                // A webhook's record may commit while the execution runs (with its end, when that
                // comes first): the webhook answers only after `ticket.recorded()`. Other triggers
                // wait here.
                if responder != nil {
                    record = try await recorder.acceptQueued(job.workflow.graph, file: job.workflow.file, options: job.runOptions)
                } else {
                    try await recorder.accept(job.workflow.graph, file: job.workflow.file, options: job.runOptions)
                }
            } catch {
                logger.error("Execution not recorded; refused", metadata: [
                    "flowrun.execution.id": "\(job.executionID)", "flowrun.workflow.id": "\(job.workflow.id)", "flowrun.error": "\(error)",
                ])
                throw DispatchError.notRecorded(job.executionID, error)
            }
        }
        let ticket = Ticket(executionID: job.executionID, record: record)
        let accepted = accepting.withLock { open in
            guard open else { return false }
            if case .enqueued = continuation.yield(Pending(job: job, responder: responder, ticket: ticket)) {
                inFlight.add(1, ordering: .relaxed)
                return true
            }
            return false
        }
        guard accepted else {
            // Shutdown began while the record was written: the request is refused, so is the record.
            if recorder != nil, let store = engineConfiguration.services.executionStore {
                try? await store.finishExecution(
                    id: job.executionID, status: .canceled, stoppedAt: Date().timeIntervalSince1970 * 1000,
                    error: ["code": "canceled", "message": "the server was shutting down and did not start the execution"])
            }
            throw DispatchError.shuttingDown
        }
        return ticket
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await pending in stream {
                    group.addTask { await self.execute(pending) }
                }
            }
        } onGracefulShutdown: {
            self.accepting.withLock { open in
                open = false
                self.continuation.finish()
            }
        }
        logger.info("Executions drained")
    }

    func execute(_ pending: Pending) async {
        let job = pending.job
        var configuration = engineConfiguration
        configuration.logger[metadataKey: "flowrun.execution.id"] = "\(job.executionID)"
        configuration.logger[metadataKey: "flowrun.workflow.id"] = "\(job.workflow.id)"
        // Error workflows run with this logger (the failed execution's id) and without the metrics
        // observer of the failed workflow.
        let base = configuration
        let logger = configuration.logger
        configuration.observers = configuration.observers.map { observer in
            guard observer is ExecutionRecorder else { return observer }
            return KeepsUnfinishedOnShutdown(recorder: observer, isShuttingDown: { !self.accepting.withLock { $0 } }, logger: logger)
        }
        configuration.observers.append(MetricsObserver(metrics: metrics, workflow: job.workflow))
        configuration.subworkflows = FileSubworkflowRunner(
            registry: .builtIn, baseDirectory: job.workflow.directory, engineConfiguration: configuration)
        let engine = Engine(configuration: configuration)
        metrics.running(inFlight.load(ordering: .relaxed))
        // Per execution at debug level, as n8n logs executions (`--log-level debug` shows them);
        // failures and the server's own events stay at info and above.
        configuration.logger.debug("Execution started", metadata: ["flowrun.execution.mode": "\(job.mode)", "flowrun.node.name": "\(job.startNode)"])
        let result = await WebhookResponding.$current.withValue(pending.responder) {
            await engine.run(job.workflow.graph, options: job.runOptions)
        }
        configuration.logger.debug("Execution finished", metadata: [
            "flowrun.execution.status": "\(result.status.rawValue)",
            "flowrun.execution.ms": "\(Int(result.stoppedAt - result.startedAt))",
        ])
        await pending.responder?.executionEnded()
        let left = inFlight.subtract(1, ordering: .relaxed).newValue
        metrics.running(left)
        pending.ticket.fulfil(result)
        await ServedErrorWorkflows.launch(after: result, of: job.workflow, mode: job.mode, engine: base)
    }
}
