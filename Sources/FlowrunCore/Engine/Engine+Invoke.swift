import FlowrunExpressions
import Logging

extension Engine {
    /// How often a node is tried and how long to wait in between.
    public struct RetryParameters: Sendable, Hashable {
        public var tries: Int
        public var waitMilliseconds: Int

        public init(tries: Int, waitMilliseconds: Int) {
            self.tries = tries
            self.waitMilliseconds = waitMilliseconds
        }
    }

    /// n8n's `getRetryParams`: only with `retryOnFail`, maxTries clamped to 2…5 (default 3) and
    /// waitBetweenTries to 0…5000 ms (default 1000); `0` counts as unset, as n8n's `||` does.
    public static func retryParameters(retryOnFail: Bool, maxTries: Double?, waitBetweenTries: Double?) -> RetryParameters {
        guard retryOnFail else { return RetryParameters(tries: 1, waitMilliseconds: 0) }
        let tries = maxTries.flatMap { $0 == 0 || $0.isNaN ? nil : $0 } ?? 3
        let wait = waitBetweenTries.flatMap { $0 == 0 || $0.isNaN ? nil : $0 } ?? 1000
        return RetryParameters(tries: Int(min(5, max(2, tries))), waitMilliseconds: Int(min(5000, max(0, wait))))
    }

    /// What one execution shares across node runs.
    struct RunContext: Sendable {
        let engine: Engine
        let graph: WorkflowGraph
        let options: RunOptions
        let pinData: [String: [Item]]
        let nodeContext: NodeContextStore
        /// A node's request to put the execution to wait, taken by the run loop after the node run.
        let suspension = SuspensionSlot()

        var timeZone: String {
            if let tz = graph.settings.timezone, !tz.isEmpty, tz != "DEFAULT" { return tz }
            return engine.configuration.defaultTimeZone
        }

        /// Runs one node with pin data, retries and n8n's "first item has json.error" retry rule.
        func invoke(_ run: ExecutionState.NodeRun, state: ExecutionState) async -> ExecutionState.Outcome {
            guard let node = graph.node(run.node) else { return .output(nil, pinned: false) }
            if !node.disabled, let pinned = pinData[run.node] { return .output([pinned], pinned: true) }
            if run.entry.resumesFromWait {
                guard let first = run.input.first, let items = first else { return .output(nil, pinned: false) }
                return .output([items], pinned: false)
            }
            let retry = Engine.retryParameters(retryOnFail: node.retryOnFail, maxTries: node.maxTries, waitBetweenTries: node.waitBetweenTries)
            let (maxTries, wait) = (retry.tries, retry.waitMilliseconds)
            var lastError: NodeError?
            var tryIndex = 0
            while tryIndex < maxTries {
                if tryIndex != 0, wait != 0 {
                    try? await engine.configuration.clock.sleep(for: .milliseconds(wait))
                }
                do {
                    var output = try await runNode(run, node: node, state: state)
                    while Self.firstItemHasError(output), tryIndex != maxTries - 1 {
                        try? await engine.configuration.clock.sleep(for: .milliseconds(wait))
                        output = try await runNode(run, node: node, state: state)
                        tryIndex += 1
                    }
                    return .output(output, pinned: false)
                } catch let wait as ExecutionSuspension {
                    suspension.put(wait)
                    return .output(nil, pinned: false)
                } catch {
                    lastError = Self.nodeError(error, node: run.node)
                    if Task.isCancelled { break }
                }
                tryIndex += 1
            }
            return .failure(lastError ?? NodeError(.operation, "Unknown error", node: run.node))
        }

        static func firstItemHasError(_ output: [[Item]]?) -> Bool {
            guard let e = output?.first?.first?.json["error"] else { return false }
            return e != .null && e != .bool(false)
        }

        static func nodeError(_ error: any Error, node: String) -> NodeError {
            if var e = error as? NodeError {
                if e.node == nil { e.node = node }
                return e
            }
            if error is CancellationError { return NodeError(.operation, "The execution was cancelled", node: node) }
            return NodeError(.operation, "\(error)", node: node)
        }

