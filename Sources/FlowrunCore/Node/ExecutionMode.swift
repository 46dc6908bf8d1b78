/// How an execution was started, as n8n names it (`$execution.mode`, pin data honoured in `manual`).
public struct ExecutionMode: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let manual = ExecutionMode("manual")
    public static let trigger = ExecutionMode("trigger")
    public static let webhook = ExecutionMode("webhook")
    /// A sub-workflow run by Execute Workflow.
    public static let integrated = ExecutionMode("integrated")
    /// An error workflow.
    public static let error = ExecutionMode("error")
    /// `flowrun dry-run`: side-effecting nodes are simulated.
    public static let dryRun = ExecutionMode("dryRun")
}
