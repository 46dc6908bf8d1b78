import FlowrunCore
import FlowrunExpressions

/// Merge (`n8n-nodes-base.merge`): combines the items of its inputs.
///
/// v1: modes append, keepKeyMatches, mergeByIndex, mergeByKey, multiplex, passThrough,
/// removeKeyMatches, wait. v2/v2.1: append, combine (`combinationMode` mergeByFields /
/// mergeByPosition / multiplex), chooseBranch. v3–v3.2: append, combine (`combineBy`
/// combineByFields / combineByPosition / combineAll), chooseBranch, with `numberInputs` inputs.
/// SQL mode is not supported (reported at load time).
struct MergeNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.merge", typeVersions: [1, 2, 2.1, 3, 3.1, 3.2], displayName: "Merge", inputs: 2)

    let version: Double
    let mode: String
    let numberInputs: Int
    let p: Params

    /// Parameters, read with item 0 as n8n does.
    struct Params: Sendable {
        var combination: Param<String>
        var joinMode: Param<String>
        var outputDataFrom: Param<String>
        var fieldsToMatchString: Param<String>
        var advanced: Param<Bool>
        var mergeByFields: Param<JSONValue?>
        var options: Param<JSONValue?>
        var output: Param<String>
        var useDataOfInput: Param<Int>
        var propertyName1: Param<String>
        var propertyName2: Param<String>
        var join: Param<String>
        var overwrite: Param<String>
    }

    init(configuration c: NodeConfiguration) throws {
        let r = c.parameters
        version = c.typeVersion
        let modes = c.typeVersion < 2
            ? ["append", "keepKeyMatches", "mergeByIndex", "mergeByKey", "multiplex", "passThrough", "removeKeyMatches", "wait"]
            : ["append", "combine", "combineBySql", "chooseBranch"]
        mode = r["mode"].choice(modes, default: "append").constantValue ?? "append"
        if mode == "combineBySql" { r["mode"].report("SQL mode (combineBySql) is not supported by flowrun") }
        numberInputs = c.typeVersion >= 3 ? max(2, r["numberInputs"].int(default: 2).constantValue ?? 2) : 2
        p = Params(
            combination: c.typeVersion >= 3 ? r["combineBy"].string(default: "combineByFields") : r["combinationMode"].string(default: "mergeByFields"),
            joinMode: r["joinMode"].string(default: "keepMatches"),
            outputDataFrom: r["outputDataFrom"].string(default: "both"),
            fieldsToMatchString: r["fieldsToMatchString"].string(default: ""),
            advanced: r["advanced"].bool(default: false),
            mergeByFields: r["mergeByFields"]["values"].value(default: .array([])),
            options: r["options"].value(default: .object([:])),
            output: r["output"].string(default: c.typeVersion < 2 ? "input1" : (c.typeVersion < 3 ? "input1" : "specifiedInput")),
            useDataOfInput: r["useDataOfInput"].int(default: 1),
            propertyName1: r["propertyName1"].string(default: ""),
            propertyName2: r["propertyName2"].string(default: ""),
            join: r["join"].string(default: "left"),
            overwrite: r["overwrite"].string(default: "always"))
    }

    var inputCount: Int { numberInputs }

    var requiredInputs: RequiredInputs {
        if mode == "chooseBranch" || (version < 2 && mode == "wait") { return .inputs(Array(0..<numberInputs)) }
        return .count(1)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        if version < 2 { return [try executeV1(input, context: context)] }
        switch mode {
        case "append":
            return [(0..<numberInputs).flatMap { input.items($0) }]
        case "chooseBranch":
            return [try chooseBranch(input, context: context)]
        case "combine":
            return [try combine(input, context: context)]
        default:
            throw context.error("The mode \"\(mode)\" is not supported by flowrun")
        }
    }

    private func chooseBranch(_ input: NodeInput, context: ExecutionContext) throws -> [Item] {
        let output = try p.output.value(for: 0, in: context)
        switch output {
        case "input1": return input.items(0)
        case "input2": return input.items(1)
        case "specifiedInput":
            let index = try p.useDataOfInput.value(for: 0, in: context)
            if index > numberInputs {
                throw NodeError(.operation, "The input \(index) is not allowed.",
                                detail: "The node has only \(numberInputs) inputs, so selecting input \(index) is not possible.", node: context.nodeName)
            }
            return input.items(max(0, index - 1))
        case "empty":
            let paired = (0..<numberInputs).flatMap { input.items($0) }.flatMap { $0.pairedItem ?? [] }
            return [Item(json: [:], pairedItem: paired)]
        default: return []
        }
    }

    private func options(_ context: ExecutionContext) throws -> JSONValue {
        try p.options.value(for: 0, in: context) ?? .object([:])
    }

    private func combine(_ input: NodeInput, context: ExecutionContext) throws -> [Item] {
        let options = try options(context)
        let clash = MergeCombine.ClashOptions(options["clashHandling"]?["values"])
        var input1 = input.items(0)
        var input2 = input.items(1)
        switch try p.combination.value(for: 0, in: context) {
        case "multiplex", "combineAll":
            if clash.resolveClash == "preferInput1" { swap(&input1, &input2) }
            if clash.resolveClash == "addSuffix" {
                input1 = MergeCombine.addSuffix(input1, "1")
                input2 = MergeCombine.addSuffix(input2, "2")
            }
            var out: [Item] = []
            for a in input1 {
                for b in input2 {
                    out.append(Item(json: MergeCombine.merge(a.json, [b.json], clash),
                                    pairedItem: (a.pairedItem ?? []) + (b.pairedItem ?? [])))
                }
            }
            return out
        case "mergeByPosition", "combineByPosition":
            return combineByPosition(input, options: options, clash: clash)
        default:
            return try combineByFields(input1, input2, options: options, clash: clash, context: context)
        }
    }

    private func combineByPosition(_ input: NodeInput, options: JSONValue, clash: MergeCombine.ClashOptions) -> [Item] {
        let includeUnpaired = options["includeUnpaired"]?.boolValue ?? false
        var inputs = (0..<numberInputs).map { input.items($0) }
        if inputs.contains(where: \.isEmpty) && !includeUnpaired { return [] }
        if clash.resolveClash == "preferInput1" { inputs.reverse() }
        if clash.resolveClash == "addSuffix" {
            inputs = inputs.enumerated().map { MergeCombine.addSuffix($0.element, "\($0.offset + 1)") }
        }
        let nonEmpty = inputs.filter { !$0.isEmpty }
        if nonEmpty.count == 1 { return nonEmpty[0] }
        let count = includeUnpaired ? inputs.map(\.count).max() ?? 0 : inputs.map(\.count).min() ?? 0
        var out: [Item] = []
        for i in 0..<count {
            let present = inputs.compactMap { i < $0.count ? $0[i] : nil }
            if present.count == 1 {
                out.append(present[0])
                continue
            }
            out.append(Item(json: MergeCombine.merge(present[0].json, present.dropFirst().map(\.json), clash),
                            pairedItem: present.flatMap { $0.pairedItem ?? [] }))
        }
        return out
    }

    private func combineByFields(
        _ input1: [Item], _ input2: [Item], options: JSONValue, clash: MergeCombine.ClashOptions, context: ExecutionContext
    ) throws -> [Item] {
        var pairs: [(String, String)]
        if version >= 3, !(try p.advanced.value(for: 0, in: context)) {
            pairs = try p.fieldsToMatchString.value(for: 0, in: context).split(separator: ",", omittingEmptySubsequences: false)
                .map { let f = $0.trimmingSpaces; return (f, f) }
        } else {
            pairs = (try p.mergeByFields.value(for: 0, in: context))?.arrayValue?.map {
                (JS.string($0["field1"] ?? ""), JS.string($0["field2"] ?? ""))
            } ?? []
        }
        if pairs.isEmpty { pairs = [("", "")] }
        if let message = MergeCombine.checkMatchFields(pairs) { throw context.error(message) }
        let joinMode = try p.joinMode.value(for: 0, in: context)
        let outputDataFrom = try p.outputDataFrom.value(for: 0, in: context)
        let disableDots = options["disableDotNotation"]?.boolValue ?? false
        if version < 2.1 {
            if let f = MergeCombine.missingField(input1, pairs.map(\.0), disableDotNotation: disableDots) {
                throw context.error("Field '\(f)' is not present in any of items in 'Input 1'")
            }
            if let f = MergeCombine.missingField(input2, pairs.map(\.1), disableDotNotation: disableDots) {
                throw context.error("Field '\(f)' is not present in any of items in 'Input 2'")
            }
        }
        // From v2.1 an empty input short-cuts: the other input is returned as it is (no `_source`,
        // no merge) where the join keeps unmatched items of that side (n8n's keep_non_matches test).
        if version >= 2.1 && (input1.isEmpty || input2.isEmpty) {
            let emptyFirst = input1.isEmpty
            let other = emptyFirst ? input2 : input1
            switch joinMode {
            case "keepMatches": return []
            case "keepNonMatches":
                if outputDataFrom == "both" { return other }
                return (outputDataFrom == "input1") == !emptyFirst ? other : []
            case "keepEverything": return other
            case "enrichInput1": return emptyFirst ? [] : input1
            case "enrichInput2": return emptyFirst ? input2 : []
            default: return []
            }
        }
        // Enriching input 2 matches from its side: its items are the entries, input 1 the matches.
        let swap = joinMode == "enrichInput2"
        let matches = MergeCombine.findMatches(
            swap ? input2 : input1, swap ? input1 : input2, fields: swap ? pairs.map { ($0.1, $0.0) } : pairs, disableDotNotation: disableDots, fuzzy: options["fuzzyCompare"]?.boolValue ?? false,
            multipleMatches: options["multipleMatches"]?.stringValue ?? "all", outputDataFrom: outputDataFrom, joinMode: joinMode)
        switch joinMode {
        case "keepMatches", "keepEverything":
            var output: [Item] = []
            switch outputDataFrom {
            case "input1": output = matches.matched.map(\.entry)
            case "input2": output = matches.matched2
            default: output = MergeCombine.mergeMatched(matches.matched, clash)
            }
            if joinMode == "keepEverything" {
                var u1 = matches.unmatched1
                var u2 = matches.unmatched2
                if clash.resolveClash == "addSuffix" {
                    u1 = MergeCombine.addSuffix(u1, "1")
                    u2 = MergeCombine.addSuffix(u2, "2")
                }
                output += u1 + u2
            }
            return output
        case "keepNonMatches":
            switch outputDataFrom {
            case "input1": return matches.unmatched1
            case "input2": return matches.unmatched2
            default:
                func source(_ items: [Item], _ name: String) -> [Item] {
                    items.map { var c = $0; c.json["_source"] = .string(name); return c }
                }
                return source(matches.unmatched1, "input1") + source(matches.unmatched2, "input2")
            }
        case "enrichInput1", "enrichInput2":
            let merged = MergeCombine.mergeMatched(matches.matched, clash, joinMode: joinMode)
            let addSuffix = clash.resolveClash == "addSuffix"
            if joinMode == "enrichInput1" {
                return merged + (addSuffix ? MergeCombine.addSuffix(matches.unmatched1, "1") : matches.unmatched1)
            }
            return merged + (addSuffix ? MergeCombine.addSuffix(matches.unmatched1, "2") : matches.unmatched1)
        default:
            return []
        }
    }
}
