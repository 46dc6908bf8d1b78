public import FlowrunExpressions
public import Logging

/// Runs a `WorkflowGraph` with n8n's semantics: the thin async driver around `ExecutionState`.
///
/// The state decides which node runs next; the engine runs it through the node policies
/// (pin data, disabled pass-through, trigger pass-through, execute once, retries) and hands the
/// outcome back. Cancellation is task cancellation; `settings.executionTimeout` is checked
/// between nodes, as in n8n.
public struct Engine: Sendable {
    /// How executions run.
    public struct Configuration: Sendable {
        /// The clock waits run on (retries, Wait node); a manual clock in tests.
        public var clock: any Clock<Duration>
        /// Wall time in milliseconds (timestamps, `$now`, the timeout deadline).
        public var nowMilliseconds: @Sendable () -> Double
        public var logger: Logger
        /// The instance time zone (n8n's `GENERIC_TIMEZONE`), used unless `settings.timezone` is set.
        public var defaultTimeZone: String
        /// A hard limit on node runs per execution, beside n8n's own endless-loop guard.
        public var maxNodeRuns: Int
        public var observers: [any ExecutionObserver]
        /// Runs sub-workflows for Execute Workflow.
        public var subworkflows: (any SubworkflowRunner)?
        /// Credentials, clients and the state store nodes reach the outside through.
        public var services: NodeServices
        /// `$env` contents and whether expressions may read them.
        public var environment: [String: String]
        public var envAccessAllowed: Bool
        /// The public base URL of webhooks, without a trailing `/` (n8n's `WEBHOOK_URL`):
        /// `$execution.resumeUrl` is `<base>/webhook-waiting/<execution id>`.
        public var webhookBaseURL = "http://localhost:5678"
        /// Whether Wait nodes put the execution to wait for time waits of 65 s or more (as n8n
        /// does) instead of sleeping in process; only where something resumes them at their
        /// `waitTill` (`flowrun serve` with an execution store and its wait tracker).
        public var parksLongWaits = false

        public init(
            clock: any Clock<Duration> = ContinuousClock(),
            nowMilliseconds: @escaping @Sendable () -> Double = EvaluationContext.systemNow,
            logger: Logger = Logger(label: "flowrun.engine", factory: { _ in SwiftLogNoOpLogHandler() }),
            defaultTimeZone: String = "America/New_York", maxNodeRuns: Int = 1_000_000,
            observers: [any ExecutionObserver] = [], subworkflows: (any SubworkflowRunner)? = nil,
            environment: [String: String] = [:], envAccessAllowed: Bool = false, services: NodeServices = NodeServices()
        ) {
            self.clock = clock
            self.nowMilliseconds = nowMilliseconds
            self.logger = logger
            self.defaultTimeZone = defaultTimeZone
            self.maxNodeRuns = maxNodeRuns
            self.observers = observers
            self.subworkflows = subworkflows
            self.environment = environment
            self.envAccessAllowed = envAccessAllowed
            self.services = services
        }
    }

    /// One execution's inputs.
    public struct RunOptions: Sendable {
        public var mode: ExecutionMode
        /// The node to start from; nil picks n8n's start node (`WorkflowGraph.defaultStartNode`).
        public var startNode: String?
        /// Items fed to the start node (default: one empty item).
        public var input: [Item]?
        /// Pinned outputs by node name; honoured in manual and dry-run modes only, as in n8n.
        public var pinData: [String: [Item]]
        public var executionID: String
        /// Overrides `settings.executionTimeout` (nil: use the settings).
        public var timeout: Duration?
        /// Continue a recorded execution from its checkpoint (`ExecutionState(checkpoint:runData:)`)
        /// instead of starting at the start node: the nodes already run are not run again.
        public var resume: ExecutionState?

