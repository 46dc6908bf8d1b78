import FlowrunCore
import FlowrunExpressions
import Foundation

/// Wait (`n8n-nodes-base.wait`): pauses, then outputs its input unchanged. Supports resuming after
/// a time interval or at a date, on the execution's clock. Resuming on a webhook or form needs the
/// server and is reported as unsupported at run time.
struct WaitNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.wait", typeVersions: [1, 1.1], displayName: "Wait")

    let resume: String
    let amount: Param<Double>
    let unit: Param<String>
    let dateTime: Param<JSONValue?>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        resume = p["resume"].choice(["timeInterval", "specificTime", "webhook", "form"], default: "timeInterval").constantValue ?? "timeInterval"
        amount = p["amount"].number(default: c.typeVersion < 1.1 ? 1 : 5)
        unit = p["unit"].choice(["seconds", "minutes", "hours", "days"], default: c.typeVersion < 1.1 ? "hours" : "seconds")
        dateTime = p["dateTime"].value(default: "")
    }

    /// Milliseconds to wait for item 0's parameters.
    func waitMilliseconds(context: ExecutionContext) throws -> Double {
        switch resume {
        case "timeInterval":
            var ms = try amount.value(for: 0, in: context)
            switch try unit.value(for: 0, in: context) {
            case "minutes": ms *= 60
            case "hours": ms *= 3600
            case "days": ms *= 86400
            default: break
            }
            return ms * 1000
        case "specificTime":
            let value = try dateTime.value(for: 0, in: context)
            let target: Double?
            switch value {
            case .number(let n)?: target = n
            case .string(let s)?:
                target = JSDateParser.parse(s, localZone: LuxonZone.named(context.timeZone))
            default: target = nil
            }
            guard let target, target.isFinite else {
                throw context.error("[Wait node] Cannot put execution to wait because `dateTime` parameter is not a valid date. Please pick a specific date and time to wait until.")
            }
            return target - context.nowMilliseconds()
        default:
            throw context.error("Resuming a Wait node on \(resume == "form" ? "a form submission" : "a webhook call") is not supported by flowrun yet")
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let ms = try waitMilliseconds(context: context)
        if ms > 0 { try await context.sleep(for: .milliseconds(Int64(ms.rounded()))) }
        return [input.main]
    }
}
