/// n8n's array extensions (`array-extensions.ts`).
enum ArrayExtensions {
    static func items(_ value: ExtensionValue) -> [ExtensionValue] {
        if case .array(let items) = value { return items }
        return []
    }

    static func ensureNumbers(_ items: [ExtensionValue], _ name: String) throws -> [Double] {
        try items.map { item in
            guard case .number(let n) = item else { throw ExtensionError("\(name)(): all array elements must be numbers") }
            return n
        }
    }

    /// lodash `uniqWith(isEqual)`, optionally comparing only some keys of objects.
    static func unique(_ items: [ExtensionValue], keys: [String]) -> [ExtensionValue] {
        func projection(_ item: ExtensionValue) -> ExtensionValue {
            guard !keys.isEmpty, item.isTruthy, item.isObjectLike else { return item }
            return .object(keys.map { (key: $0, value: item.hasKey($0) ? item[$0] : .undefined) })
        }
        var result: [ExtensionValue] = []
        var seen: [ExtensionValue] = []
        for item in items {
            let p = projection(item)
            if !seen.contains(where: { $0.deepEquals(p) }) {
                seen.append(p)
                result.append(item)
            }
        }
        return result
    }

    static func otherArray(_ args: [ExtensionValue], _ message: String) throws -> [ExtensionValue] {
        guard let first = args.first, case .array(let others) = first else { throw ExtensionError(message) }
        return others
    }

    static func pairs(_ value: ExtensionValue) -> [(key: String, value: ExtensionValue)]? {
        if case .object(let pairs) = value { return pairs }
        return nil
    }

    /// `{...value}` for what `typeof` calls an object (null spreads to nothing, arrays to indexes).
    static func spread(_ value: ExtensionValue) -> [(key: String, value: ExtensionValue)] {
        switch value {
        case .object(let p): return p
        case .array(let list): return list.enumerated().map { (String($0.offset), $0.element) }
        default: return []
        }
    }

    /// n8n's `mergeObjects`: keys of `other` that `value` lacks are added.
    static func mergeObjects(_ value: ExtensionValue, _ other: ExtensionValue) throws -> [(key: String, value: ExtensionValue)] {
        guard other.isTruthy else { return spread(value) }
        guard other.typeOf == "object" else { throw ExtensionError("merge(): expected object arg") }
        var merged = spread(value)
        for pair in spread(other) where !merged.contains(where: { $0.key == pair.key }) { merged.append(pair) }
        return merged
    }

    static func assign(_ target: inout [(key: String, value: ExtensionValue)], _ source: [(key: String, value: ExtensionValue)]) {
        for pair in source {
            if let index = target.firstIndex(where: { $0.key == pair.key }) { target[index].value = pair.value } else { target.append(pair) }
        }
    }

