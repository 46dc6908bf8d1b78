import FlowrunCore
import FlowrunExpressions

/// Loop Over Items / Split In Batches (`n8n-nodes-base.splitInBatches`).
///
/// Keeps the remaining items in the node context between runs (`items`, `processedItems`,
/// `currentRunIndex`, `maxRunIndex`, `noItemsLeft`, `done`, readable as
/// `$node["X"].context["noItemsLeft"]`). v1: one output, no data once empty. v2: outputs
/// `loop`, `done`. v3: outputs `done`, `loop`; `done` carries every item fed back by the loop.
struct SplitInBatchesNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.splitInBatches", typeVersions: [1, 2, 2.1, 3], displayName: "Loop Over Items (Split in Batches)")

    let version: Double
    let batchSize: Param<Int>
    let reset: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        version = c.typeVersion
        batchSize = c.parameters["batchSize"].int(default: c.typeVersion >= 3 ? 1 : 10)
        reset = c.parameters["options"]["reset"].bool(default: false)
    }

    var outputCount: Int { version >= 2 ? 2 : 1 }
    var outputNames: [String] { version >= 3 ? ["done", "loop"] : (version >= 2 ? ["loop", "done"] : []) }

    private static func decode(_ value: JSONValue?) -> [Item] {
        value?.arrayValue?.map(Item.init(jsonValue:)) ?? []
    }

    private static func encode(_ items: [Item]) -> JSONValue {
        .array(items.map { $0.jsonValue() })
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main
        var state = context.state
        let size = max(1, try batchSize.value(for: 0, in: context))
        var returnItems: [Item]
        let resetRequested = try reset.value(for: 0, in: context)
        // v3: a loop that finished and gets new items starts over (a nested loop fed by its parent).
        let restart = version >= 3 && state["done"] == .bool(true) && !items.isEmpty
        if state["items"] == nil || resetRequested || restart {
            state["currentRunIndex"] = 0
            state["maxRunIndex"] = .number((Double(items.count) / Double(size)).rounded(.up))
            returnItems = Array(items.prefix(size))
            state["items"] = Self.encode(Array(items.dropFirst(size)))
            state["processedItems"] = .array([])
        } else {
            state["currentRunIndex"] = .number((state["currentRunIndex"]?.numberValue ?? 0) + 1)
            var remaining = Self.decode(state["items"])
            returnItems = Array(remaining.prefix(size))
            remaining.removeFirst(returnItems.count)
            state["items"] = Self.encode(remaining)
            returnItems = returnItems.map { item in
                var copy = item
                if copy.pairedItem == nil { copy.pairedItem = [PairedItem(item: 0)] }
                return copy
            }
            if version >= 2 {
                let fed = items.enumerated().map { index, item in
                    var copy = item
                    copy.pairedItem = [PairedItem(item: index)]
                    return copy
                }
                state["processedItems"] = Self.encode(Self.decode(state["processedItems"]) + fed)
            }
        }
        state["noItemsLeft"] = .bool(state["items"]?.arrayValue?.isEmpty ?? true)
        if returnItems.isEmpty {
            state["done"] = true
            context.state = state
            let processed = Self.decode(state["processedItems"])
            if version >= 3 { return [processed, []] }
            if version >= 2 { return [[], processed] }
            return []
        }
        state["done"] = false
        context.state = state
        return version >= 3 ? [[], returnItems] : (version >= 2 ? [returnItems, []] : [returnItems])
    }
}
