import FlowrunExpressions

/// n8n's Code-node validation of an all-items result (`validateRunCodeAllItems` in nodes-base's
/// result-validation, with n8n-core's `normalizeItems`), applied by flowrun to the array as it
/// crossed the wire: the JavaScript runner sends an all-items array as the text `JSON.stringify`
/// made of it (`"unvalidated": true`), as n8n's runner sends its result to n8n's Code node, which
/// validates it there. The same rules and messages as `runners/js/results.js` (`validateAllItems`),
/// which still validates the other shapes (a single object, per-item results).
enum RunnerResultValidation {
    /// Keys an item may have at its top level (n8n's `REQUIRED_N8N_ITEM_KEYS`).
    static func isItemKey(_ key: String) -> Bool {
        switch key {
        case "json", "binary", "pairedItem", "error", "metadata", "index": true
        default: false
        }
    }

    /// The items of an all-items result that is a JSON array, in n8n's item form.
    ///
    /// - Throws: `TaskRunnerError` with n8n's message (`.validation` for its `ValidationError`s,
    ///   `.userCode` for normalizeItems' "Inconsistent item format").
    static func allItems(_ elements: [JSONValue]) throws(TaskRunnerError) -> [JSONValue] {
        var anyItemKey = false
        var withJSON = 0
        var withBinary = 0
        for element in elements {
            guard case .object(let object) = element else {
                throw TaskRunnerError(
                    .validation, "Code doesn't return items properly",
                    description: "Please return an array of objects, one for each item you would like to output.")
            }
            for key in object.keys {
                guard isItemKey(key) else { continue }
                anyItemKey = true
                if key == "json" { withJSON += 1 } else if key == "binary" { withBinary += 1 }
            }
        }
        if anyItemKey {
            for (index, element) in elements.enumerated() { try topLevelKeys(element.objectValue ?? [:], index: index) }
        }
        let items: [JSONValue]
        if withJSON == elements.count {
            items = elements
        } else if withJSON > 0 || (withBinary > 0 && withBinary < elements.count) {
            throw TaskRunnerError(.userCode, "Inconsistent item format")
        } else if withBinary > 0 {
            items = elements.map { element in
                var json = element.objectValue ?? [:]
                let binary = json.removeValue(forKey: "binary") ?? .null
                return ["json": .object(json), "binary": binary]
            }
        } else {
            items = elements.map { ["json": $0] }
        }
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else { continue }
            guard case .object = object["json"] else {
                throw TaskRunnerError(
                    .validation, "A 'json' property isn't an object [item \(index)]",
                    description: "In the returned data, every key named 'json' must point to an object.", itemIndex: index)
            }
            if let binary = object["binary"], binary.objectValue == nil {
                throw TaskRunnerError(
                    .validation, "A 'binary' property isn't an object [item \(index)]",
                    description: "In the returned data, every key named 'binary' must point to an object.", itemIndex: index)
            }
        }
        return items
    }

    /// n8n's validateTopLevelKeys: no keys beside the item keys.
    private static func topLevelKeys(_ item: JSONObject, index: Int) throws(TaskRunnerError) {
        var reserved: String?
        var unknown: String?
        for key in item.keys {
            if isItemKey(key) {
                reserved = reserved ?? key
            } else if unknown == nil {
                unknown = key
            }
        }
        guard let unknown else { return }
        if let reserved {
            throw TaskRunnerError(
                .validation, "Invalid output format [item \(index)]",
                description: "An output item contains the reserved key <code>\(reserved)</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href=\"https://docs.n8n.io/data/data-structure/#data-structure\" target=\"_blank\">Example</a>",
                itemIndex: index)
        }
        throw TaskRunnerError(
            .validation, "Unknown top-level item key: \(unknown) [item \(index)]",
            description: "Access the properties of an item under `.json`, e.g. `item.json`", itemIndex: index)
    }
}
