import FlowrunExpressions
import FlowrunNodes
import Foundation
import Testing

@Suite("Schedule rules: next firing (pure, fixed instants)")
struct ScheduleRuleTests {
    static func date(_ iso: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: iso)!
    }

    static func zone(_ id: String) -> TimeZone { TimeZone(identifier: id)! }

    static func rules(_ p: JSONObject, type: String = "n8n-nodes-base.scheduleTrigger", version: Double = 1.2) -> [ScheduleRule] {
        let found = ScheduleRule.rules(nodeType: type, typeVersion: version, parameters: p)
        #expect(found.problems.isEmpty)
        return found.rules
    }

    static func cron(_ expression: String) -> ScheduleRule {
        rules(["rule": ["interval": [["field": "cronExpression", "expression": .string(expression)]]]])[0]
    }

    @Test("a daily cron in Berlin moves with the spring-forward change (09:00 CET, then 09:00 CEST)")
    func berlinSpring() {
        let rule = Self.cron("0 9 * * *")
        let zone = Self.zone("Europe/Berlin")
        #expect(rule.nextFire(after: Self.date("2024-03-30T07:00:00Z"), lastFire: nil, timeZone: zone) == Self.date("2024-03-30T08:00:00Z"))
        #expect(rule.nextFire(after: Self.date("2024-03-30T08:00:00Z"), lastFire: nil, timeZone: zone) == Self.date("2024-03-31T07:00:00Z"))
    }

    @Test("a wall time skipped by daylight saving fires after the gap (02:30 → 03:30 EDT)")
    func springGap() {
        let rule = Self.cron("30 2 * * *")
        let zone = Self.zone("America/New_York")
        #expect(rule.nextFire(after: Self.date("2024-03-10T05:00:00Z"), lastFire: nil, timeZone: zone) == Self.date("2024-03-10T07:30:00Z"))
        #expect(rule.nextFire(after: Self.date("2024-03-10T07:30:00Z"), lastFire: nil, timeZone: zone) == Self.date("2024-03-11T06:30:00Z"))
    }

    @Test("a repeated wall time fires once, at its first occurrence (01:30 on fall-back day)")
    func fallBack() {
        let rule = Self.cron("30 1 * * *")
        let zone = Self.zone("America/New_York")
        let first = rule.nextFire(after: Self.date("2024-11-03T04:00:00Z"), lastFire: nil, timeZone: zone)
        #expect(first == Self.date("2024-11-03T05:30:00Z"))
        #expect(rule.nextFire(after: first!, lastFire: first, timeZone: zone) == Self.date("2024-11-04T06:30:00Z"))
    }

    @Test("seconds, minutes and hours intervals (v1.2 crons)")
    func shortIntervals() {
        let utc = Self.zone("UTC")
        let seconds = Self.rules(["rule": ["interval": [["field": "seconds", "secondsInterval": 30]]]])[0]
        #expect(seconds.nextFire(after: Self.date("2024-01-01T12:00:10Z"), lastFire: nil, timeZone: utc) == Self.date("2024-01-01T12:00:30Z"))
        let minutes = Self.rules(["rule": ["interval": [["field": "minutes", "minutesInterval": 15]]]])[0]
        #expect(minutes.nextFire(after: Self.date("2024-01-01T12:07:00Z"), lastFire: nil, timeZone: utc) == Self.date("2024-01-01T12:15:00Z"))
        let hours = Self.rules(["rule": ["interval": [["field": "hours", "hoursInterval": 3, "triggerAtMinute": 10]]]])[0]
        let last = Self.date("2024-01-01T05:10:00Z")
        #expect(hours.nextFire(after: last, lastFire: last, timeZone: utc) == Self.date("2024-01-01T08:10:00Z"))
    }

    @Test("every 2 days at 10:00 counts from the last firing")
    func everyOtherDay() {
        let rule = Self.rules(["rule": ["interval": [["field": "days", "daysInterval": 2, "triggerAtHour": 10]]]])[0]
        let utc = Self.zone("UTC")
        #expect(rule.nextFire(after: Self.date("2024-01-01T09:00:00Z"), lastFire: nil, timeZone: utc) == Self.date("2024-01-01T10:00:00Z"))
        let last = Self.date("2024-01-01T10:00:00Z")
        #expect(rule.nextFire(after: last, lastFire: last, timeZone: utc) == Self.date("2024-01-03T10:00:00Z"))
    }

    @Test("weeks on Monday and Friday at 08:00; months on day 31 skip shorter months")
    func weeksAndMonths() {
        let utc = Self.zone("UTC")
        let weeks = Self.rules(["rule": ["interval": [["field": "weeks", "triggerAtDay": [1, 5], "triggerAtHour": 8]]]])[0]
        #expect(weeks.nextFire(after: Self.date("2024-01-01T09:00:00Z"), lastFire: nil, timeZone: utc) == Self.date("2024-01-05T08:00:00Z"))
        let months = Self.rules(["rule": ["interval": [["field": "months", "triggerAtDayOfMonth": 31]]]])[0]
        #expect(months.nextFire(after: Self.date("2024-01-31T12:00:00Z"), lastFire: nil, timeZone: utc) == Self.date("2024-03-31T00:00:00Z"))
    }

    @Test("legacy Cron (everyWeek) and Interval nodes")
    func legacy() {
        let utc = Self.zone("UTC")
        let cron = Self.rules(["triggerTimes": ["item": [["mode": "everyWeek", "hour": 14, "minute": 30, "weekday": "3"]]]], type: "n8n-nodes-base.cron", version: 1)[0]
        #expect(cron.nextFire(after: Self.date("2024-01-01T00:00:00Z"), lastFire: nil, timeZone: utc) == Self.date("2024-01-03T14:30:00Z"))
        let interval = Self.rules(["interval": 5, "unit": "minutes"], type: "n8n-nodes-base.interval", version: 1)[0]
        let last = Self.date("2024-01-01T00:00:00Z")
        #expect(interval.nextFire(after: last.addingTimeInterval(1), lastFire: last, timeZone: utc) == Self.date("2024-01-01T00:05:00Z"))
    }

    @Test("bad cron expressions are reported with the parameter path")
    func badCron() {
        let found = ScheduleRule.rules(nodeType: "n8n-nodes-base.scheduleTrigger", typeVersion: 1.2, parameters: ["rule": ["interval": [["field": "cronExpression", "expression": "61 * * * *"]]]])
        #expect(found.rules.isEmpty)
        #expect(found.problems.first?.hasPrefix("parameter \"rule.interval[0]\"") == true)
    }

    @Test("the trigger item has n8n's fields in the workflow's time zone")
    func item() {
        let item = ScheduleTriggerItem.item(at: Self.date("2024-01-15T08:05:09Z"), timeZone: Self.zone("Europe/Berlin"))
        #expect(item.json["timestamp"] == "2024-01-15T09:05:09.000+01:00")
        #expect(item.json["Readable date"] == "January 15th 2024, 9:05:09 am")
        #expect(item.json["Readable time"] == "9:05:09 am")
        #expect(item.json["Day of week"] == "Monday")
        #expect(item.json["Month"] == "January")
        #expect(item.json["Day of month"] == "15")
        #expect(item.json["Hour"] == "09")
        #expect(item.json["Timezone"] == "Europe/Berlin (UTC+01:00)")
    }
}
