import FlowrunExpressions

/// The combine helpers shared by Merge v2 and v3 (Merge/v2/GenericFunctions.ts,
/// Merge/v3/helpers/utils.ts): clash handling, lodash-style merges and field matching.
enum MergeCombine {
    /// `options.clashHandling.values`.
    struct ClashOptions: Sendable {
        var resolveClash: String?
        var mergeMode: String?
        var overrideEmpty = false

        init(_ value: JSONValue?) {
            resolveClash = value?["resolveClash"]?.stringValue
            mergeMode = value?["mergeMode"]?.stringValue
            overrideEmpty = value?["overrideEmpty"]?.boolValue ?? false
        }
    }

    /// `addSuffixToEntriesKeys`.
    static func addSuffix(_ items: [Item], _ suffix: String) -> [Item] {
        items.map { item in
            var copy = item
            copy.json = JSONObject(uniqueKeysWithValues: item.json.map { ("\($0.key)_\(suffix)", $0.value) })
            return copy
        }
    }

    /// `selectMergeMethod(clashHandling)(target, ...sources)`.
    static func merge(_ target: JSONObject, _ sources: [JSONObject], _ options: ClashOptions) -> JSONObject {
        var result = target
        let shallow = options.mergeMode == "shallowMerge"
        for source in sources {
            if shallow {
                for (k, v) in source {
                    if options.overrideEmpty, isEmptyish(v), result[k] != nil { continue }
                    result[k] = v
                }
            } else {
                deepMerge(&result, source, overrideEmpty: options.overrideEmpty)
            }
        }
        return result
    }

    private static func isEmptyish(_ v: JSONValue) -> Bool {
        v == .null || v == .string("")
    }

    /// lodash `merge` (or `mergeWith` with n8n's override-empty customizer).
    static func deepMerge(_ target: inout JSONObject, _ source: JSONObject, overrideEmpty: Bool = false) {
        for (key, value) in source {
            if overrideEmpty, isEmptyish(value), target[key] != nil { continue }
            target[key] = mergeValue(target[key], value, overrideEmpty: overrideEmpty)
        }
    }

    private static func mergeValue(_ existing: JSONValue?, _ value: JSONValue, overrideEmpty: Bool) -> JSONValue {
        switch value {
        case .object(let src):
            var base: JSONObject = existing?.objectValue ?? [:]
            deepMerge(&base, src, overrideEmpty: overrideEmpty)
            return .object(base)
        case .array(let src):
            var base: [JSONValue] = existing?.arrayValue ?? []
            for (i, element) in src.enumerated() {
                if i < base.count {
                    if overrideEmpty, isEmptyish(element) { continue }
                    base[i] = mergeValue(base[i], element, overrideEmpty: overrideEmpty)
                } else {
                    base.append(mergeValue(nil, element, overrideEmpty: overrideEmpty))
                }
            }
            return .array(base)
        default:
            return value
        }
    }

    /// Field equality: lodash `isEqual`, or n8n's fuzzy compare.
    static func equal(_ a: JSONValue?, _ b: JSONValue?, fuzzy: Bool) -> Bool {
        FuzzyCompare.equal(a, b, fuzzy: fuzzy)
    }

    struct Match {
        var entry: Item
        var matches: [Item]
    }

    struct Matches {
        var matched: [Match] = []
        var matched2: [Item] = []
        var unmatched1: [Item] = []
        var unmatched2: [Item] = []
    }

    /// `findMatches`.
    static func findMatches(
        _ input1: [Item], _ input2: [Item], fields: [(String, String)], disableDotNotation: Bool, fuzzy: Bool,
        multipleMatches: String, outputDataFrom: String, joinMode: String
    ) -> Matches {
        var result = Matches()
        var matchedInInput2 = Set<Int>()
        func read(_ item: Item, _ field: String) -> JSONValue? {
            disableDotNotation ? item.json[field] : FieldPath.get(.object(item.json), field)
        }
        for entry1 in input1 {
            var lookup: [(String, JSONValue?)] = []
            for (field1, field2) in fields {
                if let i = lookup.firstIndex(where: { $0.0 == field2 }) { lookup[i].1 = read(entry1, field1) } else { lookup.append((field2, read(entry1, field1))) }
            }
            if lookup.contains(where: { $0.1 == nil }) {
                result.unmatched1.append(entry1)
                continue
            }
            var found: [(Item, Int)] = []
            for (index, entry2) in input2.enumerated() {
                if lookup.allSatisfy({ equal($0.1, read(entry2, $0.0), fuzzy: fuzzy) }) {
                    found.append((entry2, index))
                    if multipleMatches != "all" { break }
                }
            }
            for (_, index) in found { matchedInInput2.insert(index) }
            if !found.isEmpty {
                if outputDataFrom == "both" || joinMode == "enrichInput1" || joinMode == "enrichInput2" {
                    for (match, _) in found { result.matched.append(Match(entry: entry1, matches: [match])) }
                } else {
                    result.matched.append(Match(entry: entry1, matches: found.map(\.0)))
                }
            } else {
                result.unmatched1.append(entry1)
            }
        }
        for (i, entry) in input2.enumerated() {
            if matchedInInput2.contains(i) { result.matched2.append(entry) } else { result.unmatched2.append(entry) }
        }
        return result
    }

    /// `mergeMatched`.
    static func mergeMatched(_ matched: [Match], _ options: ClashOptions, joinMode: String? = nil) -> [Item] {
        var output: [Item] = []
        for match in matched {
            var entry = match.entry
            var matches = match.matches
            var json: JSONObject = [:]
            var resolve = options.resolveClash
            if resolve == "addSuffix" {
                entry = addSuffix([entry], "1")[0]
                matches = addSuffix(matches, "2")
                json = merge(entry.json, matches.map(\.json), options)
            } else {
                if resolve == nil { resolve = joinMode != "enrichInput2" ? "preferLast" : "preferInput1" }
                if resolve == "preferInput1", let first = matches.first {
                    json = merge(first.json, matches.dropFirst().map(\.json) + [entry.json], options)
                }
                if resolve == "preferLast" {
                    json = merge(entry.json, matches.map(\.json), options)
                }
            }
            let paired = (entry.pairedItem ?? []) + matches.flatMap { $0.pairedItem ?? [] }
            output.append(Item(json: json, pairedItem: paired))
        }
        return output
    }

    /// `checkMatchFieldsInput`; the error message when pairs are incomplete.
    static func checkMatchFields(_ pairs: [(String, String)]) -> String? {
        if pairs.count == 1 && pairs[0].0.isEmpty && pairs[0].1.isEmpty {
            return "You need to define at least one pair of fields in \"Fields to Match\" to match on"
        }
        for (index, pair) in pairs.enumerated() where pair.0.isEmpty || pair.1.isEmpty {
            return "You need to define both fields in \"Fields to Match\" for pair \(index + 1),\n                field 1 = '\(pair.0)'\n                field 2 = '\(pair.1)'"
        }
        return nil
    }

    /// `checkInput` (Merge before v2.1): every match field must occur in some item.
    static func missingField(_ items: [Item], _ fields: [String], disableDotNotation: Bool) -> String? {
        for field in fields {
            let present = items.contains { item in
                disableDotNotation ? item.json[field] != nil : FieldPath.get(.object(item.json), field) != nil
            }
            if !present { return field }
        }
        return nil
    }
}
