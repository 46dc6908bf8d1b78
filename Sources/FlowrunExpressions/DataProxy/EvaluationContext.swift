#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything one evaluation of an expression can see: the item being processed, the node it
/// belongs to, and the workflow's run data through `dataSource`.
///
/// A value type, built by the engine once per node run and adjusted per item (`itemIndex`). The
/// per-run fields live in a copy-on-write box, so the per-item copy costs one retain rather than
/// one per field (the engine makes one copy per evaluated parameter per item).
public struct EvaluationContext: Sendable {
    /// Index of the current item (`$itemIndex`).
    public var itemIndex: Int
    private var box: Box

    /// The run data of the execution, for `$('Node')`, `$node`, `$items()` and paired items.
    public var dataSource: any ExpressionDataSource {
        get { box.fields.dataSource }
        set { mutate { $0.dataSource = newValue } }
    }
    /// The node whose parameter is being evaluated (`$parameter`, `$prevNode`, paired items start here).
    public var activeNode: String {
        get { box.fields.activeNode }
        set { mutate { $0.activeNode = newValue } }
    }
    /// The active node's input items on the input being processed (`$input`, `$json` = `inputItems[itemIndex]`).
    public var inputItems: [Item] {
        get { box.fields.inputItems }
        set { mutate { $0.inputItems = newValue } }
    }
    /// How many times the active node ran before in this execution (`$runIndex`).
    public var runIndex: Int {
        get { box.fields.runIndex }
        set { mutate { $0.runIndex = newValue } }
    }
    /// The active node's parameters as written in the file (`$parameter`).
    public var parameters: JSONObject {
        get { box.fields.parameters }
        set { mutate { $0.parameters = newValue } }
    }
    /// Execution mode as n8n names it: `manual`, `trigger`, `webhook`, `integrated`, `error`…
    public var mode: String {
        get { box.fields.mode }
        set { mutate { $0.mode = newValue } }
    }
    /// `$execution`: id, resumeUrl and resumeFormUrl.
    public var execution: ExecutionInfo {
        get { box.fields.execution }
        set { mutate { $0.execution = newValue } }
    }
    /// `$workflow`: id, name, active.
    public var workflow: WorkflowInfo {
        get { box.fields.workflow }
        set { mutate { $0.workflow = newValue } }
    }
    /// The workflow's IANA time zone (settings.timezone, else the instance default America/New_York).
    public var timeZone: String {
        get { box.fields.timeZone }
        set { mutate { $0.timeZone = newValue } }
    }
    /// The clock, in milliseconds since 1970 (`$now`, `Date.now()`); frozen per evaluation by tests.
    public var nowMilliseconds: @Sendable () -> Double {
        get { box.fields.nowMilliseconds }
        set { mutate { $0.nowMilliseconds = newValue } }
    }
    /// Environment variables for `$env`, read only when `envAccessAllowed`.
    public var environment: [String: String] {
        get { box.fields.environment }
        set { mutate { $0.environment = newValue } }
    }
    /// n8n's `N8N_BLOCK_ENV_ACCESS_IN_NODE` inverted: false makes every `$env` access fail.
    public var envAccessAllowed: Bool {
        get { box.fields.envAccessAllowed }
        set { mutate { $0.envAccessAllowed = newValue } }
    }
    /// `$vars`.
    public var variables: JSONObject {
        get { box.fields.variables }
        set { mutate { $0.variables = newValue } }
    }
    /// `$secrets`.
    public var secrets: JSONObject {
        get { box.fields.secrets }
        set { mutate { $0.secrets = newValue } }
    }
    /// Limits that stop runaway expressions.
    public var budget: EvaluationBudget {
        get { box.fields.budget }
        set { mutate { $0.budget = newValue } }
    }
    /// Extra `$`-variables a node provides for its own parameters (HTTP Request pagination's
    /// `$pageCount`, `$response`, `$request`), keyed with the `$`.
    public var additionalVariables: JSONObject {
        get { box.fields.additionalVariables }
        set { mutate { $0.additionalVariables = newValue } }
    }

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
        self.itemIndex = itemIndex
        self.box = Box(Fields(
            dataSource: dataSource, activeNode: activeNode, inputItems: inputItems, runIndex: runIndex,
            parameters: parameters, mode: mode, execution: execution, workflow: workflow, timeZone: timeZone,
            nowMilliseconds: nowMilliseconds, environment: environment, envAccessAllowed: envAccessAllowed,
            variables: variables, secrets: secrets, budget: budget, additionalVariables: [:]))
    }

    private struct Fields: Sendable {
        var dataSource: any ExpressionDataSource
        var activeNode: String
        var inputItems: [Item]
        var runIndex: Int
        var parameters: JSONObject
        var mode: String
        var execution: ExecutionInfo
        var workflow: WorkflowInfo
        var timeZone: String
        var nowMilliseconds: @Sendable () -> Double
        var environment: [String: String]
        var envAccessAllowed: Bool
        var variables: JSONObject
        var secrets: JSONObject
        var budget: EvaluationBudget
        var additionalVariables: JSONObject
    }

    // Safe to share across tasks: `fields` is only written through `mutate`, which first makes
    // the box unique, so a box seen by more than one context is never written.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private mutating func mutate(_ body: (inout Fields) -> Void) {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        body(&box.fields)
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