        /// n8n's `runNode`: disabled pass-through, trigger pass-through outside manual mode,
        /// skip without input data, execute once, then the node itself.
        func runNode(_ run: ExecutionState.NodeRun, node: WorkflowGraph.GraphNode, state: ExecutionState) async throws -> [[Item]]? {
            if node.disabled {
                guard let first = run.input.first else { return nil }
                return first.map { [$0] }
            }
            guard let implementation = node.implementation else {
                throw NodeError(.unsupportedNode, "Unrecognized node type: \(node.type) (typeVersion \(JSNumberFormatting.string(node.typeVersion)))", node: node.name)
            }
            if node.isTrigger, options.mode != .manual, options.mode != .dryRun {
                return run.input.map { $0 ?? [] }
            }
            guard let connectionInput = run.connectionInput else { return nil }
            var inputs = run.input
            if node.executeOnce { inputs = inputs.map { $0.map { Array($0.prefix(1)) } } }
            let input = NodeInput(inputs.map { $0 ?? [] }, received: inputs.map { $0 != nil })
            let context = makeContext(run, node: node, connectionInput: connectionInput, state: state)
            if options.mode == .dryRun, node.description?.hasSideEffects == true {
                return try [Self.describeRequests(node, input: input, context: context)]
            }
            return try await implementation.execute(input, context: context)
        }

        /// Dry run: a side-effecting node without pin data answers with one item per input item
        /// describing what it would do (its parameters with expressions resolved for that item).
        static func describeRequests(_ node: WorkflowGraph.GraphNode, input: NodeInput, context: ExecutionContext) throws -> [Item] {
            let parameters = CompiledParameter(.object(node.document.parameters))
            let count = max(input.main.count, 1)
            return try (0..<count).map { i in
                let resolved = try parameters.resolve(itemIndex: i, in: context, path: "") ?? .object([:])
                return Item(json: ["dryRun": .object(["node": .string(node.name), "type": .string(node.type), "wouldRunWith": resolved])],
                            pairedItem: [PairedItem(item: min(i, max(input.main.count - 1, 0)))])
            }
        }

        func makeContext(_ run: ExecutionState.NodeRun, node: WorkflowGraph.GraphNode, connectionInput: [Item], state: ExecutionState) -> ExecutionContext {
            let config = engine.configuration
            let source = RunDataSource(graph: graph, runData: state.runData, pinData: pinData, activeNode: run.node,
                                       activeSource: run.source ?? [], nodeContext: nodeContext)
            let evaluation = EvaluationContext(
                dataSource: source, activeNode: run.node, inputItems: connectionInput, itemIndex: 0, runIndex: run.runIndex,
                parameters: node.document.parameters, mode: options.mode == .dryRun ? "manual" : options.mode.rawValue,
                execution: .init(id: options.executionID, resumeUrl: "\(config.webhookBaseURL)/webhook-waiting/\(options.executionID)",
                                 resumeFormUrl: "\(config.webhookBaseURL)/form-waiting/\(options.executionID)"),
                workflow: .init(id: graph.document.id, name: graph.document.name, active: graph.document.active),
                timeZone: timeZone, nowMilliseconds: config.nowMilliseconds, environment: config.environment,
                envAccessAllowed: config.envAccessAllowed)
            var logger = config.logger.redacting(with: config.services.redactor)
            logger[metadataKey: "flowrun.execution.id"] = "\(options.executionID)"
            logger[metadataKey: "flowrun.node.name"] = "\(run.node)"
            if let id = graph.document.id { logger[metadataKey: "flowrun.workflow.id"] = "\(id)" }
            var context = ExecutionContext(
                executionID: options.executionID, workflowID: graph.document.id, workflowName: graph.document.name,
                nodeName: run.node, nodeType: node.type, typeVersion: node.typeVersion, runIndex: run.runIndex,
                mode: options.mode, logger: logger, clock: config.clock, timeZone: timeZone,
                continueOnFail: node.continuesOnFail, nodeContext: nodeContext, subworkflows: config.subworkflows,
                services: config.services,
                evaluation: evaluation, graph: graph)
            context.parksLongWaits = config.parksLongWaits
            return context
        }
    }
}
