import FlowrunCore
import FlowrunExpressions

/// The comparison table of If v1, Filter v1 and Switch v1/v2 (`compareOperationFunctions`): raw
/// JavaScript comparisons without type validation.
enum LegacyComparison {
    /// Whether `operation` holds; nil for an unknown operation.
    static func compare(_ operation: String, _ value1: JSONValue?, _ value2: JSONValue?) -> Bool? {
        switch operation {
        case "after", "larger": return JS.greaterThan(JS.or(value1, 0), JS.or(value2, 0))
        case "before", "smaller": return JS.lessThan(JS.or(value1, 0), JS.or(value2, 0))
        case "largerEqual": return JS.greaterOrEqual(JS.or(value1, 0), JS.or(value2, 0))
        case "smallerEqual": return JS.lessOrEqual(JS.or(value1, 0), JS.or(value2, 0))
        case "contains": return contains(value1, value2)
        case "notContains": return !contains(value1, value2)
        case "endsWith": return JS.string(value1).hasSuffix(JS.string(value2)) || JS.string(value2).isEmpty
        case "notEndsWith": return !(JS.string(value1).hasSuffix(JS.string(value2)) || JS.string(value2).isEmpty)
        case "startsWith": return JS.string(value1).hasPrefix(JS.string(value2)) || JS.string(value2).isEmpty
        case "notStartsWith": return !(JS.string(value1).hasPrefix(JS.string(value2)) || JS.string(value2).isEmpty)
        case "equal": return JS.strictEquals(value1, value2)
        case "notEqual": return !JS.strictEquals(value1, value2)
        case "isEmpty": return isEmpty(value1)
        case "isNotEmpty": return !isEmpty(value1)
        case "regex": return regex(value1, value2)
        case "notRegex": return !regex(value1, value2)
        default: return nil
        }
    }

    private static func contains(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        let sub = JS.string(JS.or(b, ""))
        return sub.isEmpty || JS.string(JS.or(a, "")).contains(sub)
    }

    static func isEmpty(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let s)?: return s.isEmpty
        case .number(let n)?: return n.isNaN
        case .object(let o)?: return o.isEmpty
        case .array(let a)?: return a.isEmpty
        default: return false
        }
    }

    private static func regex(_ value1: JSONValue?, _ value2: JSONValue?) -> Bool {
        let pattern = JS.string(JS.or(value2, ""))
        var source = pattern
        var flags = ""
        if let literal = JS.splitRegexLiteral(pattern) {
            source = literal.pattern
            flags = literal.flags
        }
        guard let re = JS.regex(source, flags: flags) else { return false }
        return JS.test(re, JS.string(JS.or(value1, "")))
    }

    /// `convertDateTime`: milliseconds of a date string or number.
    ///
    /// - Throws: n8n's `The value "x" is not a valid DateTime.`
    static func dateMillis(_ value: JSONValue?, zone: String, context: ExecutionContext, itemIndex: Int) throws -> JSONValue {
        if let ms = DateParsing.jsDateMillis(value, zone: zone) { return .number(ms) }
        throw NodeError(.operation, "The value \"\(JS.string(value))\" is not a valid DateTime.", node: context.nodeName, itemIndex: itemIndex)
    }
}

/// If v1 / Filter v1 conditions: `conditions.{boolean,dateTime,number,string}[]` of
/// `{value1, operation, value2}`, combined with all/any.
struct LegacyConditionsParameter: Sendable {
    struct Condition: Sendable {
        var dataType: String
        var value1: Param<JSONValue?>
        var value2: Param<JSONValue?>
        var operation: String
    }

    var conditions: [Condition]

    static let dataTypes = ["boolean", "dateTime", "number", "string"]
    static let defaultOperation = ["boolean": "equal", "dateTime": "after", "number": "smaller", "string": "equal"]
    static let defaultValue: [String: JSONValue] = ["boolean": false, "dateTime": "", "number": 0, "string": ""]

    init(_ reader: ParameterReader) {
        var list: [Condition] = []
        for type in Self.dataTypes {
            for c in reader[type].elements() {
                list.append(Condition(
                    dataType: type,
                    value1: c["value1"].value(default: Self.defaultValue[type] ?? .null),
                    value2: c["value2"].value(default: Self.defaultValue[type] ?? .null),
                    operation: c["operation"].raw?.stringValue ?? Self.defaultOperation[type]!))
            }
        }
        conditions = list
    }

    /// Whether the item passes: `all` = every condition, `any` = at least one.
    func evaluate(all: Bool, itemIndex: Int, context: ExecutionContext) throws -> Bool {
        for c in conditions {
            var v1 = try c.value1.value(for: itemIndex, in: context)
            var v2 = try c.value2.value(for: itemIndex, in: context)
            if c.dataType == "dateTime" {
                v1 = try LegacyComparison.dateMillis(v1, zone: context.timeZone, context: context, itemIndex: itemIndex)
                v2 = try LegacyComparison.dateMillis(v2, zone: context.timeZone, context: context, itemIndex: itemIndex)
            }
            guard let result = LegacyComparison.compare(c.operation, v1, v2) else {
                throw NodeError(.operation, "compareOperationFunctions[compareData.operation] is not a function",
                                node: context.nodeName, itemIndex: itemIndex)
            }
            if result && !all { return true }
            if !result && all { return false }
        }
        return all
    }
}
