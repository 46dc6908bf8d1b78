import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunServer
import Foundation
import Logging
import Synchronization
import Testing

/// A clock that only moves when the test advances it; sleepers wake when their deadline passes.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol, Sendable {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex<(now: Duration, sleepers: [(Duration, CheckedContinuation<Void, Never>)])>((.zero, []))
    let start: Date

    init(start: Date) { self.start = start }

    var now: Instant { Instant(offset: state.withLock { $0.now }) }
    var minimumResolution: Duration { .milliseconds(1) }
    var date: Date {
        let c = state.withLock { $0.now }.components
        return start.addingTimeInterval(Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if deadline.offset <= s.now { return true }
                s.sleepers.append((deadline.offset, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
        try Task.checkCancellation()
    }

    func advance(by duration: Duration) {
        let due = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.now += duration
            let now = s.now
            let ready = s.sleepers.filter { $0.0 <= now }.map(\.1)
            s.sleepers.removeAll { $0.0 <= now }
            return ready
        }
        for c in due { c.resume() }
    }

    /// Waits until something sleeps on this clock (the service computed its next firing), so an
    /// advance is never lost to a service that has not started waiting yet.
    func waitForSleeper() async {
        while state.withLock({ $0.sleepers.isEmpty }) { await Task.yield() }
    }

    /// Wakes every sleeper (shutdown).
    func wakeAll() {
        let all = state.withLock { s in
            defer { s.sleepers = [] }
            return s.sleepers.map(\.1)
        }
        for c in all { c.resume() }
    }
}

/// Records submitted jobs instead of running them.
final class RecordingDispatcher: ExecutionDispatcher {
    struct Done: ExecutionTicket {
        let executionID: String
        func result() async -> ExecutionResult {
            ExecutionResult(executionID: executionID, status: .success, runData: [:], executionOrder: [], lastNodeExecuted: nil, error: nil, startedAt: 0, stoppedAt: 0)
        }
    }

    let jobs: AsyncStream<ExecutionJob>
    private let continuation: AsyncStream<ExecutionJob>.Continuation

    init() { (jobs, continuation) = AsyncStream.makeStream(of: ExecutionJob.self) }

    func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket {
        continuation.yield(job)
        return Done(executionID: job.executionID)
    }
}

@Suite("Schedule service on a test clock")
struct ScheduleServiceTests {
    @Test("fires every 5 minutes in the workflow's time zone with n8n's item, and not before")
    func firesOnClock() async throws {
        let directory = NSTemporaryDirectory() + "flowrun-sched-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flow = Flows.chain([
            Flows.node("Every 5", "n8n-nodes-base.scheduleTrigger", 1.2, ["rule": ["interval": [["field": "minutes", "minutesInterval": 5]]]]),
            Flows.set("S", [("a", "1")]),
        ], settings: ["timezone": "Europe/Berlin"])
        try ServerHarness.write(flow, to: directory + "/s.json")
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let workflows = WorkflowSet(paths: [directory], environment: [:], http: nil, logger: logger)
        await workflows.reload()
        #expect(workflows.schedules.count == 1)
        let clock = ManualClock(start: ISO8601DateFormatter().date(from: "2024-03-09T12:03:00Z")!)
        let dispatcher = RecordingDispatcher()
        let service = ScheduleService(
            workflows: workflows, dispatcher: dispatcher, clock: clock, now: { clock.date }, defaultTimeZone: TimeZone(identifier: "UTC")!,
            metrics: ServerMetrics(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            var jobs = dispatcher.jobs.makeAsyncIterator()
            await clock.waitForSleeper()
            clock.advance(by: .seconds(60))
            await clock.waitForSleeper()
            clock.advance(by: .seconds(61))
            let first = try #require(await jobs.next())
            #expect(clock.date >= ISO8601DateFormatter().date(from: "2024-03-09T12:05:00Z")!)
            #expect(first.startNode == "Every 5")
            #expect(first.mode == .trigger)
            #expect(first.input.first?.json["timestamp"] == "2024-03-09T13:05:00.000+01:00")
            #expect(first.input.first?.json["Timezone"] == "Europe/Berlin (UTC+01:00)")
            await clock.waitForSleeper()
            clock.advance(by: .seconds(300))
            let second = try #require(await jobs.next())
            #expect(second.input.first?.json["Minute"] == "10")
            group.cancelAll()
            clock.wakeAll()
        }
    }
}

@Suite("Schedule tick claims across processes")
struct ScheduleClaimDateTests {
    @Test("interval timers started at different times claim one tick per interval slot; cron ticks claim their instant")
    func intervalSlots() throws {
        let rule = ScheduleRule(.interval(seconds: 10))
        // Two processes whose timers started 4.6 s apart: their firings differ, their claims do not.
        let a = (0..<50).map { ScheduleService.claimDate(rule, Date(timeIntervalSince1970: 1_000.3 + Double($0) * 10)) }
        let b = (0..<50).map { ScheduleService.claimDate(rule, Date(timeIntervalSince1970: 1_004.9 + Double($0) * 10)) }
        #expect(a == b)
        #expect(Set(a).count == 50)
        let cron = ScheduleRule(.cron(try CronExpression("*/5 * * * * *"), recurrence: nil))
        let at = Date(timeIntervalSince1970: 1_005)
        #expect(ScheduleService.claimDate(cron, at) == at)
    }
}
