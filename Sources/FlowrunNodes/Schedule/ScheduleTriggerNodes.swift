public import FlowrunCore
public import FlowrunExpressions
public import Foundation

/// Schedule Trigger (`n8n-nodes-base.scheduleTrigger`, v1 to 1.2): `flowrun serve` fires it on its
/// rules (`ScheduleRule`) with the item `ScheduleTriggerItem.item(at:timeZone:)`; the node passes
/// that item on (one empty-clock item when run by hand).
struct ScheduleTriggerNode: Node, ScheduleTriggering {
    static let description = NodeDescription(
        type: "n8n-nodes-base.scheduleTrigger", typeVersions: [1, 1.1, 1.2], displayName: "Schedule Trigger", isTrigger: true)

    let rules: [ScheduleRule]

    init(configuration c: NodeConfiguration) throws {
        let found = ScheduleRule.rules(nodeType: c.type, typeVersion: c.typeVersion, parameters: c.parameters.raw?.objectValue ?? [:])
        rules = found.rules
        for problem in found.problems { c.parameters.report(problem) }
    }

    func triggerItem(at date: Date, timeZone: TimeZone) -> Item { ScheduleTriggerItem.item(at: date, timeZone: timeZone) }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        if !input.main.isEmpty { return [input.main] }
        let zone = TimeZone(identifier: context.timeZone) ?? .current
        return [[ScheduleTriggerItem.item(at: Date(timeIntervalSince1970: context.nowMilliseconds() / 1000), timeZone: zone)]]
    }
}

/// Cron (`n8n-nodes-base.cron`, v1, legacy): `triggerTimes.item[]`; fires with one empty item.
struct CronNode: LegacyScheduleTrigger {
    static let description = NodeDescription(type: "n8n-nodes-base.cron", typeVersions: [1], displayName: "Cron", isTrigger: true)

    let rules: [ScheduleRule]
}

/// Interval (`n8n-nodes-base.interval`, v1, legacy): every `interval` `unit`s from activation;
/// fires with one empty item.
struct IntervalNode: LegacyScheduleTrigger {
    static let description = NodeDescription(type: "n8n-nodes-base.interval", typeVersions: [1], displayName: "Interval", isTrigger: true)

    let rules: [ScheduleRule]
}

/// Cron and Interval differ only in how their parameters read (ScheduleRule knows both): each fires
/// with one empty item.
protocol LegacyScheduleTrigger: ScheduleTriggering {
    init(rules: [ScheduleRule])
}

extension LegacyScheduleTrigger {
    init(configuration c: NodeConfiguration) throws {
        let found = ScheduleRule.rules(nodeType: c.type, typeVersion: c.typeVersion, parameters: c.parameters.raw?.objectValue ?? [:])
        for problem in found.problems { c.parameters.report(problem) }
        self.init(rules: found.rules)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        [input.main.isEmpty ? [Item()] : input.main]
    }
}

/// A node the server fires on a schedule.
public protocol ScheduleTriggering: Node {
    var rules: [ScheduleRule] { get }
    /// The item an execution starts with when the schedule fires at `date`.
    func triggerItem(at date: Date, timeZone: TimeZone) -> Item
}

extension ScheduleTriggering {
    public func triggerItem(at date: Date, timeZone: TimeZone) -> Item { Item() }
}

/// The item n8n's Schedule Trigger emits (moment.js formats in the workflow's time zone).
public enum ScheduleTriggerItem {
    public static func item(at date: Date, timeZone: TimeZone) -> Item {
        func format(_ pattern: String) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = timeZone
            f.dateFormat = pattern
            return f.string(from: date)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.component(.day, from: date)
        let offset = format("xxx")
        let ampm = format("a").lowercased()
        let json: JSONObject = [
            "timestamp": .string(format("yyyy-MM-dd'T'HH:mm:ss.SSS") + offset),
            "Readable date": .string("\(format("MMMM")) \(day)\(ordinal(day)) \(format("yyyy, h:mm:ss")) \(ampm)"),
            "Readable time": .string("\(format("h:mm:ss")) \(ampm)"),
            "Day of week": .string(format("EEEE")),
            "Year": .string(format("yyyy")),
            "Month": .string(format("MMMM")),
            "Day of month": .string(format("dd")),
            "Hour": .string(format("HH")),
            "Minute": .string(format("mm")),
            "Second": .string(format("ss")),
            "Timezone": .string("\(timeZone.identifier) (UTC\(offset))"),
        ]
        return Item(json: json)
    }

    static func ordinal(_ n: Int) -> String {
        if (11...13).contains(n % 100) { return "th" }
        switch n % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }
}
