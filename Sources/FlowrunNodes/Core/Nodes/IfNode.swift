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

    let conditions: ItemConditions

    init(configuration c: NodeConfiguration) throws {
        conditions = ItemConditions(c.parameters, typeVersion: c.typeVersion) {
            $0["combineOperation"].choice(["all", "any"], default: "all").map { $0 == "all" }
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var trueItems: [Item] = []
        var falseItems: [Item] = []
        for (i, item) in input.main.enumerated() {
            do {
                if try conditions.passes(itemIndex: i, context: context) { trueItems.append(item.paired(i)) } else { falseItems.append(item.paired(i)) }
            } catch {
                guard context.continueOnFail else { throw error }
                falseItems.append(item)
            }
        }
        return [trueItems, falseItems]
    }
}
