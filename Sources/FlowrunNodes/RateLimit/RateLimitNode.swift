import FlowrunCore
import FlowrunExpressions
import Foundation

/// Rate Limit (`flowrun.rateLimit`): lets at most `limit` items per `key` through per window
/// (a day in the workflow's time zone, an hour, a minute, or a sliding window), reserving each
/// item atomically in the state store so that concurrent executions and processes never exceed
/// the limit together. Items over the limit go to the "over limit" output, wait for room, or fail
/// the node; none is dropped. Operation `release` gives units back (one per item) when the work
/// they were reserved for did not happen, such as a send that failed after its reservation.
struct RateLimitNode: Node {
    static let description = NodeDescription(
        type: "flowrun.rateLimit", typeVersions: [1], displayName: "Rate Limit", hasSideEffects: true,
        outputs: 2, outputNames: ["allowed", "over limit"])

    enum OnLimit: String { case route, wait, fail }
    enum Operation: String { case reserve, release }

    let operation: Operation
    let key: Param<String>
    let limit: Param<Double>
    let window: String
    let duration: Param<Double>
    let durationUnit: String
    let onLimit: OnLimit
    let maxWaitSeconds: Param<Double>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        operation = p["operation"].choice(["reserve", "release"], default: "reserve").constantValue.flatMap(Operation.init(rawValue:)) ?? .reserve
        key = p["key"].string(default: "")
        limit = p["limit"].number(default: 1)
        window = p["window"].choice(["day", "hour", "minute", "sliding"], default: "day").constantValue ?? "day"
        duration = p["duration"].number(default: 1)
        durationUnit = p["durationUnit"].choice(["seconds", "minutes", "hours", "days"], default: "hours").constantValue ?? "hours"
        onLimit = p["onLimit"].choice(["route", "wait", "fail"], default: "route").constantValue.flatMap(OnLimit.init(rawValue:)) ?? .route
        maxWaitSeconds = p["maxWaitSeconds"].number(default: 0)
    }

    var outputCount: Int { operation == .reserve && onLimit == .route ? 2 : 1 }
    var outputNames: [String] { outputCount == 2 ? ["allowed", "over limit"] : operation == .reserve ? ["allowed"] : ["released"] }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let store = context.services.rateLimitStore ?? Self.processStore
        let items = input.main
        // Items grouped by key, in item order; each group is one reservation.
        var groups: [(key: String, limit: Int, indexes: [Int])] = []
        var groupIndex: [String: Int] = [:]
        for i in items.indices {
            let k = try key.value(for: i, in: context)
            guard !k.isEmpty else { throw context.error("parameter \"key\" is empty for this item", code: .invalidParameter, itemIndex: i) }
            let l = try limit.value(for: i, in: context)
            guard l.isFinite, l >= 0 else { throw context.error("parameter \"limit\" must be a number ≥ 0", code: .invalidParameter, itemIndex: i) }
            if let g = groupIndex[k] {
                groups[g].indexes.append(i)
            } else {
                groupIndex[k] = groups.count
                groups.append((k, Int(l), [i]))
            }
        }
        if operation == .release {
            try await release(groups, store: store, context: context)
            return [items.enumerated().map { $0.element.paired($0.offset) }]
        }
        var allowed: [(Int, Item)] = []
        var over: [(Int, Item)] = []
        for (groupNumber, group) in groups.enumerated() {
            var pending = group.indexes
            var attempt = 0
            while !pending.isEmpty {
                let now = context.nowMilliseconds()
                let window = try window(now: now, context: context)
                // Deterministic per execution, node run, group and attempt: a resumed execution gets
                // the grants it had before the restart.
                let reservation = "\(context.executionID)/\(context.nodeName)/\(context.runIndex)/\(groupNumber)/\(attempt)"
                let grant = try await reserve(store, key: group.key, window: window, limit: group.limit, count: pending.count, now: now, reservation: reservation, context: context)
                for i in pending.prefix(grant.granted) { allowed.append((i, items[i].paired(i))) }
                pending.removeFirst(min(grant.granted, pending.count))
                guard !pending.isEmpty else { break }
                switch onLimit {
                case .route:
                    for i in pending { over.append((i, items[i].paired(i))) }
                    pending = []
                case .fail:
                    let message = "rate limit of \(group.limit) per \(windowName) reached for this key"
                    guard context.continueOnFail else { throw context.error(message, code: .rateLimited, itemIndex: pending[0]) }
                    for i in pending { allowed.append((i, Item(json: ["error": .string(message)], pairedItem: [PairedItem(item: i)]))) }
                    pending = []
                case .wait:
                    let retryAt = grant.retryAt ?? (now + 1000)
                    let wait = max(1, retryAt - now)
                    let cap = try maxWaitSeconds.value(for: pending[0], in: context)
                    if cap > 0, wait > cap * 1000 {
                        throw context.error("rate limit of \(group.limit) per \(windowName) reached for this key, and the window has room only after maxWaitSeconds (\(JSNumberFormatting.string(cap)) s)",
                                            code: .rateLimited, itemIndex: pending[0])
                    }
                    context.logger.debug("Rate limit waits for room", metadata: [
                        "flowrun.ratelimit.waiting": "\(pending.count)", "flowrun.ratelimit.wait_ms": "\(Int(wait))",
                    ])
                    try await context.sleep(for: .milliseconds(Int64(wait.rounded(.up))))
                    attempt += 1
                }
            }
        }
        let first = allowed.sorted { $0.0 < $1.0 }.map(\.1)
        let second = over.sorted { $0.0 < $1.0 }.map(\.1)
        return onLimit == .route ? [first, second] : [first]
    }

    private func reserve(
        _ store: any RateLimitStore, key: String, window: RateLimitWindow, limit: Int, count: Int, now: Double,
        reservation: String, context: ExecutionContext
    ) async throws -> RateLimitGrant {
        do {
            return try await store.reserve(key: "\(self.window):\(key)", window: window, limit: limit, count: count, now: now, reservation: reservation)
        } catch let error as NodeError {
            throw error
        } catch {
            throw context.error("the rate-limit store failed: \(error)", code: .operation)
        }
    }

    /// Gives back one unit per item of each group, idempotently per execution, node run and group.
    private func release(_ groups: [(key: String, limit: Int, indexes: [Int])], store: any RateLimitStore, context: ExecutionContext) async throws {
        for (groupNumber, group) in groups.enumerated() {
            let now = context.nowMilliseconds()
            let window = try window(now: now, context: context)
            let id = "\(context.executionID)/\(context.nodeName)/\(context.runIndex)/\(groupNumber)/release"
            let released: Int
            do {
                released = try await store.release(key: "\(self.window):\(group.key)", window: window, count: group.indexes.count, now: now, release: id)
            } catch let error as NodeError {
                throw error
            } catch {
                throw context.error("the rate-limit store failed: \(error)", code: .operation)
            }
            context.logger.debug("Rate limit released", metadata: [
                "flowrun.ratelimit.requested": "\(group.indexes.count)", "flowrun.ratelimit.released": "\(released)",
            ])
        }
    }

    var windowName: String {
        window == "sliding" ? "sliding window" : window
    }

    /// The window at `now`: calendar windows in the workflow's time zone.
    func window(now: Double, context: ExecutionContext) throws -> RateLimitWindow {
        if window == "sliding" {
            var ms = try duration.value(for: 0, in: context) * 1000
            switch durationUnit {
            case "minutes": ms *= 60
            case "hours": ms *= 3600
            case "days": ms *= 86400
            default: break
            }
            guard ms > 0, ms.isFinite else { throw context.error("parameter \"duration\" must be greater than 0", code: .invalidParameter) }
            return .sliding(milliseconds: ms)
        }
        return Self.calendarWindow(window, now: now, timeZone: context.timeZone)
    }

    static func calendarWindow(_ unit: String, now: Double, timeZone: String) -> RateLimitWindow {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let component: Calendar.Component = unit == "minute" ? .minute : unit == "hour" ? .hour : .day
        let date = Date(timeIntervalSince1970: now / 1000)
        guard let interval = calendar.dateInterval(of: component, for: date) else {
            let span = component == .minute ? 60_000.0 : component == .hour ? 3_600_000 : 86_400_000
            let start = (now / span).rounded(.down) * span
            return .fixed(start: start, end: start + span)
        }
        return .fixed(start: interval.start.timeIntervalSince1970 * 1000, end: interval.end.timeIntervalSince1970 * 1000)
    }

    /// Reservations of runs without a state store: this process only.
    static let processStore = InMemoryRateLimitStore()
}
