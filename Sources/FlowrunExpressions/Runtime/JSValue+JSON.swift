extension JSValue {
    /// A JSON document as a fresh JavaScript value, converted eagerly.
    package init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(JSArray(a.map(JSValue.init(json:))))
        case .object(let o):
            var properties = OrderedDictionary<String, JSValue>(minimumCapacity: o.count)
            for (key, value) in o { properties[key] = JSValue(json: value) }
            self = .object(JSObject(properties))
        }
    }

    /// A JSON document as a JavaScript value whose objects and arrays convert their members on
    /// first read (each call makes new objects: a fresh copy as far as mutation goes).
    package init(lazyJSON json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(JSArray(json: a))
        case .object(let o): self = .object(JSObject(json: o))
        }
    }

    /// The value as `JSON.parse(JSON.stringify(value))` would see it, with `undefined` as null at
    /// the top level: object members that are `undefined` or functions are dropped, array
    /// elements that are become null, non-finite numbers become null, Dates and DateTimes become
    /// ISO strings.
    package func toJSON() -> JSONValue {
        toJSONOrNil() ?? .null
    }

    /// `toJSON()`, but nil where `JSON.stringify` would omit the value.
    package func toJSONOrNil(depth: Int = 0) -> JSONValue? {
        guard depth < 512 else { return .null }
        switch self {
        case .undefined, .function: return nil
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n.isFinite ? .number(n) : .null
        case .string(let s): return .string(s)
        case .array(let a):
            if let json = a.untouchedJSON { return .array(json) }
            if let (json, cache) = a.jsonBacking {
                return .array(json.indices.map { i in cache[i].map { $0.toJSONOrNil(depth: depth + 1) ?? .null } ?? json[i] })
            }
            return .array(a.elements.map { $0.toJSONOrNil(depth: depth + 1) ?? .null })
        case .object(let o):
            if let json = o.untouchedJSON { return .object(json) }
            if let (json, cache) = o.jsonBacking {
                var out = JSONObject(minimumCapacity: json.count)
                for (key, value) in json {
                    if let converted = cache[key] {
                        if let j = converted.toJSONOrNil(depth: depth + 1) { out[key] = j }
                    } else {
                        out[key] = value
                    }
                }
                return .object(out)
            }
            // JavaScript's own-key order: integer keys first, as JSON.stringify writes them.
            var out = JSONObject(minimumCapacity: o.count)
            for key in Iteration.keys(of: self) {
                if let json = o.get(key)?.toJSONOrNil(depth: depth + 1) { out[key] = json }
            }
            return .object(out)
        case .regex: return .object([:])
        case .date(let d): return ExtensionValue.isoString(ms: d.milliseconds).map(JSONValue.string) ?? .null
        case .dateTime(let dt): return dt.toISO().map(JSONValue.string) ?? .null
        case .duration(let d): return d.toISO().map(JSONValue.string) ?? .null
        }
    }
}
