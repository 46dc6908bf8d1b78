#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything one evaluation of an expression can see: the item being processed, the node it
/// belongs to, and the workflow's run data through `dataSource`.
///
/// A value type, built by the engine once per node run and adjusted per item (`itemIndex`).
public struct EvaluationContext: Sendable {
    /// The run data of the execution, for `$('Node')`, `$node`, `$items()` and paired items.
    public var dataSource: any ExpressionDataSource
    /// The node whose parameter is being evaluated (`$parameter`, `$prevNode`, paired items start here).
    public var activeNode: String
    /// The active node's input items on the input being processed (`$input`, `$json` = `inputItems[itemIndex]`).
    public var inputItems: [Item]
    /// Index of the current item (`$itemIndex`).
    public var itemIndex: Int
    /// How many times the active node ran before in this execution (`$runIndex`).
    public var runIndex: Int
    /// The active node's parameters as written in the file (`$parameter`).
    public var parameters: JSONObject
    /// Execution mode as n8n names it: `manual`, `trigger`, `webhook`, `integrated`, `error`…
    public var mode: String
    /// `$execution`: id, resumeUrl and resumeFormUrl.
    public var execution: ExecutionInfo
    /// `$workflow`: id, name, active.
    public var workflow: WorkflowInfo
    /// The workflow's IANA time zone (settings.timezone, else the instance default America/New_York).
    public var timeZone: String
    /// The clock, in milliseconds since 1970 (`$now`, `Date.now()`); frozen per evaluation by tests.
    public var nowMilliseconds: @Sendable () -> Double
    /// Environment variables for `$env`, read only when `envAccessAllowed`.
    public var environment: [String: String]
    /// n8n's `N8N_BLOCK_ENV_ACCESS_IN_NODE` inverted: false makes every `$env` access fail.
    public var envAccessAllowed: Bool
    /// `$vars` and `$secrets`.
    public var variables: JSONObject
    public var secrets: JSONObject
    /// Limits that stop runaway expressions.
    public var budget: EvaluationBudget
    /// Extra `$`-variables a node provides for its own parameters (HTTP Request pagination's
    /// `$pageCount`, `$response`, `$request`), keyed with the `$`.
    public var additionalVariables: JSONObject = [:]

    public init(
        dataSource: any ExpressionDataSource,
        activeNode: String,
        inputItems: [Item],
        itemIndex: Int = 0,
        runIndex: Int = 0,
        parameters: JSONObject = [:],
        mode: String = "manual",
        execution: ExecutionInfo = ExecutionInfo(),
        workflow: WorkflowInfo = WorkflowInfo(),
        timeZone: String = "America/New_York",
        nowMilliseconds: @escaping @Sendable () -> Double = EvaluationContext.systemNow,
        environment: [String: String] = [:],
        envAccessAllowed: Bool = false,
        variables: JSONObject = [:],
        secrets: JSONObject = [:],
        budget: EvaluationBudget = EvaluationBudget()
    ) {
        self.dataSource = dataSource
        self.activeNode = activeNode
        self.inputItems = inputItems
        self.itemIndex = itemIndex
        self.runIndex = runIndex
        self.parameters = parameters
        self.mode = mode
        self.execution = execution
        self.workflow = workflow
        self.timeZone = timeZone
        self.nowMilliseconds = nowMilliseconds
        self.environment = environment
        self.envAccessAllowed = envAccessAllowed
        self.variables = variables
        self.secrets = secrets
        self.budget = budget
    }

    /// The wall clock in milliseconds since 1970.
    public static let systemNow: @Sendable () -> Double = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)
    }

    /// `$execution`.
    public struct ExecutionInfo: Sendable, Hashable {
        public var id: String
        public var resumeUrl: String
        public var resumeFormUrl: String

        public init(id: String = "", resumeUrl: String = "", resumeFormUrl: String = "") {
            self.id = id
            self.resumeUrl = resumeUrl
            self.resumeFormUrl = resumeFormUrl
        }
    }

    /// `$workflow`.
    public struct WorkflowInfo: Sendable, Hashable {
        public var id: String?
        public var name: String?
        public var active: Bool

        public init(id: String? = nil, name: String? = nil, active: Bool = false) {
            self.id = id
            self.name = name
            self.active = active
        }
    }
}

/// Step and memory limits for one evaluation; exceeding one is an evaluation error.
public struct EvaluationBudget: Sendable, Hashable {
    /// Interpreter steps (roughly: AST nodes visited and loop iterations).
    public var maxSteps: Int
    /// Characters of strings and elements of arrays created.
    public var maxAllocation: Int
    /// Nested calls.
    public var maxCallDepth: Int

    public init(maxSteps: Int = 10_000_000, maxAllocation: Int = 50_000_000, maxCallDepth: Int = 200) {
        self.maxSteps = maxSteps
        self.maxAllocation = maxAllocation
        self.maxCallDepth = maxCallDepth
    }
}
