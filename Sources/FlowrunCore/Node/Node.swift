public import FlowrunExpressions

/// A configured node of one n8n type: its parameters decoded once, at load time, and one async
/// method that turns its input into its output.
///
/// A node type is a struct whose stored properties are its typed parameters (`Param<String>`,
/// nested values…), built by `init(configuration:)` from the node's `parameters` object with n8n's
/// per-version defaults. A node never sees the graph, the engine or other nodes: everything it may
/// read of the execution comes through `ExecutionContext`. Policies (retry, continue-on-fail, error
/// output, always output data, execute once, disabled pass-through, pin data) are applied by the
/// engine around `execute`; nodes do not implement them.
public protocol Node: Sendable {
    /// The n8n type this Swift type implements, with the type versions it supports.
    static var description: NodeDescription { get }

    /// Decodes the node's parameters; problems (wrong shapes) are recorded through
    /// `configuration.parameters` so validation reports them all, with parameter paths.
    ///
    /// - Throws: only when the node cannot be configured at all (the message names why).
    init(configuration: NodeConfiguration) throws

    /// Number of main inputs (Merge: 2 or `numberInputs`). Defaults to `description.inputs`.
    var inputCount: Int { get }

    /// Number of main outputs for these parameters (If 2, Switch one per rule, SplitInBatches v3 2).
    /// Defaults to `description.outputs`. The engine adds one when `onError` is `continueErrorOutput`.
    var outputCount: Int { get }

    /// Labels of the outputs ("true"/"false", "done"/"loop"), for plans and diagrams; may be empty.
    var outputNames: [String] { get }

    /// Which inputs must hold items before a waiting multi-input node may run (n8n's
    /// `requiredInputs`, honoured in execution order v1). Defaults to `.any`.
    var requiredInputs: RequiredInputs { get }

    /// Runs the node once over its input.
    ///
    /// - Returns: items per output index (n8n's `INodeExecutionData[][]`); an empty list or empty
    ///   outputs mean "no data" (children of an empty output are not scheduled).
    /// - Throws: `NodeError` (or any error) to fail the node; the engine applies `onError`.
    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]]
}

extension Node {
    public var inputCount: Int { Self.description.inputs }
    public var outputCount: Int { Self.description.outputs }
    public var outputNames: [String] { Self.description.outputNames }
    public var requiredInputs: RequiredInputs { .any }
}

/// Static facts about a node type.
public struct NodeDescription: Sendable, Hashable {
    /// n8n's type name, e.g. `n8n-nodes-base.set`.
    public var type: String
    /// Every `typeVersion` this implementation accepts (exactly as written in exports: 1, 3.4…).
    public var typeVersions: [Double]
    /// Human name ("Edit Fields (Set)").
    public var displayName: String
    /// Whether the node starts executions (manual trigger, webhook, schedule, execute workflow trigger).
    public var isTrigger: Bool
    /// Whether the node reaches the outside world (HTTP, databases, email): `dry-run` does not run it.
    public var hasSideEffects: Bool
    /// Default number of main inputs (0 for triggers).
    public var inputs: Int
    /// Default number of main outputs.
    public var outputs: Int
    /// Default output labels.
    public var outputNames: [String]

    public init(
        type: String, typeVersions: [Double], displayName: String, isTrigger: Bool = false,
        hasSideEffects: Bool = false, inputs: Int? = nil, outputs: Int = 1, outputNames: [String] = []
    ) {
        self.type = type
        self.typeVersions = typeVersions
        self.displayName = displayName
        self.isTrigger = isTrigger
        self.hasSideEffects = hasSideEffects
        self.inputs = inputs ?? (isTrigger ? 0 : 1)
        self.outputs = outputs
        self.outputNames = outputNames
    }

    /// The newest supported version.
    public var newestVersion: Double { typeVersions.max() ?? 1 }
}

/// Which inputs of a multi-input node must have items before it runs when the engine flushes
/// waiting nodes (n8n's `requiredInputs`).
public enum RequiredInputs: Sendable, Hashable {
    /// Runs when any input has items.
    case any
    /// Runs only when each listed input has items (Merge v3 `chooseBranch`: [0, 1]).
    case inputs([Int])
    /// Runs when at least this many inputs have items.
    case count(Int)
}

/// A node's input for one run: item lists per main input index.
public struct NodeInput: Sendable, Hashable {
    /// Items per input index; an input that received nothing is empty (see `hasData`).
    public var inputs: [[Item]]
    /// Which inputs received data (n8n distinguishes "no data" from "empty" for Merge in v0).
    public var received: [Bool]

    public init(_ inputs: [[Item]], received: [Bool]? = nil) {
        self.inputs = inputs
        self.received = received ?? inputs.map { _ in true }
    }

    /// The items of input `index` (empty when the input got nothing).
    public func items(_ index: Int = 0) -> [Item] {
        index < inputs.count ? inputs[index] : []
    }

    /// Whether input `index` received data (possibly an empty list) in this run.
    public func hasData(_ index: Int) -> Bool {
        index < received.count && received[index]
    }

    /// Input 0.
    public var main: [Item] { items(0) }
}
