import FlowrunCore
import FlowrunExpressions

/// A `filter`-type parameter (If v2, Filter v2, Switch v3 rules) decoded at load time:
/// `{options: {caseSensitive, typeValidation, version}, conditions: [...], combinator}`.
///
/// As in n8n's backend, the `options` stored inside the value decide case sensitivity, strictness
/// and filter version (the editor keeps them in sync with the node's own options); missing keys
/// mean case-insensitive (`!undefined`), loose, version 1.
struct FilterConditionsParameter: Sendable {
    /// Immutable, and a class: the conditions are read for every item, and a struct copy cost a
    /// retain per field (both sides and the operator's strings).
    final class Condition: Sendable {
        let left: Param<JSONValue?>
        let right: Param<JSONValue?>
        let op: FilterEvaluator.Operator

        init(left: Param<JSONValue?>, right: Param<JSONValue?>, op: FilterEvaluator.Operator) {
            self.left = left
            self.right = right
            self.op = op
        }
    }

    var conditions: [Condition]
    var combinator: String
    var caseSensitive: Param<JSONValue?>
    var typeValidation: Param<JSONValue?>
    var version: Param<JSONValue?>
    /// The node's loose type validation switch: when on, never strict.
    var nodeLoose: Param<Bool>?
    /// The node's `options.ignoreCase`, used when the value has no `caseSensitive`.
    var nodeIgnoreCase: Param<Bool>?
    private let caseSensitiveMissing: Bool

    init(_ reader: ParameterReader, loose: Param<Bool>? = nil, ignoreCase: Param<Bool>? = nil) {
        nodeLoose = loose
        nodeIgnoreCase = ignoreCase
        caseSensitiveMissing = !reader["options"]["caseSensitive"].isPresent
        reader.expectObject()
        let options = reader["options"]
        caseSensitive = options["caseSensitive"].json()
        typeValidation = options["typeValidation"].json()
        version = options["version"].json()
        combinator = reader["combinator"].raw?.stringValue ?? "and"
        conditions = reader["conditions"].elements().map { c in
            let op = c["operator"]
            return Condition(
                left: c["leftValue"].json(),
                right: c["rightValue"].json(),
                op: FilterEvaluator.Operator(
                    type: op["type"].raw?.stringValue ?? "string",
                    operation: op["operation"].raw?.stringValue ?? "equals",
                    rightType: op["rightType"].raw?.stringValue,
                    singleValue: op["singleValue"].raw?.boolValue ?? false))
        }
    }

    /// The options for item `itemIndex`.
    func options(itemIndex: Int, context: ExecutionContext) throws -> FilterEvaluator.Options {
        var o = FilterEvaluator.Options()
        if caseSensitiveMissing, let nodeIgnoreCase {
            o.caseSensitive = !(try nodeIgnoreCase.value(for: itemIndex, in: context))
        } else {
            o.caseSensitive = JS.truthy(try caseSensitive.value(for: itemIndex, in: context))
        }
        o.strict = (try typeValidation.value(for: itemIndex, in: context))?.stringValue == "strict"
        if o.strict, let nodeLoose, try nodeLoose.value(for: itemIndex, in: context) { o.strict = false }
        if let v = try version.value(for: itemIndex, in: context), case .number(let n) = v { o.version = Int(n) }
        o.timeZone = context.timeZone
        return o
    }

    /// `executeFilter`: whether item `itemIndex` passes.
    ///
    /// - Throws: `NodeError` with n8n's message (type validation) and its description.
    func evaluate(itemIndex: Int, context: ExecutionContext) throws -> Bool {
        let options = try options(itemIndex: itemIndex, context: context)
        let isAnd: Bool
        switch combinator {
        case "and": isAnd = true
        case "or": isAnd = false
        default: return false
        }
        for (index, condition) in conditions.enumerated() {
            let left = try condition.left.value(for: itemIndex, in: context)
            let right = try condition.right.value(for: itemIndex, in: context)
            let pass: Bool
            do {
                pass = try FilterEvaluator.evaluate(
                    left: left, right: right, operator: condition.op, options: options, index: index, itemIndex: itemIndex)
            } catch {
                throw NodeError(.operation, error.message, detail: error.description, node: context.nodeName, itemIndex: itemIndex)
            }
            if isAnd && !pass { return false }
            if !isAnd && pass { return true }
        }
        return isAnd
    }
}
