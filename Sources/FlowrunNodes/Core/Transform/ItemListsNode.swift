import FlowrunCore
import FlowrunExpressions

/// Item Lists (`n8n-nodes-base.itemLists`, legacy): one node for what are now Split Out,
/// Aggregate, Remove Duplicates, Sort, Limit and Summarize. Operations: splitOutItems,
/// aggregateItems (v1–v2) / concatenateItems (v3), removeDuplicates, sort, limit, summarize.
struct ItemListsNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.itemLists", typeVersions: [1, 2, 2.1, 2.2, 3, 3.1], displayName: "Item Lists")

    enum Operation: Sendable {
        case splitOut(SplitOutNode)
        case legacySplitOut(version: Double, field: Param<String>, include: Param<String>, fieldsToInclude: Param<JSONValue?>,
                            destination: Param<String>, disableDotNotation: Param<Bool>)
        case aggregate(AggregateNode)
        case removeDuplicates(RemoveDuplicatesNode, version: Double)
        case sort(SortNode)
        case limit(LimitNode)
        case summarize(SummarizeNode)
    }

    let operation: Operation

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        let name = p["operation"].string(default: "splitOutItems").constantValue ?? "splitOutItems"
        switch name {
        case "splitOutItems":
            if c.typeVersion >= 3 {
                operation = .splitOut(try SplitOutNode(configuration: c))
            } else {
                operation = .legacySplitOut(
                    version: c.typeVersion,
                    field: p["fieldToSplitOut"].string(default: ""),
                    include: p["include"].string(default: "noOtherFields"),
                    fieldsToInclude: p["fieldsToInclude"].value(default: .object([:])),
                    destination: p["options"]["destinationFieldName"].string(default: ""),
                    disableDotNotation: p["options"]["disableDotNotation"].bool(default: false))
            }
        case "aggregateItems", "concatenateItems":
            var node = try AggregateNode(configuration: c)
            node.requireFields = c.typeVersion < 2.1
            operation = .aggregate(node)
        case "removeDuplicates":
            var copy = c
            copy.typeVersion = 1
            operation = .removeDuplicates(try RemoveDuplicatesNode(configuration: copy), version: c.typeVersion)
        case "sort":
            operation = .sort(try SortNode(configuration: c))
        case "limit":
            operation = .limit(try LimitNode(configuration: c))
        case "summarize":
            var copy = c
            copy.typeVersion = c.typeVersion >= 2.1 ? 1.1 : 1
            operation = .summarize(try SummarizeNode(configuration: copy))
        default:
            p["operation"].report("unknown operation \"\(name)\"")
            operation = .limit(try LimitNode(configuration: c))
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        switch operation {
        case .splitOut(let node): return try await node.execute(input, context: context)
        case .aggregate(let node): return try await node.execute(input, context: context)
        case .sort(let node): return try await node.execute(input, context: context)
        case .limit(let node): return try await node.execute(input, context: context)
        case .summarize(let node): return try await node.execute(input, context: context)
        case .removeDuplicates(let node, let version):
            var settings = try node.settings(context: context, everyItemNeedsFields: version < 3)
            settings.allowMixedTypes = version >= 3.1
            return [try RemoveDuplicates.run(input.main, settings, context: context)]
        case .legacySplitOut(let version, let fieldParam, let includeParam, let fieldsParam, let destinationParam, let noDotsParam):
            var output: [Item] = []
            for (i, item) in input.main.enumerated() {
                let field = try fieldParam.value(for: i, in: context)
                let noDots = try noDotsParam.value(for: 0, in: context)
                let destination = try destinationParam.value(for: i, in: context)
                let include = try includeParam.value(for: i, in: context)
                guard let value = noDots ? item.json[field] : FieldPath.get(.object(item.json), field) else {
                    // From v2.1 a missing field yields no items instead of failing.
                    if version >= 2.1 { continue }
                    if field.contains(".") && noDots {
                        throw NodeError(.operation, "Couldn't find the field '\(field)' in the input data",
                                        detail: "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options", node: context.nodeName)
                    }
                    throw context.error("Couldn't find the field '\(field)' in the input data", itemIndex: i)
                }
                let elements: [JSONValue]
                switch value {
                case .array(let a): elements = a
                case .object(let o): elements = Array(o.values)
                default: throw context.error("The provided field '\(field)' is not an array or object", itemIndex: i)
                }
                for element in elements {
                    var json = JSONObject()
                    if include == "selectedOtherFields" {
                        let fields = FieldList.parse(try fieldsParam.value(for: i, in: context))
                        if fields.isEmpty {
                            throw NodeError(.operation, "No fields specified", detail: "Please add a field to include", node: context.nodeName)
                        }
                        for f in fields where f != field {
                            json[f] = (noDots ? item.json[f] : FieldPath.get(.object(item.json), f)) ?? .null
                        }
                    } else if include == "allOtherFields" {
                        json = item.json
                        FieldPath.unset(&json, field)
                    }
                    if case .object(let o) = element, include == "noOtherFields", destination.isEmpty {
                        for (k, v) in o { json[k] = v }
                    } else {
                        json[destination.isEmpty ? field : destination] = element
                    }
                    output.append(Item(json: json, pairedItem: [PairedItem(item: i)]))
                }
            }
            return [output]
        }
    }
}

extension RemoveDuplicatesNode {
    func settings(context: ExecutionContext, everyItemNeedsFields: Bool) throws -> RemoveDuplicates.Settings {
        var s = RemoveDuplicates.Settings(
            compare: try compare.value(for: 0, in: context),
            fieldsToExclude: FieldList.parse(try fieldsToExclude.value(for: 0, in: context)),
            fieldsToCompare: FieldList.parse(try fieldsToCompare.value(for: 0, in: context)),
            disableDotNotation: try disableDotNotation.value(for: 0, in: context),
            removeOtherFields: try removeOtherFields.value(for: 0, in: context),
            typeVersion: version)
        s.everyItemNeedsFields = everyItemNeedsFields
        return s
    }
}
