import FlowrunExpressions

extension Item {
    /// The item with `pairedItem = {item: index}` when it has none (n8n's
    /// `if (item.pairedItem === undefined) item.pairedItem = {item: index}`).
    func paired(_ index: Int) -> Item {
        var copy = self
        if copy.pairedItem == nil { copy.pairedItem = [PairedItem(item: index)] }
        return copy
    }

    /// `[PairedItem(item: index)]`, reusing the item's own list when it already says so (the
    /// engine stamps every input item that way): one allocation less per item.
    func lineage(_ index: Int) -> [PairedItem] {
        if let p = pairedItem, p.count == 1, p[0].item == index, p[0].input == 0 { return p }
        return [PairedItem(item: index)]
    }

    /// A new item `{json}` paired to input item `index`.
    static func derived(_ json: JSONObject, from index: Int, input: Int = 0) -> Item {
        Item(json: json, pairedItem: [PairedItem(item: index, input: input)])
    }
}
