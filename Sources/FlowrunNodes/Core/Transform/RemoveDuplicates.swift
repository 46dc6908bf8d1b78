import FlowrunCore
import FlowrunExpressions

/// The "remove duplicate input items" logic shared by Remove Duplicates and Item Lists
/// (RemoveDuplicates/utils.ts `removeDuplicateInputItems`): keeps the first item of each group of
/// items equal on the compared fields.
enum RemoveDuplicates {
    struct Settings {
        var compare: String
        var fieldsToExclude: [String]
        var fieldsToCompare: [String]
        var disableDotNotation: Bool
        var removeOtherFields: Bool
        var typeVersion: Double
        /// Item Lists before v3: every item must have every compared field.
        var everyItemNeedsFields = false
        /// Item Lists v3.1 compares fields whose type varies between items.
        var allowMixedTypes = false
    }

    static func run(_ items: [Item], _ s: Settings, context: ExecutionContext) throws -> [Item] {
        guard let first = items.first else { return [] }
        func flat(_ item: Item) -> [String] {
            s.disableDotNotation ? Array(item.json.keys) : Lodash.flattenKeys(item.json)
        }
        var keys = flat(first)
        for item in items {
            for key in flat(item) where !keys.contains(key) { keys.append(key) }
        }
        if s.compare == "allFieldsExcept" {
            if s.fieldsToExclude.isEmpty {
                throw context.error("No fields specified. Please add a field to exclude from comparison")
            }
            if !s.disableDotNotation { keys = Lodash.flattenKeys(first.json) }
            keys = keys.filter { !s.fieldsToExclude.contains($0) }
        }
        if s.compare == "selectedFields" {
            if s.fieldsToCompare.isEmpty { throw context.error("No fields specified. Please add a field to compare on") }
            keys = s.fieldsToCompare
        }
        func read(_ item: Item, _ key: String) -> JSONValue? {
            s.disableDotNotation ? item.json[key] : FieldPath.get(.object(item.json), key)
        }
        // n8n sorts by the compared values (isEqual, then lodash lt), validates types in that
        // order, then drops each item equal to the last kept one.
        let sorted = JSSort.sort(items.enumerated().map { (index: $0.offset, item: $0.element) }) { a, b in
            for key in keys {
                let x = read(a.item, key)
                let y = read(b.item, key)
                if JS.deepEquals(x, y) { continue }
                return Lodash.lt(x, y) ? -1 : 1
            }
            return 0
        }
        for key in keys {
            if key.isEmpty { throw context.error("Name of field to compare is blank") }
            var type: String?
            for (i, entry) in sorted.enumerated() {
                let value = read(entry.item, key)
                if value == .null && s.typeVersion > 1 { continue }
                if value == nil && (i == 0 || s.everyItemNeedsFields) {
                    throw context.error("'\(key)' field is missing from some input items")
                }
                if !s.allowMixedTypes, let type, value != nil, type != JS.typeOf(value) {
                    throw NodeError(.operation, "'\(key)' isn't always the same type",
                                    detail: "The type of this field varies between items", node: context.nodeName)
                }
                type = JS.typeOf(value)
            }
        }
        var removed = Set<Int>()
        if s.allowMixedTypes {
            // v3.1 compares every item with the ones kept before it (no sort), so values of
            // different types are never mistaken for neighbours.
            var kept: [Item] = []
            for (index, item) in items.enumerated() {
                if kept.contains(where: { k in keys.allSatisfy { JS.deepEquals(read(item, $0), read(k, $0)) } }) {
                    removed.insert(index)
                } else {
                    kept.append(item)
                }
            }
        } else if var kept = sorted.first {
            for entry in sorted.dropFirst() {
                if keys.allSatisfy({ JS.deepEquals(read(entry.item, $0), read(kept.item, $0)) }) {
                    removed.insert(entry.index)
                } else {
                    kept = entry
                }
            }
        }
        var output = items.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        if s.removeOtherFields {
            output = output.enumerated().map { index, item in
                Item(json: Lodash.pick(item.json, keys), pairedItem: [PairedItem(item: index)])
            }
        }
        return output
    }
}

/// Remove Duplicates (`n8n-nodes-base.removeDuplicates`). v1/v1.1: duplicate input items. v2:
/// also the cross-execution operations, which need a deduplication store and are reported as
/// unsupported at run time.
struct RemoveDuplicatesNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.removeDuplicates", typeVersions: [1, 1.1, 2], displayName: "Remove Duplicates")

    let version: Double
    let operation: String
    let compare: Param<String>
    let fieldsToExclude: Param<JSONValue?>
    let fieldsToCompare: Param<JSONValue?>
    let disableDotNotation: Param<Bool>
    let removeOtherFields: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        operation = c.typeVersion >= 2 ? (p["operation"].raw?.stringValue ?? "removeDuplicateInputItems") : "removeDuplicateInputItems"
        compare = p["compare"].choice(["allFields", "allFieldsExcept", "selectedFields"], default: "allFields")
        fieldsToExclude = p["fieldsToExclude"].value(default: "")
        fieldsToCompare = p["fieldsToCompare"].value(default: "")
        disableDotNotation = p["options"]["disableDotNotation"].bool(default: false)
        removeOtherFields = p["options"]["removeOtherFields"].bool(default: false)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        guard operation == "removeDuplicateInputItems" else {
            throw context.error("The operation \"\(operation)\" needs a deduplication store, which flowrun does not provide yet")
        }
        let settings = RemoveDuplicates.Settings(
            compare: try compare.value(for: 0, in: context),
            fieldsToExclude: FieldList.parse(try fieldsToExclude.value(for: 0, in: context)),
            fieldsToCompare: FieldList.parse(try fieldsToCompare.value(for: 0, in: context)),
            disableDotNotation: try disableDotNotation.value(for: 0, in: context),
            removeOtherFields: try removeOtherFields.value(for: 0, in: context),
            typeVersion: version)
        return [try RemoveDuplicates.run(input.main, settings, context: context)]
    }
}
