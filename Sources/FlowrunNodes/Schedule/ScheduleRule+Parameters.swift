public import FlowrunExpressions
import Foundation

extension ScheduleRule {
    /// The rules of a Schedule Trigger (`rule.interval[]`), a legacy Cron (`triggerTimes.item[]`)
    /// or Interval node, with a message for each rule that cannot be read.
    ///
    /// n8n puts a random second (and minute/hour when unset) into the crons it builds so that
    /// workflows do not all fire together; flowrun uses 0 so that firings are reproducible.
    public static func rules(nodeType: String, typeVersion: Double, parameters p: JSONObject) -> (rules: [ScheduleRule], problems: [String]) {
        var problems: [String] = []
        var rules: [ScheduleRule] = []
        func cron(_ text: String, _ recurrence: Recurrence? = nil, at path: String) {
            do {
                rules.append(ScheduleRule(.cron(try CronExpression(text), recurrence: recurrence)))
            } catch {
                problems.append("parameter \"\(path)\": \(error.description)")
            }
        }
        func int(_ o: JSONObject, _ key: String, _ fallback: Int) -> Int {
            switch o[key] {
            case .number(let n)?: return Int(n)
            case .string(let s)?: return Int(s) ?? fallback
            default: return fallback
            }
        }
        switch nodeType {
        case "n8n-nodes-base.interval":
            let amount = int(p, "interval", 1)
            let unit = p["unit"]?.stringValue ?? "seconds"
            let factor = unit == "hours" ? 3600 : unit == "minutes" ? 60 : 1
            if amount <= 0 { problems.append("parameter \"interval\": the interval has to be set to at least 1 or higher!") }
            rules.append(ScheduleRule(.interval(seconds: max(1, amount) * factor)))
        case "n8n-nodes-base.cron":
            let items = p["triggerTimes"]?.objectValue?["item"]?.arrayValue ?? []
            for (i, value) in items.enumerated() {
                let o = value.objectValue ?? [:]
                let h = int(o, "hour", 14), m = int(o, "minute", 0)
                let path = "triggerTimes.item[\(i)]"
                switch o["mode"]?.stringValue ?? "everyDay" {
                case "everyMinute": cron("0 * * * * *", at: path)
                case "everyHour": cron("0 \(m) * * * *", at: path)
                case "everyDay": cron("0 \(m) \(h) * * *", at: path)
                case "everyWeek": cron("0 \(m) \(h) * * \(int(o, "weekday", 1))", at: path)
                case "everyMonth": cron("0 \(m) \(h) \(int(o, "dayOfMonth", 1)) * *", at: path)
                case "everyX":
                    let v = max(1, int(o, "value", 2))
                    cron((o["unit"]?.stringValue ?? "hours") == "minutes" ? "0 */\(v) * * * *" : "0 0 */\(v) * * *", at: path)
                case "custom": cron(o["cronExpression"]?.stringValue ?? "* * * * * *", at: path)
                case let mode: problems.append("parameter \"\(path).mode\": unknown value \"\(mode)\"")
                }
            }
        default:
            let intervals = p["rule"]?.objectValue?["interval"]?.arrayValue ?? [.object(["field": "days"])]
            for (i, value) in intervals.enumerated() {
                let o = value.objectValue ?? [:]
                let path = "rule.interval[\(i)]"
                let minute = int(o, "triggerAtMinute", 0), hour = int(o, "triggerAtHour", 0)
                switch o["field"]?.stringValue ?? "days" {
                case "seconds":
                    let n = max(1, int(o, "secondsInterval", 30))
                    if typeVersion < 1.1 { rules.append(ScheduleRule(.interval(seconds: n))) } else { cron("*/\(n) * * * * *", at: path) }
                case "minutes":
                    let n = max(1, int(o, "minutesInterval", 5))
                    if typeVersion < 1.1 { rules.append(ScheduleRule(.interval(seconds: n * 60))) } else { cron("0 */\(n) * * * *", at: path) }
                case "hours":
                    let n = max(1, int(o, "hoursInterval", 1))
                    if typeVersion >= 1.2, n > 1 {
                        cron("0 \(minute) * * * *", Recurrence(unit: .hours, interval: n), at: path)
                    } else {
                        cron("0 \(minute) */\(n) * * *", at: path)
                    }
                case "days":
                    let n = max(1, int(o, "daysInterval", 1))
                    if typeVersion < 1.1 {
                        cron("0 \(minute) \(hour) */\(n) * *", at: path)
                    } else {
                        cron("0 \(minute) \(hour) * * *", n > 1 ? Recurrence(unit: .days, interval: n) : nil, at: path)
                    }
                case "weeks":
                    let n = max(1, int(o, "weeksInterval", 1))
                    let days = (o["triggerAtDay"]?.arrayValue ?? [.number(0)]).compactMap { $0.numberValue.map { Int($0) } ?? $0.stringValue.flatMap { Int($0) } }
                    let list = days.isEmpty ? "*" : days.map(String.init).joined(separator: ",")
                    cron("0 \(minute) \(hour) * * \(list)", n > 1 ? Recurrence(unit: .weeks, interval: n) : nil, at: path)
                case "months":
                    let n = max(1, int(o, "monthsInterval", 1))
                    let day = int(o, "triggerAtDayOfMonth", 1)
                    if typeVersion < 1.1 {
                        cron("0 \(minute) \(hour) \(day) */\(n) *", at: path)
                    } else {
                        cron("0 \(minute) \(hour) \(day) * *", n > 1 ? Recurrence(unit: .months, interval: n) : nil, at: path)
                    }
                case "cronExpression":
                    cron((o["expression"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces), at: path)
                case let field:
                    problems.append("parameter \"\(path).field\": unknown value \"\(field)\"")
                }
            }
        }
        return (rules, problems)
    }
}