        public init(
            mode: ExecutionMode = .manual, startNode: String? = nil, input: [Item]? = nil,
            pinData: [String: [Item]] = [:], executionID: String? = nil, timeout: Duration? = nil,
            resume: ExecutionState? = nil
        ) {
            self.mode = mode
            self.startNode = startNode
            self.input = input
            self.pinData = pinData
            self.executionID = executionID ?? String(UInt64.random(in: 1...UInt64.max), radix: 36)
            self.timeout = timeout
            self.resume = resume
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Runs `graph` to the end and returns its run data and status. Never throws: failures are in
    /// `result.error`.
    public func run(_ graph: WorkflowGraph, options: RunOptions = .init()) async -> ExecutionResult {
        let startedAt = configuration.nowMilliseconds()
        var result = ExecutionResult(executionID: options.executionID, status: .success, runData: [:], executionOrder: [],
                                     lastNodeExecuted: nil, error: nil, startedAt: startedAt, stoppedAt: startedAt)
        let start: WorkflowGraph.GraphNode
        if let resumed = options.resume {
            return await run(graph, options: options, state: resumed, startedAt: startedAt, result: &result)
        }
        if let name = options.startNode {
            guard let node = graph.node(name) else {
                return await failToStart(graph, options, &result, ExecutionFailure(.invalidStart, "no node named \"\(name)\" to start from"))
            }
            start = node
        } else {
            guard let node = graph.defaultStartNode else {
                return await failToStart(graph, options, &result, ExecutionFailure(.invalidStart, "No node to start the workflow from could be found"))
            }
            start = node
        }
        let state = ExecutionState(order: graph.executionOrder, startNode: start.name, input: options.input ?? [Item()])
        return await run(graph, options: options, state: state, startedAt: startedAt, result: &result)
    }

    /// The run loop, from a fresh or a resumed state.
    private func run(
        _ graph: WorkflowGraph, options: RunOptions, state initial: ExecutionState, startedAt: Double, result: inout ExecutionResult
    ) async -> ExecutionResult {
        var state = initial
        let pinData = (options.mode == .manual || options.mode == .dryRun) ? options.pinData : [:]
        let run = RunContext(engine: self, graph: graph, options: options, pinData: pinData,
                             nodeContext: NodeContextStore(initial.nodeContexts))
        let timeoutSeconds: Double? = options.timeout.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
            ?? graph.settings.executionTimeout
        let deadline = timeoutSeconds.map { startedAt + $0 * 1000 }
        for observer in configuration.observers { await observer.executionStarted(id: options.executionID, graph: graph, mode: options.mode) }

        var status = ExecutionStatus.success
        var failure: ExecutionFailure?
        var nodeRuns = 0
        loop: while true {
            if Task.isCancelled {
                status = .canceled
                failure = ExecutionFailure(.cancelled, "The execution was cancelled")
                break
            }
            if let deadline, configuration.nowMilliseconds() >= deadline {
                status = .canceled
                failure = ExecutionFailure(.timeout, "The execution was cancelled because it timed out")
                break
            }
            let next: ExecutionState.NodeRun?
            do {
                next = try state.nextRun(in: graph)
            } catch {
                status = .error
                failure = error
                break
            }
            guard let nodeRun = next else { break }
            nodeRuns += 1
            if nodeRuns > configuration.maxNodeRuns {
                status = .error
                failure = ExecutionFailure(.endlessLoop, "Stopped execution after \(configuration.maxNodeRuns) node runs (the limit of node runs per execution)", node: nodeRun.node)
                break
            }
            for observer in configuration.observers { await observer.nodeStarted(nodeRun, executionID: options.executionID) }
            let began = configuration.nowMilliseconds()
            var outcome = await run.invoke(nodeRun, state: state)
            let redactor = configuration.services.redactor
            var recordedRun = nodeRun
            if !redactor.isEmpty {
                outcome = Self.redacted(outcome, with: redactor)
                // The input is recorded too (the start node's is the trigger data, a webhook body).
                recordedRun.input = nodeRun.input.map { $0.map(redactor.redact) }
            }
            if Task.isCancelled, case .failure = outcome {
                status = .canceled
                failure = ExecutionFailure(.cancelled, "The execution was cancelled", node: nodeRun.node)
                break
            }
            let recordedBefore = state.runData[nodeRun.node]?.count ?? 0
            let suspension = run.suspension.take()
            let proceed: Bool
            if let suspension {
                state.suspend(recordedRun, waitTill: suspension.waitTill, startTime: began, endTime: configuration.nowMilliseconds())
                proceed = true
            } else {
                proceed = state.complete(recordedRun, outcome: outcome, startTime: began, endTime: configuration.nowMilliseconds(), in: graph)
            }
            if let runs = state.runData[nodeRun.node], runs.count > recordedBefore {
                let lines = run.nodeContext.takeConsole(node: nodeRun.node, runIndex: nodeRun.runIndex)
                if !lines.isEmpty { state.setConsole(lines, of: nodeRun.node) }
            }
            if let runs = state.runData[nodeRun.node], runs.count > recordedBefore, let record = runs.last {
                configuration.logger.debug("Node finished", metadata: [
                    "flowrun.execution.id": "\(options.executionID)", "flowrun.node.name": "\(nodeRun.node)",
                    "flowrun.node.run": "\(nodeRun.runIndex)", "flowrun.items.out": "\(record.output?.first?.count ?? 0)",
                ])
                for observer in configuration.observers { await observer.nodeFinished(nodeRun.node, record: record, executionID: options.executionID) }
                if !configuration.observers.isEmpty {
                    state.nodeContexts = run.nodeContext.all
                    for observer in configuration.observers { await observer.checkpoint(state, executionID: options.executionID) }
                }
            }
            if suspension != nil {
                status = .waiting
                state.nodeContexts = run.nodeContext.all
                result.waiting = state
                break loop
            }
            if !proceed {
                status = .error
                failure = state.failure
                break loop
            }
        }
        result.runData = state.runData
        result.executionOrder = state.finishedOrder
        result.lastNodeExecuted = state.lastNodeExecuted
        return await finishNotifying(&result, status, failure)
    }

    /// The outcome with credential secrets scrubbed from output items and the error, before the
    /// state records it (so they reach neither run data, the store nor observers).
    static func redacted(_ outcome: ExecutionState.Outcome, with redactor: SecretRedactor) -> ExecutionState.Outcome {
        switch outcome {
        case .output(let data, let pinned): .output(data.map { $0.map(redactor.redact) }, pinned: pinned)
        case .failure(let error): .failure(redactor.redact(error))
        }
    }

    private func finish(_ result: inout ExecutionResult, _ status: ExecutionStatus, _ failure: ExecutionFailure?) -> ExecutionResult {
        result.status = status
        result.error = failure
        result.stoppedAt = configuration.nowMilliseconds()
        return result
    }

    /// An execution that cannot start still starts and ends for its observers: a recorder that
    /// created its record before the run must see it end, or the record stays unfinished and crash
    /// recovery runs it again.
    private func failToStart(
        _ graph: WorkflowGraph, _ options: RunOptions, _ result: inout ExecutionResult, _ failure: ExecutionFailure
    ) async -> ExecutionResult {
        for observer in configuration.observers { await observer.executionStarted(id: options.executionID, graph: graph, mode: options.mode) }
        return await finishNotifying(&result, .error, failure)
    }

    private func finishNotifying(_ result: inout ExecutionResult, _ status: ExecutionStatus, _ failure: ExecutionFailure?) async -> ExecutionResult {
        let final = finish(&result, status, failure)
        for observer in configuration.observers { await observer.executionFinished(final) }
        return final
    }
}
