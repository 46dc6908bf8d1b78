public import FlowrunExpressions
import Logging

extension Engine {
    /// What one execution shares across node runs.
    struct RunContext: Sendable {
        let engine: Engine
        let graph: WorkflowGraph
        let options: RunOptions
        let pinData: [String: [Item]]
        let nodeContext: NodeContextStore

        var timeZone: String {
            if let tz = graph.settings.timezone, !tz.isEmpty, tz != "DEFAULT" { return tz }
            return engine.configuration.defaultTimeZone
        }

        /// n8n's `getRetryParams`: only with `retryOnFail`, maxTries clamped to 2…5 (default 3) and
        /// waitBetweenTries to 0…5000 ms (default 1000); `0` counts as unset, as n8n's `||` does.
        static func retryParameters(_ node: WorkflowGraph.GraphNode) -> (tries: Int, waitMilliseconds: Int) {
            guard node.retryOnFail else { return (1, 0) }
            let tries = node.maxTries.flatMap { $0 == 0 || $0.isNaN ? nil : $0 } ?? 3
            let wait = node.waitBetweenTries.flatMap { $0 == 0 || $0.isNaN ? nil : $0 } ?? 1000
            return (Int(min(5, max(2, tries))), Int(min(5000, max(0, wait))))
        }

        /// Runs one node with pin data, retries and n8n's "first item has json.error" retry rule.
        func invoke(_ run: ExecutionState.NodeRun, state: ExecutionState) async -> ExecutionState.Outcome {
            guard let node = graph.node(run.node) else { return .output(nil, pinned: false) }
            if !node.disabled, let pinned = pinData[run.node] { return .output([pinned], pinned: true) }
            let (maxTries, wait) = Self.retryParameters(node)
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
            return try await implementation.execute(input, context: context)
        }

        func makeContext(_ run: ExecutionState.NodeRun, node: WorkflowGraph.GraphNode, connectionInput: [Item], state: ExecutionState) -> ExecutionContext {
            let config = engine.configuration
            let source = RunDataSource(graph: graph, runData: state.runData, pinData: pinData, activeNode: run.node,
                                       activeSource: run.source ?? [], nodeContext: nodeContext)
            let evaluation = EvaluationContext(
                dataSource: source, activeNode: run.node, inputItems: connectionInput, itemIndex: 0, runIndex: run.runIndex,
                parameters: node.document.parameters, mode: options.mode == .dryRun ? "manual" : options.mode.rawValue,
                execution: .init(id: options.executionID),
                workflow: .init(id: graph.document.id, name: graph.document.name, active: graph.document.active),
                timeZone: timeZone, nowMilliseconds: config.nowMilliseconds, environment: config.environment,
                envAccessAllowed: config.envAccessAllowed)
            var logger = config.logger
            logger[metadataKey: "flowrun.execution.id"] = "\(options.executionID)"
            logger[metadataKey: "flowrun.node.name"] = "\(run.node)"
            if let id = graph.document.id { logger[metadataKey: "flowrun.workflow.id"] = "\(id)" }
            return ExecutionContext(
                executionID: options.executionID, workflowID: graph.document.id, workflowName: graph.document.name,
                nodeName: run.node, nodeType: node.type, typeVersion: node.typeVersion, runIndex: run.runIndex,
                mode: options.mode, logger: logger, clock: config.clock, timeZone: timeZone,
                continueOnFail: node.continuesOnFail, nodeContext: nodeContext, subworkflows: config.subworkflows,
                evaluation: evaluation)
        }
    }
}
