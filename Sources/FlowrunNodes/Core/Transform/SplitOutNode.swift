import FlowrunCore
import FlowrunExpressions

/// Split Out (`n8n-nodes-base.splitOut`): one output item per element of a list field.
struct SplitOutNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.splitOut", typeVersions: [1], displayName: "Split Out")

    let fieldToSplitOut: Param<String>
    let include: Param<String>
    let fieldsToInclude: Param<JSONValue?>
    let disableDotNotation: Param<Bool>
    let destinationFieldName: Param<String>
    let includeBinary: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        fieldToSplitOut = p["fieldToSplitOut"].string(default: "")
        include = p["include"].choice(["noOtherFields", "allOtherFields", "selectedOtherFields"], default: "noOtherFields")
        fieldsToInclude = p["fieldsToInclude"].value(default: "")
        let options = p["options"]
        disableDotNotation = options["disableDotNotation"].bool(default: false)
        destinationFieldName = options["destinationFieldName"].string(default: "")
        includeBinary = options["includeBinary"].bool(default: false)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var output: [Item] = []
        for (i, source) in input.main.enumerated() {
            let fields = try fieldToSplitOut.value(for: i, in: context).split(separator: ",", omittingEmptySubsequences: false).map { f -> String in
                let t = f.trimmingSpaces
                return t.hasPrefix("$json.") ? String(t.dropFirst(6)) : t
            }
            let noDots = try disableDotNotation.value(for: i, in: context)
            let destinations = try destinationFieldName.value(for: i, in: context).split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            if !destinations.isEmpty && destinations.count != fields.count {
                throw context.error("If multiple fields to split out are given, the same number of destination fields must be given")
            }
            let includeMode = try include.value(for: i, in: context)
            let multiSplit = fields.count > 1
            let item = source.json
            var split: [Item] = []
            for (entryIndex, field) in fields.enumerated() {
                var destination = entryIndex < destinations.count ? destinations[entryIndex] : ""
                if FieldPath.segments(destination).contains(where: { ["__proto__", "constructor", "prototype"].contains($0) }) {
                    destination = ""
                }
                var elements: [JSONValue]
                var binaries: [(String, JSONValue)] = []
                if field == "$binary" {
                    binaries = (source.binary ?? [:]).map { ($0.key, $0.value) }
                    elements = binaries.map { _ in .null }
                } else {
                    let value = noDots ? item[field] : FieldPath.get(.object(item), field)
                    switch value {
                    case nil: elements = []
                    case .array(let a)?: elements = a
                    case .object(let o)?: elements = Array(o.values)
                    case let v?: elements = [v]
                    }
                }
                for (elementIndex, element) in elements.enumerated() {
                    while split.count <= elementIndex { split.append(Item(json: [:], pairedItem: [PairedItem(item: i)])) }
                    let fieldName = destination.isEmpty ? field : destination
                    if field == "$binary" {
                        var b = split[elementIndex].binary ?? [:]
                        b[binaries[elementIndex].0] = binaries[elementIndex].1
                        split[elementIndex].binary = b
                        continue
                    }
                    if case .object(let o) = element, includeMode == "noOtherFields", destination.isEmpty, !multiSplit {
                        var json = split[elementIndex].json
                        for (k, v) in o { json[k] = v }
                        split[elementIndex].json = json
                    } else if !destination.isEmpty && !noDots {
                        FieldPath.set(&split[elementIndex].json, fieldName, element)
                    } else {
                        split[elementIndex].json[fieldName] = element
                    }
                }
            }
            for var entry in split {
                if includeMode == "allOtherFields" {
                    var copy = item
                    for field in fields {
                        if noDots { copy.removeValue(forKey: field) } else { FieldPath.unset(&copy, field) }
                    }
                    for (k, v) in entry.json { copy[k] = v }
                    entry.json = copy
                }
                if includeMode == "selectedOtherFields" {
                    let include = FieldList.parse(try fieldsToInclude.value(for: i, in: context))
                    if include.isEmpty {
                        throw NodeError(.operation, "No fields specified", detail: "Please add a field to include", node: context.nodeName, itemIndex: i)
                    }
                    for field in include {
                        if let v = noDots ? item[field] : FieldPath.get(.object(item), field) { entry.json[field] = v }
                    }
                }
                if try includeBinary.value(for: i, in: context), entry.binary == nil, let b = source.binary {
                    entry.binary = b
                }
                output.append(entry)
            }
        }
        return [output]
    }
}