    static func merge(_ value: [ExtensionValue], _ args: [ExtensionValue], keepAll: Bool) throws -> ExtensionValue {
        let othersValue = args.first ?? .undefined
        if case .undefined = othersValue {
            var merged: [(key: String, value: ExtensionValue)] = []
            for item in value {
                if case .object = item { merged = try mergeObjects(.object(merged), item) }
            }
            return .object(merged)
        }
        guard case .array(let others) = othersValue else {
            throw ExtensionError("merge(): expected array arg, e.g. .merge([{ id: 1, otherValue: 3 }])")
        }
        var merged: [(key: String, value: ExtensionValue)] = []
        for i in 0..<max(value.count, others.count) {
            let mine = i < value.count ? value[i] : .undefined
            let theirs = i < others.count ? others[i] : .undefined
            if keepAll {
                if case .object = mine {
                    if case .object = theirs { assign(&merged, try mergeObjects(mine, theirs)) } else { assign(&merged, spread(mine)) }
                } else if case .object = theirs {
                    assign(&merged, spread(theirs))
                }
            } else if mine.typeOf == "object", theirs.typeOf == "object" {
                assign(&merged, try mergeObjects(mine, theirs))
            }
        }
        return .object(merged)
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "removeDuplicates": { v, args, _ in .array(unique(items(v), keys: args.map(\.jsString))) },
        "unique": { v, args, _ in .array(unique(items(v), keys: args.map(\.jsString))) },
        "first": { v, _, _ in items(v).first ?? .undefined },
        "last": { v, _, _ in items(v).last ?? .undefined },
        "pluck": { v, args, _ in
            if args.isEmpty { return v }
            let fields = args.map(\.jsString)
            var result: [ExtensionValue] = []
            for item in items(v) {
                guard item.isTruthy, item.isObjectLike else { continue }
                var found: [ExtensionValue] = []
                for pair in spread(item) where fields.contains(pair.key) {
                    for field in fields where field == pair.key { found.append(pair.value) }
                }
                if !found.isEmpty { result.append(found.count == 1 ? found[0] : .array(found)) }
            }
            return .array(result)
        },
        "randomItem": { v, _, _ in items(v).randomElement() ?? .undefined },
        "sum": { v, _, _ in .number(try ensureNumbers(items(v), "sum").reduce(0, +)) },
        "min": { v, _, _ in
            let numbers = try ensureNumbers(items(v), "min")
            if numbers.contains(where: \.isNaN) { return .number(.nan) }
            return .number(numbers.min() ?? .infinity)
        },
        "max": { v, _, _ in
            let numbers = try ensureNumbers(items(v), "max")
            if numbers.contains(where: \.isNaN) { return .number(.nan) }
            return .number(numbers.max() ?? -.infinity)
        },
        "average": { v, _, _ in .number(try average(items(v))) },
        "isNotEmpty": { v, _, _ in .bool(!items(v).isEmpty) },
        "isEmpty": { v, _, _ in .bool(items(v).isEmpty) },
        "compact": { v, _, _ in .array(compact(items(v))) },
        "smartJoin": { v, args, _ in
            guard args.count >= 2, case .string(let keyField) = args[0], case .string(let valueField) = args[1],
                  !keyField.isEmpty, !valueField.isEmpty else {
                throw ExtensionError("smartJoin(): expected two string args, e.g. .smartJoin(\"name\", \"value\")")
            }
            var result: [(key: String, value: ExtensionValue)] = []
            for item in items(v) {
                guard pairs(item) != nil, item.hasKey(keyField), item.hasKey(valueField) else { continue }
                assign(&result, [(item[keyField].jsString, item[valueField])])
            }
            return .object(result)
        },
        "chunk": { v, args, _ in
            guard let first = args.first, case .number(let size) = first, size != 0 else {
                throw ExtensionError("chunk(): expected non-zero numeric arg, e.g. .chunk(5)")
            }
            guard size > 0 else { throw ExtensionError("chunk(): expected a positive numeric arg, e.g. .chunk(5)") }
            let list = items(v)
            let step = max(1, Int(size.rounded(.up)))
            return .array(stride(from: 0, to: list.count, by: step).map { .array(Array(list[$0..<min($0 + step, list.count)])) })
        },
        "renameKeys": { v, args, _ in
            guard !args.isEmpty, args.count % 2 == 0 else {
                throw ExtensionError("renameKeys(): expected an even amount of args: from1, to1 [, from2, to2, ...]. e.g. .renameKeys(\"name\", \"title\")")
            }
            let renames = stride(from: 0, to: args.count, by: 2).map { (args[$0].jsString, args[$0 + 1].jsString) }
            return .array(items(v).map { item in
                guard var p = pairs(item) else { return item }
                for (from, to) in renames {
                    guard let index = p.firstIndex(where: { $0.key == from }) else { continue }
                    let moved = p.remove(at: index).value
                    assign(&p, [(to, moved)])
                }
                return .object(p)
            })
        },
        "merge": { v, args, _ in try merge(items(v), args, keepAll: false) },
        "mergeIntoObject": { v, args, _ in try merge(items(v), args, keepAll: true) },
        "union": { v, args, _ in
            let others = try otherArray(args, "union(): expected array arg, e.g. .union([1, 2, 3, 4])")
            var result = items(v)
            for item in others where !result.contains(where: { $0.deepEquals(item) }) { result.append(item) }
            return .array(unique(result, keys: []))
        },
        "difference": { v, args, _ in
            let others = try otherArray(args, "difference(): expected array arg, e.g. .difference([1, 2, 3, 4])")
            return .array(unique(items(v).filter { item in !others.contains { $0.deepEquals(item) } }, keys: []))
        },
        "intersection": { v, args, _ in
            let others = try otherArray(args, "intersection(): expected array arg, e.g. .intersection([1, 2, 3, 4])")
            let mine = items(v)
            let result = mine.filter { item in others.contains { $0.deepEquals(item) } }
                + others.filter { item in mine.contains { $0.deepEquals(item) } }
            return .array(unique(result, keys: []))
        },
        "append": { v, args, _ in .array(items(v) + args) },
        "toJsonString": { v, _, _ in v.jsonString().map(ExtensionValue.string) ?? .undefined },
        "toInt": { _, _, _ in .undefined },
        "toFloat": { _, _, _ in .undefined },
        "toBoolean": { _, _, _ in .undefined },
        "toDateTime": { _, _, _ in .undefined },
    ]

    static func average(_ list: [ExtensionValue]) throws -> Double {
        let numbers = try ensureNumbers(list, "average")
        if numbers.isEmpty { return 0 }
        return numbers.reduce(0, +) / Double(numbers.count)
    }

    static func compact(_ list: [ExtensionValue]) -> [ExtensionValue] {
        list.compactMap { item in
            switch item {
            case .null, .undefined: return nil
            case .string(let s) where s.isEmpty || s == "nil": return nil
            case .object(let p):
                if p.isEmpty { return nil }
                return ObjectExtensions.compact(item)
            case .array(let a):
                if a.isEmpty { return nil }
                return ObjectExtensions.compact(item)
            default: return item
            }
        }
    }
}
