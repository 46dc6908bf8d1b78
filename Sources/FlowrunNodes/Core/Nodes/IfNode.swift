import FlowrunCore
import FlowrunExpressions

/// If (`n8n-nodes-base.if`): routes each item to output 0 (`true`) or 1 (`false`).
///
/// v1: legacy typed condition groups with `combineOperation` all/any. v2–v2.3: a filter-type
/// `conditions` value (see `FilterConditionsParameter`).
struct IfNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.if", typeVersions: [1, 2, 2.1, 2.2, 2.3], displayName: "If",
        outputs: 2, outputNames: ["true", "false"])

    enum Conditions: Sendable {
        case legacy(LegacyConditionsParameter, all: Param<Bool>)
        case filter(FilterConditionsParameter)
    }

    let conditions: Conditions

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        if c.typeVersion < 2 {
            let all = p["combineOperation"].choice(["all", "any"], default: "all").map { $0 == "all" }
            conditions = .legacy(LegacyConditionsParameter(p["conditions"]), all: all)
        } else {
            let loose = c.typeVersion < 2.1
                ? p["options"]["looseTypeValidation"].bool(default: false)
                : p["looseTypeValidation"].bool(default: false)
            conditions = .filter(FilterConditionsParameter(
                p["conditions"], loose: loose, ignoreCase: p["options"]["ignoreCase"].bool(default: true)))
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var trueItems: [Item] = []
        var falseItems: [Item] = []
        for (i, item) in input.main.enumerated() {
            do {
                let pass: Bool
                switch conditions {
                case .legacy(let legacy, let all):
                    pass = try legacy.evaluate(all: try all.value(for: i, in: context), itemIndex: i, context: context)
                case .filter(let filter):
                    pass = try filter.evaluate(itemIndex: i, context: context)
                }
                if pass { trueItems.append(item.paired(i)) } else { falseItems.append(item.paired(i)) }
            } catch {
                guard context.continueOnFail else { throw error }
                falseItems.append(item)
            }
        }
        return [trueItems, falseItems]
    }
}
