import FlowrunCore
import FlowrunExpressions

/// A date parameter that keeps JavaScript date values: an expression returning a Luxon DateTime
/// or a JS Date gives that value (with its zone), not its JSON text.
struct DateParameter: Sendable {
    enum Value {
        case json(JSONValue?)
        case dateTime(LuxonDateTime)
    }

    let json: Param<JSONValue?>
    let expression: ParameterExpression?
    let path: String

    init(_ reader: ParameterReader, default fallback: JSONValue) {
        json = reader.value(default: fallback)
        path = reader.path
        if let text = reader.raw?.stringValue, text.hasPrefix("=") {
            expression = try? ParameterExpression(parsing: text)
        } else {
            expression = nil
        }
    }

    func value(for itemIndex: Int, in context: ExecutionContext) throws -> Value {
        guard let expression else { return .json(try json.value(for: itemIndex, in: context)) }
        switch try context.evaluateValue(expression, itemIndex: itemIndex, parameter: path) {
        case .dateTime(let dt):
            return .dateTime(dt)
        case .date(let d):
            return .dateTime(LuxonDateTime.fromMillis(d.milliseconds, zone: LuxonZone.named(context.timeZone)))
        case let other:
            return .json(other.toJSONOrNil())
        }
    }
}
