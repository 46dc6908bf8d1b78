/// One n8n item: the unit of data that flows between nodes (n8n's `INodeExecutionData`).
///
/// `binary` and `error` are rare, so they live together in one optional box: an item is 40 bytes
/// instead of 88, which counts in the lists of 100,000s of items every node run keeps.
public struct Item: Sendable, Hashable {
    /// The item's data; always an object (n8n wraps scalars).
    public var json: JSONObject
    /// Which input item(s) of the producing node this item came from.
    public var pairedItem: [PairedItem]?
    private var rare: Rare?

    /// Binary properties by name (`data` by default), each n8n's `IBinaryData` as JSON
    /// (`data` base64 or storage id, `mimeType`, `fileName`, …).
    public var binary: JSONObject? {
        get { rare?.binary }
        set { rare = Rare.make(binary: newValue, error: rare?.error) }
    }

    /// A per-item error, for items produced by a node that continued on failure.
    public var error: JSONValue? {
        get { rare?.error }
        set { rare = Rare.make(binary: rare?.binary, error: newValue) }
    }

    public init(json: JSONObject = [:], binary: JSONObject? = nil, pairedItem: [PairedItem]? = nil, error: JSONValue? = nil) {
        self.json = json
        self.pairedItem = pairedItem
        self.rare = Rare.make(binary: binary, error: error)
    }

    /// The fields most items do not have; immutable, so copies of an item share it.
    private final class Rare: Sendable, Hashable {
        let binary: JSONObject?
        let error: JSONValue?

        private init(binary: JSONObject?, error: JSONValue?) {
            self.binary = binary
            self.error = error
        }

        static func make(binary: JSONObject?, error: JSONValue?) -> Rare? {
            binary == nil && error == nil ? nil : Rare(binary: binary, error: error)
        }

        static func == (a: Rare, b: Rare) -> Bool { a === b || (a.binary == b.binary && a.error == b.error) }

        func hash(into hasher: inout Hasher) {
            hasher.combine(binary)
            hasher.combine(error)
        }
    }
}

extension Item {
    /// Whether a top-level key starts with `$` (`$error`, `$json`): a byte test per key, so the
    /// engine's error normalisation does not look keys up in every item of every node.
    public var hasDollarKey: Bool {
        json.keys.contains { $0.utf8.first == UInt8(ascii: "$") }
    }
}

/// A link from an output item back to the input item it was made from (n8n's `IPairedItemData`).
public struct PairedItem: Sendable, Hashable {
    /// Index of the item in the input.
    public var item: Int
    /// Index of the input (0 when absent in n8n's data).
    public var input: Int

    public init(item: Int, input: Int = 0) {
        self.item = item
        self.input = input
    }
}

extension Item {
    /// Reads an item from its JSON form (`{"json": {...}, "binary": {...}, "pairedItem": ...}`).
    ///
    /// A bare object without a `json` key is taken as the item's json, as n8n's pinned data and
    /// Code node results allow.
    public init(jsonValue value: JSONValue) {
        guard case .object(let o) = value else {
            self.init(json: ["value": value])
            return
        }
        guard case .object(let json)? = o["json"] else {
            if o["json"] == nil {
                self.init(json: o)
            } else {
                self.init(json: [:])
            }
            return
        }
        self.init(json: json, binary: o["binary"]?.objectValue, pairedItem: PairedItem.list(from: o["pairedItem"]), error: o["error"])
    }

    /// The item in n8n's JSON form; `pairedItem` only when `includePairedItem`.
    public func jsonValue(includePairedItem: Bool = true) -> JSONValue {
        var o: JSONObject = ["json": .object(json)]
        if let binary { o["binary"] = .object(binary) }
        if includePairedItem, let pairedItem {
            o["pairedItem"] = pairedItem.count == 1 ? pairedItem[0].jsonValue : .array(pairedItem.map(\.jsonValue))
        }
        if let error { o["error"] = error }
        return .object(o)
    }
}

extension PairedItem {
    /// n8n's JSON form: `{"item": n}` or `{"item": n, "input": k}`.
    public var jsonValue: JSONValue {
        input == 0 ? ["item": .number(Double(item))] : ["item": .number(Double(item)), "input": .number(Double(input))]
    }

    /// Reads n8n's three spellings: a bare number, an object, or an array of objects.
    ///
    /// Indexes that are not whole numbers in `Int`'s range (NaN, 1e300, -1) are dropped: they come
    /// from hand-edited files and would otherwise trap.
    public static func list(from value: JSONValue?) -> [PairedItem]? {
        switch value {
        case .number(let n)?: return index(n).map { [PairedItem(item: $0)] }
        case .object(let o)?:
            guard let item = o["item"]?.numberValue.flatMap(index) else { return nil }
            let input = o["input"]?.numberValue.flatMap(index) ?? 0
            return [PairedItem(item: item, input: input)]
        case .array(let a)?: return a.compactMap { list(from: $0)?.first }
        default: return nil
        }
    }

    private static func index(_ n: Double) -> Int? {
        guard n >= 0, n < 1e15, n == n.rounded(.towardZero) else { return nil }
        return Int(n)
    }
}
