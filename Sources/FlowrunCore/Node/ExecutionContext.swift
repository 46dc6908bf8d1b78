public import FlowrunExpressions
public import Logging

/// Everything a node may use of the running execution, passed by value to `Node.execute`.
///
/// Built by the engine for one node run. Expressions evaluated through it see `$json`, `$input`,
/// `$('X')` and the other n8n variables over the execution's run data. Cancellation is ordinary
/// task cancellation (`Task.checkCancellation()`).
public struct ExecutionContext: Sendable {
    /// The execution's id (`$execution.id`).
    public var executionID: String
    /// `$workflow.id` and `$workflow.name`.
    public var workflowID: String?
    public var workflowName: String?
    /// The running node.
    public var nodeName: String
    public var nodeType: String
    public var typeVersion: Double
    /// Number of earlier runs of this node in the execution (`$runIndex`).
    public var runIndex: Int
    /// How the execution was started.
    public var mode: ExecutionMode
    /// A logger carrying `flowrun.execution.id`, `flowrun.workflow.id` and `flowrun.node.name`.
    public var logger: Logger
    /// The clock the engine runs on (waits, timestamps); a manual clock in tests.
    public var clock: any Clock<Duration>
    /// The workflow's IANA time zone (`settings.timezone`, else the instance default America/New_York).
    public var timeZone: String
    /// Whether per-item failures should become `{json: {error}}` items instead of throwing
    /// (n8n's `continueOnFail()`: `continueOnFail: true` or a continue `onError` mode).
    public var continueOnFail: Bool
    /// Per-node scratch data of this execution (n8n's `getContext('node')`).
    public var nodeContext: NodeContextStore
    /// Runs sub-workflows for Execute Workflow; nil where sub-workflows are not available.
    public var subworkflows: (any SubworkflowRunner)?
    /// Credentials, clients and the state store (`require(_:_:)` fails clearly when one is missing).
    public var services: NodeServices
    /// The base for evaluating this node's expressions (item index set per call).
    package var evaluation: EvaluationContext
    /// The workflow being run (for sub-node lookups); nil in contexts built outside an execution.
    package var graph: WorkflowGraph?
    /// Whether time waits of 65 s or more put the execution to wait instead of sleeping
    /// (`Engine.Configuration.parksLongWaits`).
    public var parksLongWaits = false

    package init(
        executionID: String, workflowID: String?, workflowName: String?, nodeName: String, nodeType: String,
        typeVersion: Double, runIndex: Int, mode: ExecutionMode, logger: Logger, clock: any Clock<Duration>,
        timeZone: String, continueOnFail: Bool, nodeContext: NodeContextStore,
        subworkflows: (any SubworkflowRunner)?, services: NodeServices = NodeServices(), evaluation: EvaluationContext,
        graph: WorkflowGraph? = nil
    ) {
        self.executionID = executionID
        self.workflowID = workflowID
        self.workflowName = workflowName
        self.nodeName = nodeName
        self.nodeType = nodeType
        self.typeVersion = typeVersion
        self.runIndex = runIndex
        self.mode = mode
        self.logger = logger
        self.clock = clock
        self.timeZone = timeZone
        self.continueOnFail = continueOnFail
        self.nodeContext = nodeContext
        self.subworkflows = subworkflows
        self.services = services
        self.evaluation = evaluation
        self.graph = graph
    }

    /// Evaluates a compiled expression for item `itemIndex`; nil when it yields `undefined`.
    ///
    /// - Throws: `NodeError` with code `.expression`, naming the node, `parameter` and item.
    public func evaluate(_ expression: ParameterExpression, itemIndex: Int, parameter: String = "") throws -> JSONValue? {
        var e = evaluation
        e.itemIndex = itemIndex
        do {
            return try expression.evaluateJSON(in: e)
        } catch {
            var nodeError = NodeError(.expression, error.message, detail: error.hint, node: nodeName,
                                      parameter: parameter.isEmpty ? nil : parameter, itemIndex: itemIndex)
            nodeError.extra["expressionErrorCode"] = .string(error.code.description)
            throw nodeError
        }
    }

