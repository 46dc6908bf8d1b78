import FlowrunCore
import FlowrunExpressions
import Foundation

/// Sort (`n8n-nodes-base.sort`): sorts items by fields (strings case-insensitively, lodash `lt`
/// otherwise, stable), shuffles them, or sorts with a JavaScript comparator body (`code`, run in
/// the Code node's task runner with `a` and `b` as items).
struct SortNode: Node {
    static let description = NodeDescription(type: "n8n-nodes-base.sort", typeVersions: [1], displayName: "Sort")

    let type: String
    let fields: [(name: Param<String>, ascending: Bool)]
    let disableDotNotation: Param<Bool>
    let code: String

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        type = p["type"].choice(["simple", "random", "code"], default: "simple").constantValue ?? "simple"
        fields = p["sortFieldsUi"]["sortField"].elements().map {
            ($0["fieldName"].string(default: ""), ($0["order"].raw?.stringValue ?? "ascending") == "ascending")
        }
        disableDotNotation = p["options"]["disableDotNotation"].bool(default: false)
        code = p["code"].raw?.stringValue ?? "// The two items to compare are in the variables a and b\n// Access the fields in a.json\n// return -1 if a should go before b\n// return 1 if b should go before a\n// return 0 if there's no difference\n\nfieldName = 'myField';\n\nlet x = a.json[fieldName];\nlet y = b.json[fieldName];\nif (x < y) { return -1; }\nif (x > y) { return 1; }\nreturn 0;"
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
            return [try await sortWithCode(items, context: context)]
        }
        if fields.isEmpty { throw context.error("No sorting specified. Please add a field to sort by") }
        let noDots = try disableDotNotation.value(for: 0, in: context)
        let names = try fields.map { try $0.name.value(for: 0, in: context) }
        func read(_ item: Item, _ name: String) -> JSONValue? {
            let v = noDots ? item.json[name] : FieldPath.get(.object(item.json), name)
            if case .string(let s)? = v { return .string(s.lowercased()) }
            return v
        }
        // Sorts item indexes against precomputed keys, one flat list (`width` keys per item):
        // moving Ints instead of (item, keys) tuples saves a retain/release storm on every swap
        // of a 10,000-item sort, and one list instead of one per item saves an allocation each.
        let width = names.count
        var keys: [JSONValue?] = []
        keys.reserveCapacity(items.count * width)
        for item in items {
            for name in names { keys.append(read(item, name)) }
        }
        for (column, name) in names.enumerated() {
            let found = stride(from: column, to: keys.count, by: width).contains { keys[$0] != nil }
            if !found {
                if noDots && name.utf8.contains(UInt8(ascii: ".")) {
                    throw NodeError(.operation, "Couldn't find the field '\(name)' in the input data",
                                    detail: "If you're trying to use a nested field, make sure you turn off 'disable dot notation' in the node options", node: context.nodeName)
                }
                throw context.error("Couldn't find the field '\(name)' in the input data")
            }
        }
        let directions = fields.map { $0.ascending ? 1 : -1 }
        let order: [Int]
        if let numbers = Self.numbers(keys) {
            // Every key a number (the usual case): compared as Doubles, as below, without
            // copying a JSONValue per comparison.
            order = JSSort.sort(Array(items.indices)) { a, b in
                for i in 0..<width {
                    let x = numbers[a &* width &+ i], y = numbers[b &* width &+ i]
                    if x == y || (x.isNaN && y.isNaN) { continue }
                    return (x < y ? -1 : 1) * directions[i]
                }
                return 0
            }
        } else {
            order = JSSort.sort(Array(items.indices)) { a, b in
                for i in 0..<width {
                    let x = keys[a &* width &+ i], y = keys[b &* width &+ i]
                    // Numbers compared directly: what deepEquals and lt do for them.
                    if case .number(let m)? = x, case .number(let n)? = y {
                        if m == n || (m.isNaN && n.isNaN) { continue }
                        return (m < n ? -1 : 1) * directions[i]
                    }
                    if JS.deepEquals(x, y) { continue }
                    let less = Lodash.lt(x, y)
                    return (less ? -1 : 1) * directions[i]
                }
                return 0
            }
        }
        return [order.map { items[$0] }]
    }

    /// The keys as Doubles when every one is a number.
    static func numbers(_ keys: [JSONValue?]) -> [Double]? {
        var out: [Double] = []
        out.reserveCapacity(keys.count)
        for key in keys {
            guard case .number(let n)? = key else { return nil }
            out.append(n)
        }
        return out
    }

    /// n8n runs `newItems.sort((a, b) => { <code> })` in a sandbox; flowrun runs the same in the
    /// Code node's JavaScript task runner.
    private func sortWithCode(_ items: [Item], context: ExecutionContext) async throws -> [Item] {
        if code.range(of: #"\breturn\b"#, options: .regularExpression) == nil {
            throw context.error("Sort code doesn't return. Please add a 'return' statement to your code")
        }
        let script = "const newItems = $input.all();\nnewItems.sort((a, b) => {\n\(code)\n});\nreturn newItems;"
        let sorted = try await CodeRun.run(language: .javaScript, kind: .code, mode: "runOnceForAllItems", code: script,
                                           items: items, pool: TaskRunnerPool.shared, context: context)
        return sorted
    }
}
