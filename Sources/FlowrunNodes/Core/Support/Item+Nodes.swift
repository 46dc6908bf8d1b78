import FlowrunExpressions

extension Item {
    /// The item with `pairedItem = {item: index}` when it has none (n8n's
    /// `if (item.pairedItem === undefined) item.pairedItem = {item: index}`).
    func paired(_ index: Int) -> Item {
        var copy = self
        if copy.pairedItem == nil { copy.pairedItem = [PairedItem(item: index)] }
        return copy
    }

    /// A new item `{json}` paired to input item `index`.
    static func derived(_ json: JSONObject, from index: Int, input: Int = 0) -> Item {
        Item(json: json, pairedItem: [PairedItem(item: index, input: input)])
    }
}
