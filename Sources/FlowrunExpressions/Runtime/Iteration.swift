/// Spreading, `for…of`, `for…in`, `Object.entries` and destructuring over JavaScript values.
enum Iteration {
    /// The values `for (x of value)` visits.
    static func values(of value: JSValue, _ interp: Interpreter) throws -> [JSValue] {
        switch value {
        case .array(let a): return a.elements
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o) where o.kind == .collection("Set"):
            return o.collectionKeys
        case .object(let o) where o.kind == .collection("Map"):
            return zip(o.collectionKeys, o.collectionValues).map { .array(JSArray([$0, $1])) }
        default:
            throw interp.typeError("\(value.isNullish ? value.toJSString() : value.typeOf) is not iterable")
        }
    }

    /// Own enumerable string keys, in JavaScript order (integer keys first, ascending).
    static func keys(of value: JSValue) -> [String] {
        switch value {
        case .object(let o):
            if case .error = o.kind { return o.keys.filter { $0 != "message" && $0 != "stack" } }
            if case .collection = o.kind { return [] }
            return orderedKeys(o.keys)
        case .array(let a): return (0..<a.count).map(String.init)
        case .string(let s): return (0..<s.utf16.count).map(String.init)
        case .function(let f) where !f.isBuiltin: return Array(f.properties.keys)
        default: return []
        }
    }

    /// JavaScript's own-property order: array-index keys ascending, then the rest in insertion order.
    static func orderedKeys(_ keys: [String]) -> [String] {
        var indices: [(UInt32, String)] = []
        var others: [String] = []
        for key in keys {
            if let n = UInt32(key), String(n) == key, n != UInt32.max { indices.append((n, key)) } else { others.append(key) }
        }
        if indices.isEmpty { return keys }
        return indices.sorted { $0.0 < $1.0 }.map(\.1) + others
    }

    /// Own enumerable entries (for spread, `Object.entries`, `Object.assign`).
    static func ownEntries(of value: JSValue) -> [(String, JSValue)] {
        switch value {
        case .object(let o):
            return keys(of: value).map { ($0, o.get($0) ?? .undefined) }
        case .array(let a):
            return (0..<a.count).map { (String($0), a.get($0) ?? .undefined) }
        case .string(let s):
            return Array(s.utf16).enumerated().map { (String($0.offset), .string(String(decoding: [$0.element], as: UTF16.self))) }
        default:
            return []
        }
    }
}
