import FlowrunCore
import FlowrunExpressions

/// Switch (`n8n-nodes-base.switch`): routes items to outputs by rules or by an output-index
/// expression.
///
/// v1: four fixed outputs, typed rules `rules.rules[{operation, value2, output}]` on `value1`.
/// v2: one output per rule (`outputsAmount` in expression mode). v3–v3.3: filter-type rules
/// `rules.values[{conditions, renameOutput, outputKey}]`, `options.fallbackOutput` none/extra/index,
/// `options.allMatchingOutputs`.
struct SwitchNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.switch", typeVersions: [1, 2, 3, 3.1, 3.2, 3.3], displayName: "Switch", outputs: 4)

    struct LegacyRule: Sendable {
        var operation: String
        var value2: Param<JSONValue?>
        var output: Int
    }

    struct Rule: Sendable {
        var conditions: FilterConditionsParameter
        var outputKey: String?
    }

    enum Mode: Sendable {
        case expression(output: Param<JSONValue?>, outputs: Int)
        case legacyRules(dataType: String, value1: Param<JSONValue?>, rules: [LegacyRule], fallback: Param<JSONValue?>, routeByRuleIndex: Bool)
        case rules([Rule], fallback: Param<JSONValue?>, extraFallback: Bool, allMatching: Param<Bool>)
    }

    let mode: Mode
    let version: Double

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        let modeName = p["mode"].choice(["rules", "expression"], default: "rules").constantValue ?? "rules"
        if modeName == "expression" {
            let count: Int
            if c.typeVersion < 2 {
                count = 4
            } else if c.typeVersion < 3 {
                count = p["outputsAmount"].int(default: 4).constantValue ?? 4
            } else {
                count = p["numberOutputs"].int(default: 4).constantValue ?? 4
            }
            mode = .expression(output: p["output"].value(default: c.typeVersion < 2 ? 0 : ""), outputs: count)
        } else if c.typeVersion < 3 {
            let dataType = p["dataType"].choice(["boolean", "dateTime", "number", "string"], default: "number").constantValue ?? "number"
            let defaults: [String: JSONValue] = ["boolean": false, "dateTime": "", "number": 0, "string": ""]
            let operationDefaults = ["boolean": "equal", "dateTime": "after", "number": "smaller", "string": "equal"]
            let rules = p["rules"]["rules"].elements().map { r in
                LegacyRule(
                    operation: r["operation"].raw?.stringValue ?? operationDefaults[dataType]!,
                    value2: r["value2"].value(default: dataType == "dateTime" ? 0 : defaults[dataType] ?? .null),
                    output: Int(r["output"].raw?.numberValue ?? 0))
            }
            mode = .legacyRules(
                dataType: dataType, value1: p["value1"].value(default: defaults[dataType] ?? .null), rules: rules,
                fallback: p["fallbackOutput"].value(default: -1), routeByRuleIndex: c.typeVersion >= 2)
        } else {
            let options = p["options"]
            let loose = c.typeVersion < 3.1 ? options["looseTypeValidation"].bool(default: false) : p["looseTypeValidation"].bool(default: false)
            let ignoreCase = options["ignoreCase"].bool(default: true)
            let rules = p["rules"]["values"].elements().map { r in
                Rule(conditions: FilterConditionsParameter(r["conditions"], loose: loose, ignoreCase: ignoreCase),
                     outputKey: (r["renameOutput"].raw?.boolValue ?? false) ? r["outputKey"].raw.map(JS.string) : nil)
            }
            let fallback = options["fallbackOutput"].value(default: "none")
            let extra = fallback.constantValue??.stringValue == "extra"
            mode = .rules(rules, fallback: fallback, extraFallback: extra, allMatching: options["allMatchingOutputs"].bool(default: false))
        }
    }

    var outputCount: Int {
        switch mode {
        case .expression(_, let outputs): return outputs
        case .legacyRules(_, _, let rules, _, let byIndex): return byIndex ? rules.count : 4
        case .rules(let rules, _, let extra, _): return rules.count + (extra ? 1 : 0)
        }
    }

    var outputNames: [String] {
        switch mode {
        case .rules(let rules, _, let extra, _):
            return rules.enumerated().map { $0.element.outputKey ?? "\($0.offset)" } + (extra ? ["Fallback"] : [])
        default:
            return (0..<outputCount).map(String.init)
        }
    }

    private func checkRange(_ index: Int, _ count: Int, _ context: ExecutionContext, _ itemIndex: Int) throws {
        if index < 0 || index >= count {
            throw NodeError(.operation, "The ouput \(index) is not allowed. It has to be between 0 and \(count - 1)!",
                            node: context.nodeName, itemIndex: itemIndex)
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let count = outputCount
        var outputs = [[Item]](repeating: [], count: count)
        for (i, original) in input.main.enumerated() {
            let item = version >= 3 ? original.paired(i) : original
            do {
                switch mode {
                case .expression(let output, _):
                    let n = JS.number(try output.value(for: i, in: context))
                    guard n.isFinite, n == n.rounded() else {
                        throw NodeError(.operation, "The ouput \(JS.string(.number(n))) is not allowed. It has to be between 0 and \(count - 1)!",
                                        node: context.nodeName, itemIndex: i)
                    }
                    try checkRange(Int(n), count, context, i)
                    outputs[Int(n)].append(item)
                case .legacyRules(let dataType, let value1Param, let rules, let fallbackParam, let byIndex):
                    var value1 = try value1Param.value(for: i, in: context)
                    if dataType == "dateTime" {
                        value1 = try LegacyComparison.dateMillis(value1, zone: context.timeZone, context: context, itemIndex: i)
                    }
                    var matched = false
                    for (ruleIndex, rule) in rules.enumerated() {
                        var value2 = try rule.value2.value(for: i, in: context)
                        if dataType == "dateTime" {
                            value2 = try LegacyComparison.dateMillis(value2, zone: context.timeZone, context: context, itemIndex: i)
                        }
                        guard let result = LegacyComparison.compare(rule.operation, value1, value2) else {
                            throw NodeError(.operation, "compareOperationFunctions[ruleData.operation] is not a function", node: context.nodeName, itemIndex: i)
                        }
                        if result {
                            if byIndex {
                                outputs[ruleIndex].append(item)
                            } else {
                                try checkRange(rule.output, count, context, i)
                                outputs[rule.output].append(item)
                            }
                            matched = true
                            break
                        }
                    }
                    if !matched {
                        let fallback = Int(JS.number(try fallbackParam.value(for: i, in: context)))
                        if fallback != -1 {
                            try checkRange(fallback, count, context, i)
                            outputs[fallback].append(item)
                        }
                    }
                case .rules(let rules, let fallbackParam, let extra, let allMatchingParam):
                    if rules.isEmpty { continue }
                    let allMatching = try allMatchingParam.value(for: i, in: context)
                    var matched = false
                    for (ruleIndex, rule) in rules.enumerated() where try rule.conditions.evaluate(itemIndex: i, context: context) {
                        matched = true
                        outputs[ruleIndex].append(item)
                        if !allMatching { break }
                    }
                    if !matched {
                        let fallback = try fallbackParam.value(for: i, in: context)
                        if extra || fallback?.stringValue == "extra" {
                            outputs[count - 1].append(item)
                        } else if let fallback, fallback.stringValue != "none", !fallback.isNull {
                            let index = Int(JS.number(fallback))
                            try checkRange(index, count, context, i)
                            outputs[index].append(item)
                        }
                    }
                }
            } catch {
                guard context.continueOnFail, count > 0 else { throw error }
                outputs[0].append(Item(json: ["error": .string((error as? NodeError)?.message ?? "\(error)")]))
            }
        }
        return outputs
    }
}
