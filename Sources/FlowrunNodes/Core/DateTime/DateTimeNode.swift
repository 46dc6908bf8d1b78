import FlowrunCore
import FlowrunExpressions
import Foundation

/// Date & Time (`n8n-nodes-base.dateTime`).
///
/// v1 (moment.js): `action` format (`value`, `toFormat` moment tokens, `dataPropertyName`,
/// options `fromFormat`, `fromTimezone`, `toTimezone`) or calculate (`operation` add/subtract,
/// `duration`, `timeUnit`). v2 (Luxon): getCurrentDate, addToDate, subtractFromDate, formatDate,
/// roundDate, getTimeBetweenDates, extractDate; `options.includeInputFields`.
struct DateTimeNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.dateTime", typeVersions: [1, 2], displayName: "Date & Time")

    let version: Double
    let operation: String
    let p: ParameterSet

    /// Every parameter either version reads, with its per-operation default.
    struct ParameterSet: Sendable {
        var value: Param<JSONValue?>
        var dataPropertyName: Param<String>
        var toFormat: Param<String>
        var custom: Param<Bool>
        var duration: Param<Double>
        var timeUnit: Param<String>
        var date: DateParameter
        var format: Param<String>
        var customFormat: Param<String>
        var outputFieldName: Param<String>
        var includeTime: Param<Bool>
        var magnitude: DateParameter
        var mode: Param<String>
        var toNearest: Param<String>
        var to: Param<String>
        var startDate: DateParameter
        var endDate: DateParameter
        var units: Param<JSONValue?>
        var part: Param<String>
        var options: Param<JSONValue?>
        var calculation: Param<String>
    }

    static let outputDefaults = [
        "getCurrentDate": "currentDate", "addToDate": "newDate", "subtractFromDate": "newDate", "formatDate": "formattedDate",
        "roundDate": "roundedDate", "getTimeBetweenDates": "timeDifference", "extractDate": "datePart",
    ]

    init(configuration c: NodeConfiguration) throws {
        let r = c.parameters
        version = c.typeVersion
        if c.typeVersion < 2 {
            operation = r["action"].choice(["format", "calculate"], default: "format").constantValue ?? "format"
        } else {
            operation = r["operation"].choice(Array(Self.outputDefaults.keys), default: "getCurrentDate").constantValue ?? "getCurrentDate"
        }
        p = ParameterSet(
            value: r["value"].value(default: ""),
            dataPropertyName: r["dataPropertyName"].string(default: "data"),
            toFormat: r["toFormat"].string(default: "MM/DD/YYYY"),
            custom: r["custom"].bool(default: false),
            duration: r["duration"].number(default: c.typeVersion < 2 ? 1 : 0),
            timeUnit: r["timeUnit"].string(default: "days"),
            date: DateParameter(r["date"], default: ""),
            format: r["format"].string(default: "MM/dd/yyyy"),
            customFormat: r["customFormat"].string(default: ""),
            outputFieldName: r["outputFieldName"].string(default: Self.outputDefaults[operation] ?? "data"),
            includeTime: r["includeTime"].bool(default: true),
            magnitude: DateParameter(r["magnitude"], default: ""),
            mode: r["mode"].string(default: "roundDown"),
            toNearest: r["toNearest"].string(default: "month"),
            to: r["to"].string(default: "month"),
            startDate: DateParameter(r["startDate"], default: ""),
            endDate: DateParameter(r["endDate"], default: ""),
            units: r["units"].value(default: .array(["day"])),
            part: r["part"].string(default: "month"),
            options: r["options"].value(default: .object([:])),
            calculation: r["operation"].string(default: "add"))
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var output: [Item] = []
        for (i, item) in input.main.enumerated() {
            do {
                if version < 2 {
                    if let out = try executeV1(item, index: i, context: context) { output.append(out) }
                } else {
                    output.append(try executeV2(item, index: i, context: context))
                }
            } catch {
                guard context.continueOnFail else {
                    if var e = error as? NodeError {
                        if e.itemIndex == nil { e.itemIndex = i }
                        throw e
                    }
                    throw error
                }
                output.append(Item(json: ["error": .string((error as? NodeError)?.message ?? "\(error)")]))
            }
        }
        return [output]
    }
}
