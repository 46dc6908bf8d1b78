import FlowrunCore
import FlowrunExpressions

extension MergeNode {
    /// Merge v1 (Merge/v1/MergeV1.node.ts).
    func executeV1(_ input: NodeInput, context: ExecutionContext) throws -> [Item] {
        let input1 = input.items(0)
        let input2 = input.items(1)
        switch mode {
        case "append":
            return input1 + input2
        case "mergeByIndex":
            let join = try p.join.value(for: 0, in: context)
            if input1.isEmpty { return ["inner", "left"].contains(join) ? [] : input2 }
            if input2.isEmpty { return ["left", "outer"].contains(join) ? input1 : [] }
            let count = join == "inner" ? min(input1.count, input2.count) : (join == "outer" ? max(input1.count, input2.count) : input1.count)
            var out: [Item] = []
            for i in 0..<count {
                if i >= input1.count { out.append(input2[i]); continue }
                if i >= input2.count { out.append(input1[i]); continue }
                var json = input1[i].json
                for (k, v) in input2[i].json { json[k] = v }
                out.append(Item(json: json, pairedItem: (input1[i].pairedItem ?? []) + (input2[i].pairedItem ?? [])))
            }
            return out
        case "multiplex":
            var out: [Item] = []
            for a in input1 {
                for b in input2 {
                    var json = a.json
                    for (k, v) in b.json { json[k] = v }
                    out.append(Item(json: json, pairedItem: (a.pairedItem ?? []) + (b.pairedItem ?? [])))
                }
            }
            return out
        case "passThrough":
            return try p.output.value(for: 0, in: context) == "input2" ? input2 : input1
        case "wait":
            return [Item(json: [:])]
        case "mergeByKey", "keepKeyMatches", "removeKeyMatches":
            return try byKey(input1, input2, context: context)
        default:
            throw context.error("The mode \"\(mode)\" is not known!")
        }
    }

    private static func keyString(_ value: JSONValue) -> String {
        switch value {
        case .string, .number: return JS.string(value)
        case .null: return "null"
        default: return value.jsonString()
        }
    }

    private func byKey(_ input1: [Item], _ input2: [Item], context: ExecutionContext) throws -> [Item] {
        let name1 = try p.propertyName1.value(for: 0, in: context)
        let name2 = try p.propertyName2.value(for: 0, in: context)
        if input2.isEmpty || name1.isEmpty || name2.isEmpty {
            return mode == "keepKeyMatches" ? [] : input1
        }
        var copy: [String: Item] = [:]
        for entry in input2 {
            guard let key = FieldPath.get(.object(entry.json), name2), JS.truthy(key) else { continue }
            copy[Self.keyString(key)] = entry
        }
        let overwrite = try p.overwrite.value(for: 0, in: context)
        var out: [Item] = []
        for entry in input1 {
            guard let reference = FieldPath.get(.object(entry.json), name1) else {
                if mode != "keepKeyMatches" { out.append(entry) }
                continue
            }
            let match = copy[Self.keyString(reference)]
            switch mode {
            case "keepKeyMatches":
                if match != nil { out.append(entry) }
            case "removeKeyMatches":
                if match == nil { out.append(entry) }
            default:
                guard let match else {
                    out.append(entry)
                    continue
                }
                var json = entry.json
                for (k, v) in match.json {
                    switch overwrite {
                    case "undefined" where json[k] != nil: continue
                    case "blank" where JS.truthy(json[k]): continue
                    default: json[k] = v
                    }
                }
                out.append(Item(json: json, pairedItem: (entry.pairedItem ?? []) + (match.pairedItem ?? [])))
            }
        }
        return out
    }
}
