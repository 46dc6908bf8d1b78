/// Key lists that objects with the same keys in the same order share (their "shape").
///
/// Items of one input usually have the same keys, so one copy of the key list serves all of them
/// (copy-on-write keeps them apart when one object changes). Saves a key array per object and,
/// for objects with more than 15 keys, its hash table; the lookup is a short scan of the shapes
/// seen most recently, comparing counts first.
struct JSONObjectShapes {
    /// Most recently used first.
    private var recent: [OrderedSet<String>] = []
    static let capacity = 16

    /// An object with `keys` and `values` (in that order; a repeated key keeps its first place
    /// and its last value, as `object[key] = value` does), its key list shared when seen before.
    mutating func object(keys: ArraySlice<String>, values: ArraySlice<JSONValue>) -> JSONObject {
        for i in recent.indices where recent[i].count == keys.count && recent[i].elementsEqual(keys) {
            let shape = recent[i]
            if i > 0 { recent.swapAt(i, i - 1) }
            return JSONObject(uncheckedUniqueKeys: shape, values: values)
        }
        var object = JSONObject(minimumCapacity: keys.count)
        for (key, value) in zip(keys, values) { object[key] = value }
        // Only lists without repeated keys are shapes (the others are rare and not worth sharing).
        if object.count == keys.count {
            if recent.count == Self.capacity { recent.removeLast() }
            recent.insert(object.keys, at: 0)
        }
        return object
    }
}
