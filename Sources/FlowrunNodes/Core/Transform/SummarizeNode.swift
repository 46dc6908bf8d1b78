import FlowrunCore
import FlowrunExpressions

/// Summarize (`n8n-nodes-base.summarize`): pivot-table style aggregations (append, average,
/// concatenate, count, countUnique, max, min, sum), optionally split by fields.
struct SummarizeNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.summarize", typeVersions: [1, 1.1], displayName: "Summarize")

    struct Aggregation: Sendable {
        var aggregation: String
        var field: String
        var includeEmpty: Bool
        var separator: String
    }

    let version: Double
    let aggregations: [Aggregation]
    let fieldsToSplitBy: Param<String>
    let options: Param<JSONValue?>

    static let prefixes = [
        "append": "appended_", "average": "average_", "concatenate": "concatenated_", "count": "count_",
        "countUnique": "unique_count_", "max": "max_", "min": "min_", "sum": "sum_",
    ]

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        aggregations = p["fieldsToSummarize"]["values"].elements().map { v in
            let separateBy = v["separateBy"].raw.map(JS.string) ?? ","
            return Aggregation(
                aggregation: v["aggregation"].raw?.stringValue ?? "count",
                field: v["field"].raw.map(JS.string) ?? "",
                includeEmpty: v["includeEmpty"].raw?.boolValue ?? false,
                separator: separateBy == "other" ? (v["customSeparator"].raw.map(JS.string) ?? "") : separateBy)
        }
        fieldsToSplitBy = p["fieldsToSplitBy"].string(default: "")
        options = p["options"].value(default: .object([:]))
    }

    private struct Row {
        var json: JSONObject
        var index: Int
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let rows = input.main.enumerated().map { Row(json: $0.element.json, index: $0.offset) }
        let opts = try options.value(for: 0, in: context) ?? .object([:])
        let noDots = opts["disableDotNotation"]?.boolValue ?? false
        let singleItem = opts["outputFormat"]?.stringValue == "singleItem"
        let skipEmpty = opts["skipEmptySplitFields"]?.boolValue ?? false
        let splitBy = try fieldsToSplitBy.value(for: 0, in: context).split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        if !aggregations.contains(where: { !$0.field.isEmpty }) {
            throw context.error("You need to add at least one aggregation to 'Fields to Summarize' with non empty 'Field'")
        }
        func value(_ row: Row, _ field: String) -> JSONValue? {
            noDots ? row.json[field] : FieldPath.get(.object(row.json), field)
        }
        for a in aggregations where !a.field.isEmpty {
            if !rows.contains(where: { value($0, a.field) != nil }) {
                if version > 1 || (opts["continueIfFieldNotFound"]?.boolValue ?? false) { continue }
                throw context.error("The field '\(a.field)' does not exist in any items")
            }
        }
        func summarize(_ rows: [Row]) -> JSONObject {
            var out = JSONObject()
            for a in aggregations {
                out[(Self.prefixes[a.aggregation] ?? "count_") + a.field] = aggregate(rows.map { value($0, a.field) }, a)
            }
            return Self.cleanKeys(out)
        }
        func group(_ rows: [Row], _ keys: ArraySlice<String>) -> [(String, JSONValue?, [Row])] {
            guard let key = keys.first else { return [] }
            var groups: [(String, JSONValue?, [Row])] = []
            for row in rows {
                let v = value(row, key)
                var keyText: String
                switch v {
                case .object?, .array?, .null?: keyText = v!.jsonString()
                default: keyText = JS.string(v)
                }
                if skipEmpty, !(v?.numberValue != nil), !JS.truthy(v) { continue }
                if case .number? = v {} else if v == nil { keyText = "undefined" }
                if let i = groups.firstIndex(where: { $0.0 == keyText }) { groups[i].2.append(row) } else { groups.append((keyText, v, [row])) }
            }
            return Self.jsKeyOrder(groups)
        }
        let names = splitBy.map(Self.cleanName)
        if singleItem {
            func nest(_ rows: [Row], _ keys: ArraySlice<String>) -> JSONObject {
                if keys.isEmpty { return summarize(rows) }
                var o = JSONObject()
                for (k, _, members) in group(rows, keys) { o[k] = .object(nest(members, keys.dropFirst())) }
                return o
            }
            return [[Item(json: nest(rows, splitBy[...]), pairedItem: rows.map { PairedItem(item: $0.index) })]]
        }
        var output: [Item] = []
        func flatten(_ rows: [Row], _ keys: ArraySlice<String>, _ level: Int, _ prefix: JSONObject) {
            if keys.isEmpty {
                var json = prefix
                for (k, v) in summarize(rows) { json[k] = v }
                output.append(Item(json: json, pairedItem: rows.map { PairedItem(item: $0.index) }))
                return
            }
            for (k, _, members) in group(rows, keys) {
                var next = prefix
                next[names[level]] = version > 1 ? Self.originalValue(k) : .string(k)
                flatten(members, keys.dropFirst(), level + 1, next)
            }
        }
        flatten(rows, splitBy[...], 0, [:])
        return [output]
    }

    private func aggregate(_ values: [JSONValue?], _ a: Aggregation) -> JSONValue {
        func isEmpty(_ v: JSONValue?) -> Bool { v == nil || v == .null || v == .string("") }
        var data = values
        if a.aggregation == "average" || a.aggregation == "sum" {
            data = data.filter { $0?.numberValue != nil }
        }
        switch a.aggregation {
        case "append":
            if !a.includeEmpty { data = data.filter { !isEmpty($0) } }
            return .array(data.map { $0 ?? .null })
        case "concatenate":
            if !a.includeEmpty { data = data.filter { !isEmpty($0) } }
            return .string(data.map { v -> String in
                switch v {
                case nil: return "undefined"
                case .object?, .array?, .null?: return v!.jsonString()
                default: return JS.string(v)
                }
            }.joined(separator: a.separator))
        case "average":
            let sum = data.reduce(0.0) { $0 + ($1?.numberValue ?? 0) }
            return .number(sum / Double(data.count))
        case "sum":
            return .number(data.reduce(0.0) { $0 + ($1?.numberValue ?? 0) })
        case "min", "max":
            var best: JSONValue?
            for v in data where !isEmpty(v) {
                if best == nil || (a.aggregation == "min" ? JS.lessThan(v, best) : JS.greaterThan(v, best)) { best = v }
            }
            return best ?? .null
        case "countUnique":
            let kept = a.includeEmpty ? data : data.filter { !isEmpty($0) }
            // A JavaScript Set compares objects and arrays by reference: each counts once.
            return .number(Double(Set(kept.enumerated().map { i, v -> String in
                switch v {
                case .object?, .array?: return "ref#\(i)"
                default: return Lodash.canonical(v)
                }
            }).count))
        default:
            return .number(Double(a.includeEmpty ? data.count : data.filter { !isEmpty($0) }.count))
        }
    }

    /// `parseFieldName`: brackets and quotes removed, spaces and dots become `_`.
    static func cleanName(_ name: String) -> String {
        String(name.filter { $0 != "[" && $0 != "]" && $0 != "\"" }.map { $0 == " " || $0 == "." ? "_" : $0 })
    }

    /// `parseReturnData` over a result object.
    static func cleanKeys(_ object: JSONObject) -> JSONObject {
        var out = JSONObject()
        for (k, v) in object { out[cleanName(k)] = v }
        return out
    }

    /// `getOriginalFieldValue`: "null" → null, numeric text → number, else the text.
    static func originalValue(_ key: String) -> JSONValue {
        if key == "null" { return .null }
        let n = JS.number(.string(key))
        return n.isNaN ? .string(key) : .number(n)
    }

    /// JavaScript object key order: array-index keys ascending first, then insertion order.
    static func jsKeyOrder<T>(_ groups: [(String, JSONValue?, T)]) -> [(String, JSONValue?, T)] {
        func index(_ k: String) -> UInt32? {
            guard let n = UInt32(k), String(n) == k, n != UInt32.max else { return nil }
            return n
        }
        let numeric = groups.filter { index($0.0) != nil }.sorted { index($0.0)! < index($1.0)! }
        return numeric + groups.filter { index($0.0) == nil }
    }
}

