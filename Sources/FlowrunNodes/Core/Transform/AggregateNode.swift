import FlowrunCore
import FlowrunExpressions

/// Aggregate (`n8n-nodes-base.aggregate`): combines fields of all items into lists on one item
/// (or one item per `groupByFields` group).
struct AggregateNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.aggregate", typeVersions: [1], displayName: "Aggregate")

    struct Field: Sendable {
        var field: String
        var rename: Bool
        var outputName: String
    }

    let mode: String
    let fields: [Field]
    let destinationFieldName: Param<String>
    let fieldsToInclude: Param<JSONValue?>
    let fieldsToExclude: Param<JSONValue?>
    /// `include` (allFields, specifiedFields, allFieldsExcept) decides which list applies.
    let include: String
    let options: Param<JSONValue?>
    /// Item Lists before v2.1: a field found in no item is an error (unless keepMissing).
    var requireFields = false

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        mode = p["aggregate"].choice(["aggregateIndividualFields", "aggregateAllItemData"], default: "aggregateIndividualFields").constantValue ?? "aggregateIndividualFields"
        fields = p["fieldsToAggregate"]["fieldToAggregate"].elements().map {
            Field(field: $0["fieldToAggregate"].raw.map(JS.string) ?? "", rename: $0["renameField"].raw?.boolValue ?? false,
                  outputName: $0["outputFieldName"].raw.map(JS.string) ?? "")
        }
        destinationFieldName = p["destinationFieldName"].string(default: "data")
        fieldsToInclude = p["fieldsToInclude"].value(default: "")
        fieldsToExclude = p["fieldsToExclude"].value(default: "")
        include = p["include"].raw?.stringValue ?? "allFields"
        options = p["options"].value(default: .object([:]))
    }

    private func outputName(_ f: Field, noDots: Bool) -> String {
        if !f.outputName.isEmpty { return f.outputName }
        return !noDots && f.field.contains(".") ? String(f.field.split(separator: ".", omittingEmptySubsequences: false).last ?? "") : f.field
    }

    private func aggregateFields(_ jsons: [JSONObject], noDots: Bool, mergeLists: Bool, keepMissing: Bool,
                                 into target: inout JSONObject) {
        var values: [(String, [JSONValue])] = []
        for f in fields where !f.field.isEmpty {
            let name = outputName(f, noDots: noDots)
            var list: [JSONValue] = []
            for json in jsons {
                var value = noDots ? json[f.field] : FieldPath.get(.object(json), f.field)
                if !keepMissing {
                    if case .array(let a)? = value { value = .array(a.filter { !$0.isNull }) }
                    else if value == nil || value == .null { continue }
                }
                if case .array(let a)? = value, mergeLists { list += a } else { list.append(value ?? .null) }
            }
            if let i = values.firstIndex(where: { $0.0 == name }) { values[i].1 = list } else { values.append((name, list)) }
        }
        for (key, list) in values {
            if noDots { target[key] = .array(list) } else { FieldPath.set(&target, key, .array(list)) }
        }
    }

    private func filtered(_ jsons: [JSONObject], include: [String], exclude: [String]) -> [(Int, JSONObject)] {
        jsons.enumerated().compactMap { index, json in
            if include.isEmpty && exclude.isEmpty { return (index, json) }
            var out = JSONObject()
            for (k, v) in json where !exclude.contains(k) && (include.isEmpty || include.contains(k)) { out[k] = v }
            return out.isEmpty ? nil : (index, out)
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main
        let opts = try options.value(for: 0, in: context) ?? .object([:])
        let noDots = opts["disableDotNotation"]?.boolValue ?? false
        let mergeLists = opts["mergeLists"]?.boolValue ?? false
        let keepMissing = opts["keepMissing"]?.boolValue ?? false
        let groupBy = FieldList.parse(opts["groupByFields"])
        let destination = try destinationFieldName.value(for: 0, in: context)
        // n8n drops parameters that are not displayed: only the list `include` selects is read.
        let include = self.include == "specifiedFields" ? FieldList.parse(try fieldsToInclude.value(for: 0, in: context)) : []
        let exclude = self.include == "allFieldsExcept" ? FieldList.parse(try fieldsToExclude.value(for: 0, in: context)) : []
        if mode == "aggregateIndividualFields" {
            if fields.isEmpty {
                throw NodeError(.operation, "No fields specified", detail: "Please add a field to aggregate", node: context.nodeName)
            }
            if requireFields {
                for f in fields {
                    if f.field.isEmpty {
                        throw NodeError(.operation, "Field to aggregate is blank", detail: "Please add a field to aggregate", node: context.nodeName)
                    }
                    let found = items.contains { noDots ? $0.json[f.field] != nil : FieldPath.get(.object($0.json), f.field) != nil }
                    if !found && noDots && f.field.contains(".") {
                        throw NodeError(.operation, "Couldn't find the field '\(f.field)' in the input data",
                                        detail: "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options", node: context.nodeName)
                    } else if !found && !keepMissing {
                        throw context.error("Couldn't find the field '\(f.field)' in the input data")
                    }
                }
            }
            var seen: [String] = []
            for f in fields {
                let name = f.rename ? f.outputName : (groupBy.isEmpty ? f.field : outputName(f, noDots: noDots))
                if seen.contains(name) {
                    throw NodeError(.operation, "The '\(name)' output field is used more than once",
                                    detail: "Please make sure each output field name is unique", node: context.nodeName)
                }
                seen.append(name)
            }
        }
        if !groupBy.isEmpty {
            var groups: [(key: String, values: [JSONValue?], items: [Int])] = []
            for (index, item) in items.enumerated() {
                var values: [JSONValue?] = []
                for field in groupBy {
                    let v = FieldPath.get(.object(item.json), field)
                    if case .object? = v { throw nonScalar(field, context) }
                    if case .array? = v { throw nonScalar(field, context) }
                    values.append(v)
                }
                let key = values.map { $0.map { $0.jsonString() } ?? "null" }.joined(separator: ",")
                if let g = groups.firstIndex(where: { $0.key == key }) { groups[g].items.append(index) } else { groups.append((key, values, [index])) }
            }
            return [groups.map { group in
                var json = JSONObject()
                for (field, value) in zip(groupBy, group.values) { FieldPath.set(&json, field, value ?? .null) }
                let jsons = group.items.map { items[$0].json }
                if mode == "aggregateAllItemData" {
                    json[destination] = .array(filtered(jsons, include: include, exclude: exclude).map { .object($0.1) })
                } else {
                    aggregateFields(jsons, noDots: noDots, mergeLists: mergeLists, keepMissing: keepMissing, into: &json)
                }
                return Item(json: json, pairedItem: [PairedItem(item: group.items[0])])
            }]
        }
        if mode == "aggregateAllItemData" {
            let kept = filtered(items.map(\.json), include: include, exclude: exclude)
            return [[Item(json: [destination: .array(kept.map { .object($0.1) })], pairedItem: kept.map { PairedItem(item: $0.0) })]]
        }
        var json = JSONObject()
        aggregateFields(items.map(\.json), noDots: noDots, mergeLists: mergeLists, keepMissing: keepMissing, into: &json)
        return [[Item(json: json, pairedItem: items.indices.map { PairedItem(item: $0) })]]
    }

    private func nonScalar(_ field: String, _ context: ExecutionContext) -> NodeError {
        NodeError(.operation, "Field \"\(field)\" has a non-scalar value which cannot be used for grouping.",
                  detail: "Only scalar values (string, number, boolean, null) can be used in \"Group By Fields\".", node: context.nodeName)
    }
}
