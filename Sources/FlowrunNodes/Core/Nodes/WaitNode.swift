import FlowrunCore
public import FlowrunExpressions
import Foundation

/// Wait (`n8n-nodes-base.wait`): pauses, then outputs its input unchanged.
///
/// After a time interval or at a date it waits on the execution's clock, in process. On a webhook
/// call it puts the execution to wait (`ExecutionSuspension`, as n8n's `putExecutionToWait`): the
/// server resumes it when `$execution.resumeUrl` (`/webhook-waiting/<execution id>[/<suffix>]`) is
/// called, and the node then outputs the request's item; with `limitWaitTime` it resumes by itself
/// at the limit and outputs its input. Resuming on a form submission is not supported.
struct WaitNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.wait", typeVersions: [1, 1.1], displayName: "Wait")

    let resume: String
    let amount: Param<Double>
    let unit: Param<String>
    let dateTime: Param<JSONValue?>
    let limitWaitTime: Param<Bool>
    let limitType: Param<String>
    let resumeAmount: Param<Double>
    let resumeUnit: Param<String>
    let maxDateAndTime: Param<JSONValue?>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        resume = p["resume"].choice(["timeInterval", "specificTime", "webhook", "form"], default: "timeInterval").constantValue ?? "timeInterval"
        amount = p["amount"].number(default: c.typeVersion < 1.1 ? 1 : 5)
        unit = p["unit"].choice(["seconds", "minutes", "hours", "days"], default: c.typeVersion < 1.1 ? "hours" : "seconds")
        dateTime = p["dateTime"].value(default: "")
        limitWaitTime = p["limitWaitTime"].bool(default: false)
        limitType = p["limitType"].choice(["afterTimeInterval", "atSpecifiedTime"], default: "afterTimeInterval")
        resumeAmount = p["resumeAmount"].number(default: 1)
        resumeUnit = p["resumeUnit"].choice(["seconds", "minutes", "hours", "days"], default: "hours")
        maxDateAndTime = p["maxDateAndTime"].value(default: "")
    }

    static func milliseconds(_ amount: Double, unit: String) -> Double {
        switch unit {
        case "minutes": amount * 60_000
        case "hours": amount * 3_600_000
        case "days": amount * 86_400_000
        default: amount * 1000
        }
    }

    /// A date parameter as milliseconds since 1970, read as n8n's `new Date(value)`.
    static func date(_ value: JSONValue?, parameter: String, context: ExecutionContext) throws -> Double {
        let target: Double?
        switch value {
        case .number(let n)?: target = n
        case .string(let s)?: target = JSDateParser.parse(s, localZone: LuxonZone.named(context.timeZone))
        default: target = nil
        }
        guard let target, target.isFinite else {
            throw context.error("[Wait node] Cannot put execution to wait because `\(parameter)` parameter is not a valid date. Please pick a specific date and time to wait until.")
        }
        return target
    }

    /// Milliseconds to wait for item 0's parameters (time-based resumption).
    func waitMilliseconds(context: ExecutionContext) throws -> Double {
        if resume == "specificTime" {
            return try Self.date(dateTime.value(for: 0, in: context), parameter: "dateTime", context: context) - context.nowMilliseconds()
        }
        return Self.milliseconds(try amount.value(for: 0, in: context), unit: try unit.value(for: 0, in: context))
    }

    /// n8n's `configureAndPutToWait`: when the execution resumes by itself (nil: only on a call).
    func waitTill(context: ExecutionContext) throws -> Double? {
        guard try limitWaitTime.value(for: 0, in: context) else { return nil }
        if try limitType.value(for: 0, in: context) == "atSpecifiedTime" {
            return try Self.date(maxDateAndTime.value(for: 0, in: context), parameter: "maxDateAndTime", context: context)
        }
        let ms = Self.milliseconds(try resumeAmount.value(for: 0, in: context), unit: try resumeUnit.value(for: 0, in: context))
        return context.nowMilliseconds() + ms
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        switch resume {
        case "webhook":
            throw ExecutionSuspension(waitTill: try waitTill(context: context))
        case "form":
            throw context.error("Resuming a Wait node on a form submission is not supported by flowrun yet")
        default:
            let ms = try waitMilliseconds(context: context)
            // n8n keeps waits under 65 s in process and parks longer ones in the database.
            if context.parksLongWaits, ms >= 65_000 {
                throw ExecutionSuspension(waitTill: context.nowMilliseconds() + ms)
            }
            if ms > 0 { try await context.sleep(for: .milliseconds(Int64(ms.rounded()))) }
            return [input.main]
        }
    }
}

/// How a Wait node that resumes on a webhook call is called back, read from its parameters for
/// the server's `/webhook-waiting/` route.
public enum WaitWebhook {
    /// The webhook options of a Wait node with `resume: webhook` (nil for other resume modes):
    /// method (`httpMethod`, default GET), `options.webhookSuffix` as the path, authentication from
    /// `incomingAuthentication`, response mode, code and data as on the Webhook node.
    public static func spec(parameters: JSONObject, typeVersion: Double) -> WebhookTriggerSpec? {
        guard parameters["resume"]?.stringValue == "webhook" else { return nil }
        var p = parameters
        p["path"] = p["options"]?["webhookSuffix"] ?? ""
        p["authentication"] = p["incomingAuthentication"] ?? "none"
        p["multipleMethods"] = nil
        // The Wait node's webhook options follow Webhook node v1's (its `webhook()` is the Webhook node's).
        return WebhookTriggerSpec(parameters: p, typeVersion: min(typeVersion, 1.1))
    }
}
