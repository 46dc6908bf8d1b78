import Foundation

/// Decides which process fires a schedule tick when several serve the same workflows (queue mode):
/// every process computes the same ticks, and only the one whose claim succeeds submits it.
public protocol ScheduleTickClaimer: Sendable {
    /// Whether this process fires the tick of rule `rule` of `node` in `workflow` due at `fireDate`.
    /// Called once per process and tick; exactly one process across all of them gets `true`.
    func claim(workflow: String, node: String, rule: Int, fireDate: Date) async -> Bool
}

/// One process: every tick is ours.
public struct LocalTickClaimer: ScheduleTickClaimer {
    public init() {}
    public func claim(workflow: String, node: String, rule: Int, fireDate: Date) async -> Bool { true }
}
