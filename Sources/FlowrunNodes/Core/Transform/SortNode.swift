import FlowrunCore
import FlowrunExpressions

/// Sort (`n8n-nodes-base.sort`): sorts items by fields (strings case-insensitively, lodash `lt`
/// otherwise, stable), or shuffles them. The `code` type needs a JavaScript comparator and is
/// not supported.
struct SortNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.sort", typeVersions: [1], displayName: "Sort")

    let type: String
    let fields: [(name: Param<String>, ascending: Bool)]
    let disableDotNotation: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        type = p["type"].choice(["simple", "random", "code"], default: "simple").constantValue ?? "simple"
        if type == "code" { p["type"].report("the code sort type needs a JavaScript comparator, which flowrun does not run in this node") }
        fields = p["sortFieldsUi"]["sortField"].elements().map {
            ($0["fieldName"].string(default: ""), ($0["order"].raw?.stringValue ?? "ascending") == "ascending")
        }
        disableDotNotation = p["options"]["disableDotNotation"].bool(default: false)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var items = input.main
        switch type {
        case "random":
            items.shuffle()
            return [items]
        case "simple":
            break
        default:
            throw context.error("The code sort type is not supported by flowrun")
        }
        if fields.isEmpty { throw context.error("No sorting specified. Please add a field to sort by") }
        let noDots = try disableDotNotation.value(for: 0, in: context)
        let names = try fields.map { try $0.name.value(for: 0, in: context) }
        func read(_ item: Item, _ name: String) -> JSONValue? {
            let v = noDots ? item.json[name] : FieldPath.get(.object(item.json), name)
            if case .string(let s)? = v { return .string(s.lowercased()) }
            return v
        }
        for name in names {
            let found = items.contains { read($0, name) != nil }
            if !found {
                if noDots && name.contains(".") {
                    throw NodeError(.operation, "Couldn't find the field '\(name)' in the input data",
                                    detail: "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options", node: context.nodeName)
                }
                throw context.error("Couldn't find the field '\(name)' in the input data")
            }
        }
        let keyed: [(index: Int, item: Item, keys: [JSONValue?])] = items.enumerated().map { entry in
            (index: entry.offset, item: entry.element, keys: names.map { n in read(entry.element, n) })
        }
        let sorted = keyed.sorted { a, b in
            for (i, field) in fields.enumerated() {
                if JS.deepEquals(a.keys[i], b.keys[i]) { continue }
                let less = Lodash.lt(a.keys[i], b.keys[i])
                return field.ascending ? less : !less
            }
            return a.index < b.index
        }
        return [sorted.map { $0.item }]
    }
}
