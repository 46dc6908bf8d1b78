import FlowrunCore
import FlowrunExpressions

/// Filter (`n8n-nodes-base.filter`): keeps the items that pass the conditions.
///
/// v1: legacy condition groups with `combineConditions` AND/OR. v2–v2.2: filter-type conditions.
/// With `options.allowedDiscardedItems`… n8n has no second output before v2.3; discarded items go nowhere.
struct FilterNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.filter", typeVersions: [1, 2, 2.1, 2.2], displayName: "Filter",
        outputNames: ["Kept"])

    let conditions: IfNode.Conditions

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        if c.typeVersion < 2 {
            let all = p["combineConditions"].choice(["AND", "OR"], default: "AND").map { $0 == "AND" }
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
        var kept: [Item] = []
        for (i, item) in input.main.enumerated() {
            do {
                let pass: Bool
                switch conditions {
                case .legacy(let legacy, let all):
                    pass = try legacy.evaluate(all: try all.value(for: i, in: context), itemIndex: i, context: context)
                case .filter(let filter):
                    pass = try filter.evaluate(itemIndex: i, context: context)
                }
                if pass { kept.append(item.paired(i)) }
            } catch {
                guard context.continueOnFail else { throw error }
            }
        }
        return [kept]
    }
}
