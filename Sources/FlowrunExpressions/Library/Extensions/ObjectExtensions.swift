/// n8n's object and boolean extensions (`object-extensions.ts`, `boolean-extensions.ts`).
enum ObjectExtensions {
    static func pairs(_ value: ExtensionValue) -> [(key: String, value: ExtensionValue)] {
        ArrayExtensions.spread(value)
    }

    /// Recursively drops null, undefined, `""`, `"nil"` and empty objects.
    static func compact(_ value: ExtensionValue) -> ExtensionValue {
        var result: [(key: String, value: ExtensionValue)] = []
        for (key, val) in pairs(value) {
            switch val {
            case .null, .undefined: continue
            case .string(let s) where s.isEmpty || s == "nil": continue
            case .object, .array:
                if val.keys.isEmpty { continue }
                result.append((key, compact(val)))
            default:
                result.append((key, val))
            }
        }
        return .object(result)
    }

    static func matchArgument(_ args: [ExtensionValue], _ message: String) throws -> String {
        guard let first = args.first, case .string(let match) = first, !match.isEmpty else { throw ExtensionError(message) }
        return match
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "isEmpty": { v, _, _ in .bool(v.keys.isEmpty) },
        "isNotEmpty": { v, _, _ in .bool(!v.keys.isEmpty) },
        "hasField": { v, args, _ in .bool(v.hasKey(args.first?.jsString ?? "undefined")) },
        "removeField": { v, args, _ in
            let name = args.first?.jsString ?? "undefined"
            guard v.hasKey(name) else { return v }
            return .object(pairs(v).filter { $0.key != name })
        },
        "removeFieldsContaining": { v, args, _ in
            let match = try matchArgument(args, "removeFieldsContaining(): expected non-empty string arg")
            return .object(pairs(v).filter { pair in
                if case .string(let s) = pair.value, s.contains(match) { return false }
                return true
            })
        },
        "keepFieldsContaining": { v, args, _ in
            let match = try matchArgument(args, "argument of keepFieldsContaining must be a non-empty string")
            return .object(pairs(v).filter { pair in
                if case .string(let s) = pair.value { return s.contains(match) }
                return false
            })
        },
        "compact": { v, _, _ in compact(v) },
        "urlEncode": { v, _, _ in
            .string(pairs(v).map { URIEncoding.formEncode($0.key) + "=" + URIEncoding.formEncode($0.value.jsString) }.joined(separator: "&"))
        },
        "keys": { v, _, _ in .array(v.keys.map(ExtensionValue.string)) },
        "values": { v, _, _ in .array(pairs(v).map(\.value)) },
        "toJsonString": { v, _, _ in v.jsonString().map(ExtensionValue.string) ?? .undefined },
        "toInt": { _, _, _ in .undefined },
        "toFloat": { _, _, _ in .undefined },
        "toBoolean": { _, _, _ in .undefined },
        "toDateTime": { _, _, _ in .undefined },
    ]
}

enum BooleanExtensions {
    static func bool(_ value: ExtensionValue) -> Bool {
        if case .bool(let b) = value { return b }
        return value.isTruthy
    }

    static let functions: [String: ExtensionRegistry.Function] = [
        "toBoolean": { v, _, _ in .bool(bool(v)) },
        "toInt": { v, _, _ in .number(bool(v) ? 1 : 0) },
        "toFloat": { v, _, _ in .number(bool(v) ? 1 : 0) },
        "toNumber": { v, _, _ in .number(bool(v) ? 1 : 0) },
        "toDateTime": { _, _, _ in .undefined },
    ]
}
