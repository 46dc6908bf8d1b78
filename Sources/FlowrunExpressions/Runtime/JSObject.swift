/// A JavaScript object: own enumerable properties in insertion order, by reference.
///
/// An object made from item data starts as a view of the immutable `JSONObject` and converts
/// members only when they are read, so `$json.a.b` costs two dictionary lookups and no copy.
/// The first write (or a full enumeration of values) materialises the members.
package final class JSObject: @unchecked Sendable {
    /// What kind of object this is, for `instanceof`, `toString` and member lookup.
    package enum Kind: Sendable, Equatable {
        case plain
        /// An `Error` (or subclass) instance: `name` and `message` are properties.
        case error(String)
        /// A global namespace (`Math`, `JSON`…); read-only.
        case builtin(String)
        /// An n8n data-proxy object (`$input`, `$('X')`…); its methods come from `DataProxy`.
        case proxy(String)
        /// A `Map` or `Set`; entries live in `collectionKeys`/`collectionValues`.
        case collection(String)
    }

    /// `Set` members or `Map` keys, in insertion order.
    package var collectionKeys: [JSValue] = []
    /// `Map` values, parallel to `collectionKeys`.
    package var collectionValues: [JSValue] = []

    package var kind: Kind
    private var json: JSONObject?
    private var cache: [String: JSValue] = [:]
    private var live: OrderedDictionary<String, JSValue>
    /// For proxy objects: the node (or other) name they stand for.
    package var tag: String = ""

    package init(_ properties: OrderedDictionary<String, JSValue> = [:], kind: Kind = .plain) {
        self.live = properties
        self.kind = kind
    }

    /// A lazy view of item data.
    package init(json: JSONObject) {
        self.json = json
        self.live = [:]
        self.kind = .plain
    }

    /// The members, materialised (converting any remaining JSON).
    package var properties: OrderedDictionary<String, JSValue> {
        get {
            materialize()
            return live
        }
        set {
            materialize()
            live = newValue
        }
    }

    private func materialize() {
        guard let json else { return }
        var out = OrderedDictionary<String, JSValue>(minimumCapacity: json.count)
        for (key, value) in json {
            out[key] = cache[key] ?? JSValue(json: value)
        }
        live = out
        self.json = nil
        cache = [:]
    }

    package func get(_ key: String) -> JSValue? {
        guard let json else { return live[key] }
        if let cached = cache[key] { return cached }
        guard let value = json[key] else { return nil }
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array, .object:
            let wrapped = JSValue(lazyJSON: value)
            cache[key] = wrapped
            return wrapped
        }
    }

    package func set(_ key: String, _ value: JSValue) {
        materialize()
        live[key] = value
    }

    @discardableResult
    package func remove(_ key: String) -> Bool {
        materialize()
        return live.removeValue(forKey: key) != nil
    }

    package func has(_ key: String) -> Bool {
        if let json { return json[key] != nil }
        return live[key] != nil
    }

    package var keys: [String] {
        if let json { return Array(json.keys) }
        return Array(live.keys)
    }

    package var count: Int { json?.count ?? live.count }

    /// The JSON this object still mirrors untouched, if no member was converted or changed.
    var untouchedJSON: JSONObject? { cache.isEmpty ? json : nil }
    /// The JSON backing and the members converted so far (for `toJSON` without materialising).
    var jsonBacking: (JSONObject, [String: JSValue])? { json.map { ($0, cache) } }
}

/// A JavaScript array: elements by reference, lazily converted from item data like `JSObject`.
package final class JSArray: @unchecked Sendable {
    /// Named properties of a match result (`index`, `input`, `groups`).
    package var extra: [String: JSValue] = [:]
    private var json: [JSONValue]?
    private var cache: [Int: JSValue] = [:]
    private var live: [JSValue]

    package init(_ elements: [JSValue] = []) {
        self.live = elements
    }

    package init(json: [JSONValue]) {
        self.json = json
        self.live = []
    }

    package var elements: [JSValue] {
        get {
            materialize()
            return live
        }
        set {
            materialize()
            live = newValue
        }
    }

    private func materialize() {
        guard let json else { return }
        var out: [JSValue] = []
        out.reserveCapacity(json.count)
        for (i, value) in json.enumerated() {
            out.append(cache[i] ?? JSValue(lazyJSON: value))
        }
        live = out
        self.json = nil
        cache = [:]
    }

    package var count: Int { json?.count ?? live.count }

    package func get(_ index: Int) -> JSValue? {
        guard let json else { return index >= 0 && index < live.count ? live[index] : nil }
        guard index >= 0, index < json.count else { return nil }
        if let cached = cache[index] { return cached }
        let value = json[index]
        switch value {
        case .array, .object:
            let wrapped = JSValue(lazyJSON: value)
            cache[index] = wrapped
            return wrapped
        default:
            return JSValue(lazyJSON: value)
        }
    }

    package func set(_ index: Int, _ value: JSValue) {
        materialize()
        if index < live.count {
            live[index] = value
        } else {
            while live.count < index { live.append(.undefined) }
            live.append(value)
        }
    }

    var untouchedJSON: [JSONValue]? { cache.isEmpty ? json : nil }
    var jsonBacking: ([JSONValue], [Int: JSValue])? { json.map { ($0, cache) } }
}
