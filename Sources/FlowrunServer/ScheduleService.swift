import FlowrunCore
import FlowrunNodes
import Foundation
import Logging
public import ServiceLifecycle

/// Fires the schedule triggers of the served workflows (Schedule Trigger, Cron, Interval).
///
/// A thin driver around `ScheduleRule.nextFire`: it keeps each rule's next and last firing, sleeps
/// on the injected clock until the earliest one (at most `maxSleep`, so reloaded workflows are
/// picked up), and submits one execution per due firing. Wall time comes from `now`, so a test
/// clock drives both.
public struct ScheduleService: Service {
    struct Slot {
        var rule: ScheduleRule
        var next: Date?
        var last: Date?
    }

    let workflows: WorkflowSet
    let dispatcher: any ExecutionDispatcher
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    let defaultTimeZone: TimeZone
    let maxSleep: Duration
    let claimer: any ScheduleTickClaimer
    let metrics: ServerMetrics
    let logger: Logger

    public init(
        workflows: WorkflowSet, dispatcher: any ExecutionDispatcher, clock: any Clock<Duration>, now: @escaping @Sendable () -> Date,
        defaultTimeZone: TimeZone, maxSleep: Duration = .seconds(1), claimer: any ScheduleTickClaimer = LocalTickClaimer(),
        metrics: ServerMetrics, logger: Logger
    ) {
        self.workflows = workflows
        self.dispatcher = dispatcher
        self.clock = clock
        self.now = now
        self.defaultTimeZone = defaultTimeZone
        self.maxSleep = maxSleep
        self.claimer = claimer
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try await cancelOnGracefulShutdown {
            var slots: [String: Slot] = [:]
            while !Task.isCancelled {
                let wait = await tick(&slots)
                try await clock.sleep(for: wait)
            }
        }
    }

    /// Fires what is due, plans the next firings and returns how long to sleep.
    func tick(_ slots: inout [String: Slot]) async -> Duration {
        let current = now()
        var seen = Set<String>()
        var earliest: Date?
        for trigger in workflows.schedules {
            let zone = trigger.workflow.graph.settings.timezone.flatMap(TimeZone.init(identifier:)) ?? defaultTimeZone
            for (index, rule) in trigger.rules.enumerated() {
                let key = "\(trigger.workflow.file)#\(trigger.nodeName)#\(index)"
                seen.insert(key)
                var slot = slots[key].flatMap { $0.rule == rule ? $0 : nil } ?? Slot(rule: rule, next: nil, last: nil)
                if slot.next == nil { slot.next = rule.nextFire(after: current, lastFire: slot.last, timeZone: zone) }
                if let due = slot.next, due <= current {
                    if await claimer.claim(workflow: trigger.workflow.id, node: trigger.nodeName, rule: index, fireDate: Self.claimDate(rule, due)) {
                        await fire(trigger, at: due, timeZone: zone)
                    }
                    slot.last = due
                    slot.next = rule.nextFire(after: max(current, due), lastFire: due, timeZone: zone)
                }
                if let next = slot.next, earliest.map({ next < $0 }) ?? true { earliest = next }
                slots[key] = slot
            }
        }
        for key in slots.keys where !seen.contains(key) { slots[key] = nil }
        guard let earliest else { return maxSleep }
        let seconds = max(0, earliest.timeIntervalSince(current))
        let wait = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        return min(wait, maxSleep)
    }

    /// The tick a firing claims. Cron ticks are the same instant in every process. Interval timers
    /// count from each process's start, so their firings differ between processes; but each
    /// process fires exactly once per interval-long slot since 1970, so the slot is the tick.
    public static func claimDate(_ rule: ScheduleRule, _ due: Date) -> Date {
        guard case .interval(let seconds) = rule.timing else { return due }
        let step = TimeInterval(max(1, seconds))
        return Date(timeIntervalSince1970: (due.timeIntervalSince1970 / step).rounded(.down) * step)
    }

    func fire(_ trigger: ScheduledTrigger, at date: Date, timeZone: TimeZone) async {
        let item = trigger.node.triggerItem(at: date, timeZone: timeZone)
        let job = ExecutionJob(
            executionID: WebhookHandler.newExecutionID(), workflow: trigger.workflow, startNode: trigger.nodeName, input: [item], mode: .trigger)
        do {
            _ = try await dispatcher.submit(job, responder: nil)
            metrics.scheduleFired(workflow: trigger.workflow.id)
            logger.info("Schedule fired", metadata: [
                "flowrun.workflow.id": "\(trigger.workflow.id)", "flowrun.node.name": "\(trigger.nodeName)",
                "flowrun.execution.id": "\(job.executionID)",
            ])
        } catch {
            logger.warning("Schedule not fired", metadata: ["flowrun.workflow.id": "\(trigger.workflow.id)", "flowrun.error": "\(error)"])
        }
    }
}
