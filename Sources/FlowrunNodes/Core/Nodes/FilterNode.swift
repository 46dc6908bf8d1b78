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

    let conditions: ItemConditions

    init(configuration c: NodeConfiguration) throws {
        conditions = ItemConditions(c.parameters, typeVersion: c.typeVersion) {
            $0["combineConditions"].choice(["AND", "OR"], default: "AND").map { $0 == "AND" }
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var kept: [Item] = []
        for (i, item) in input.main.enumerated() {
            do {
                if try conditions.passes(itemIndex: i, context: context) { kept.append(item.paired(i)) }
            } catch {
                guard context.continueOnFail else { throw error }
            }
        }
        return [kept]
    }
}