    /// Evaluates a compiled expression for item `itemIndex`, keeping JavaScript values (dates,
    /// functions) that JSON would lose.
    package func evaluateValue(_ expression: ParameterExpression, itemIndex: Int, parameter: String = "") throws -> JSValue {
        var e = evaluation
        e.itemIndex = itemIndex
        do {
            return try expression.evaluate(in: e)
        } catch {
            throw NodeError(.expression, error.message, detail: error.hint, node: nodeName,
                            parameter: parameter.isEmpty ? nil : parameter, itemIndex: itemIndex)
        }
    }

    /// A copy whose expressions also see these `$`-variables (HTTP pagination's `$pageCount`,
    /// `$response`, `$request`; keys include the `$`).
    public func adding(variables: JSONObject) -> ExecutionContext {
        var copy = self
        for (key, value) in variables { copy.evaluation.additionalVariables[key] = value }
        return copy
    }

    /// A copy whose expressions see `items` as `$input` / `$json` (a multi-input node evaluating
    /// against another input).
    public func withExpressionInput(_ items: [Item]) -> ExecutionContext {
        var copy = self
        copy.evaluation.inputItems = items
        return copy
    }

    /// The items expressions see as `$input` (for multi-input nodes: n8n's connection input data).
    public var expressionInput: [Item] { evaluation.inputItems }

    /// Milliseconds since 1970 from the execution's clock of record (`$now`).
    public func nowMilliseconds() -> Double { evaluation.nowMilliseconds() }

    /// The nodes connected INTO this node with connection type `kind` (`ai_languageModel`,
    /// `ai_memory`, …): n8n's sub-nodes, in file order, disabled ones included. A chain reads its
    /// model's parameters from these; sub-nodes never run on their own.
    public func subNodes(_ kind: String) -> [WorkflowGraph.GraphNode] {
        guard let graph else { return [] }
        var names: [String] = []
        for edge in graph.document.edges where edge.kind == kind && edge.target == nodeName && !names.contains(edge.source) {
            names.append(edge.source)
        }
        return names.compactMap { graph.node($0) }
    }

    /// A copy of this context for evaluating a sub-node's parameters (`$json` stays the parent's
    /// item, as n8n evaluates sub-node parameters for the parent's item).
    public func forSubNode(_ node: WorkflowGraph.GraphNode) -> ExecutionContext {
        var copy = self
        copy.nodeName = node.name
        copy.nodeType = node.type
        copy.typeVersion = node.typeVersion
        copy.evaluation.parameters = node.document.parameters
        return copy
    }

    /// This node's scratch data.
    public var state: JSONObject {
        get { nodeContext.context(of: nodeName) }
        nonmutating set { nodeContext.setContext(newValue, of: nodeName) }
    }

    /// Records a console line of this node run in the execution record (and the debug log).
    public func console(_ line: String) {
        nodeContext.appendConsole(line, node: nodeName, runIndex: runIndex)
        logger.debug("Node console output", metadata: ["flowrun.node.name": "\(nodeName)", "flowrun.node.console": "\(line)"])
    }

    /// Sleeps on the execution's clock (a manual clock in tests); throws on cancellation.
    public func sleep(for duration: Duration) async throws {
        try await clock.sleep(for: duration, tolerance: nil)
    }

    /// A `NodeError` located at this node.
    public func error(_ message: String, code: NodeError.Code = .operation, itemIndex: Int? = nil, detail: String? = nil) -> NodeError {
        NodeError(code, message, detail: detail, node: nodeName, itemIndex: itemIndex)
    }
}

extension Clock where Duration == Swift.Duration {
    fileprivate func sleep(for duration: Duration, tolerance: Duration?) async throws {
        try await sleep(until: now.advanced(by: duration), tolerance: tolerance)
    }
}

/// Runs another workflow for Execute Workflow (seam for later: the engine provides one that loads
/// files and ids).
public protocol SubworkflowRunner: Sendable {
    /// Runs the workflow `source` with `items` as its trigger data and returns the output of its
    /// last executed node (output 0 first), or nothing when `waitForCompletion` is false.
    func run(_ source: SubworkflowSource, items: [Item], waitForCompletion: Bool, context: ExecutionContext) async throws -> [[Item]]
}

/// Where a sub-workflow comes from.
public enum SubworkflowSource: Sendable, Hashable {
    /// A workflow file (JSON or YAML), relative paths against the calling workflow's folder.
    case file(String)
    /// A workflow id known to the runtime.
    case id(String)
    /// A workflow given inline as JSON (Execute Workflow's `source: parameter`).
    case document(JSONValue)
}
