import Foundation
public import Logging

/// Fires each schedule tick once across every `flowrun serve --queue` process: the first process
/// to `SET <prefix>:tick:<workflow>:<node>:<rule>:<fire time in ms> NX PX <keep>` fires it, the
/// others skip it. Every process computes the same fire times for cron-based rules (Schedule
/// Trigger 1.1 and later, Cron), so the key is the same everywhere.
///
/// When Redis cannot be reached the tick is not fired (its execution could not be queued anyway).
public struct RedisTickClaimer: ScheduleTickClaimer {
    let queue: RedisExecutionQueue
    /// How long a claim is kept: longer than any delay between processes computing the same tick.
    let keep: Duration
    let logger: Logger

    public init(queue: RedisExecutionQueue, keep: Duration = .seconds(600), logger: Logger) {
        self.queue = queue
        self.keep = keep
        self.logger = logger
    }

    /// The claim's key.
    func key(workflow: String, node: String, rule: Int, fireDate: Date) -> String {
        let milliseconds = Int64((fireDate.timeIntervalSince1970 * 1000).rounded())
        return "\(queue.configuration.tickPrefix)\(workflow):\(node):\(rule):\(milliseconds)"
    }

    public func claim(workflow: String, node: String, rule: Int, fireDate: Date) async -> Bool {
        let key = key(workflow: workflow, node: node, rule: rule, fireDate: fireDate)
        do {
            return try await queue.redis.set(key, .string("1"), ifNotExists: true, expiresIn: keep)
        } catch {
            logger.warning("Schedule tick not claimed; not fired", metadata: [
                "flowrun.workflow.id": "\(workflow)", "flowrun.node.name": "\(node)", "flowrun.error": "\(error)",
            ])
            return false
        }
    }
}
