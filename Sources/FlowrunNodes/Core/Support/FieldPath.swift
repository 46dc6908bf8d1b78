import FlowrunExpressions

/// lodash's `get`, `set`, `unset` and `has` over JSON values, as n8n nodes use them for
/// dot-notation field names (`a.b[0].c`, `a["b.c"]`).
enum FieldPath {
    /// lodash `stringToPath`: `a.b[0]["c.d"]` → `["a", "b", "0", "c.d"]`.
    static func segments(_ path: String) -> [String] {
        var result: [String] = []
        let chars = Array(path)
        if chars.first == "." { result.append("") }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "[" {
                var j = i + 1
                var key = ""
                if j < chars.count, chars[j] == "\"" || chars[j] == "'" {
                    let quote = chars[j]
                    j += 1
                    while j < chars.count, chars[j] != quote {
                        if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                        key.append(chars[j])
                        j += 1
                    }
                    j += 1
                } else {
                    while j < chars.count, chars[j] != "]" {
                        key.append(chars[j])
                        j += 1
                    }
                }
                while j < chars.count, chars[j] != "]" { j += 1 }
                result.append(key)
                i = j + 1
            } else if c == "." || c == "]" {
                i += 1
            } else {
                var key = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[", chars[i] != "]" {
                    key.append(chars[i])
                    i += 1
                }
                result.append(key)
            }
        }
        return result
    }

    /// lodash `isKey`: a path without `.`/`[` (or one that is itself a key of `object`) is a
    /// single key.
    static func isKey(_ path: String, in object: JSONValue?) -> Bool {
        // A byte scan: Foundation's `contains` on strings goes through NSString and was the
        // Set node's hottest call.
        if !path.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") }) { return true }
        if case .object(let o)? = object, o[path] != nil { return true }
        return false
    }

    /// lodash `get(object, path)`; nil for `undefined`.
    static func get(_ object: JSONValue?, _ path: String) -> JSONValue? {
        if isKey(path, in: object) { return member(object, path) }
        var current = object
        for segment in segments(path) {
            current = member(current, segment)
            if current == nil { return nil }
        }
        return current
    }

    /// `object[key]` for objects, arrays (index or `length`) and strings.
    static func member(_ value: JSONValue?, _ key: String) -> JSONValue? {
        switch value {
        case .object(let o)?: return o[key]
        case .array(let a)?:
            if key == "length" { return .number(Double(a.count)) }
            if let i = Int(key), i >= 0, i < a.count { return a[i] }
            return nil
        case .string(let s)?:
            if key == "length" { return .number(Double(s.utf16.count)) }
            if let i = Int(key), i >= 0, i < s.count { return .string(String(Array(s)[i])) }
            return nil
        default: return nil
        }
    }

    /// lodash `has(object, path)`.
    static func has(_ object: JSONValue?, _ path: String) -> Bool {
        if isKey(path, in: object) {
            if case .object(let o)? = object { return o[path] != nil }
            return member(object, path) != nil
        }
        var current = object
        for segment in segments(path) {
            switch current {
            case .object(let o)?:
                guard let next = o[segment] else { return false }
                current = next
            case .array?:
                guard let next = member(current, segment) else { return false }
                current = next
            default: return false
            }
        }
        return true
    }

    /// lodash `set(object, path, value)` on an item's json.
    static func set(_ object: inout JSONObject, _ path: String, _ value: JSONValue) {
        if isKey(path, in: .object(object)) {
            object[path] = value
            return
        }
        let keys = segments(path)
        guard let first = keys.first else { return }
        var root = JSONValue.object(object)
        setPath(&root, keys[...], value)
        if case .object(let o) = root { object = o } else { object[first] = value }
    }

    private static func isIndex(_ key: String) -> Bool {
        guard let i = Int(key), i >= 0 else { return false }
        return String(i) == key
    }

    private static func setPath(_ node: inout JSONValue, _ keys: ArraySlice<String>, _ value: JSONValue) {
        guard let key = keys.first else {
            node = value
            return
        }
        let rest = keys.dropFirst()
        switch node {
        case .object(var o):
            var child = o[key] ?? .null
            if rest.isEmpty {
                child = value
            } else {
                if !isContainer(child) { child = isIndex(rest.first!) ? .array([]) : .object([:]) }
                setPath(&child, rest, value)
            }
            o[key] = child
            node = .object(o)
        case .array(var a):
            guard let i = Int(key), i >= 0 else { return }
            while a.count <= i { a.append(.null) }
            var child = a[i]
            if rest.isEmpty {
                child = value
            } else {
                if !isContainer(child) { child = isIndex(rest.first!) ? .array([]) : .object([:]) }
                setPath(&child, rest, value)
            }
            a[i] = child
            node = .array(a)
        default:
            return
        }
    }

    private static func isContainer(_ v: JSONValue) -> Bool {
        switch v {
        case .object, .array: true
        default: false
        }
    }

    /// lodash `unset(object, path)`.
    static func unset(_ object: inout JSONObject, _ path: String) {
        if isKey(path, in: .object(object)) {
            object.removeValue(forKey: path)
            return
        }
        var root = JSONValue.object(object)
        unsetPath(&root, segments(path)[...])
        if case .object(let o) = root { object = o }
    }

    private static func unsetPath(_ node: inout JSONValue, _ keys: ArraySlice<String>) {
        guard let key = keys.first else { return }
        let rest = keys.dropFirst()
        switch node {
        case .object(var o):
            if rest.isEmpty {
                o.removeValue(forKey: key)
            } else if var child = o[key] {
                unsetPath(&child, rest)
                o[key] = child
            }
            node = .object(o)
        case .array(var a):
            guard let i = Int(key), i >= 0, i < a.count, !rest.isEmpty else { return }
            unsetPath(&a[i], rest)
            node = .array(a)
        default: return
        }
    }
}

