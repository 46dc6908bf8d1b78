/// Adds fields to objects, reusing the resulting key list for objects that had the same keys and
/// get the same new ones: what a node does to every item (Set's "include other fields").
///
/// `appending(_:to:)` gives what `var o = base; for (k, v) in fields { o[k] = v }` gives, but when
/// the new keys are all absent from `base` the result is built once at its final size and, after
/// the first item of a shape, shares its key list with the others (copy-on-write keeps them
/// apart when one changes). Keep one appender per node run.
public struct JSONObjectAppender {
    private struct Shape {
        let base: OrderedSet<String>
        let added: [String]
        let result: OrderedSet<String>
    }

    /// Most recently used first.
    private var recent: [Shape] = []
    static let capacity = 8

    public init() {}

    /// `base` with `fields` set in order (a key already in `base` keeps its place and takes the new
    /// value; a repeated field's last value wins).
    public mutating func appending(_ fields: [(String, JSONValue)], to base: JSONObject) -> JSONObject {
        if fields.isEmpty { return base }
        for i in recent.indices where Self.matches(recent[i], base: base.keys, fields: fields) {
            let shape = recent[i]
            if i > 0 { recent.swapAt(i, i - 1) }
            var values = ContiguousArray<JSONValue>()
            values.reserveCapacity(shape.result.count)
            values.append(contentsOf: base.values)
            for (_, value) in fields { values.append(value) }
            return JSONObject(uncheckedUniqueKeys: shape.result, values: values)
        }
        var object = base
        for (key, value) in fields { object[key] = value }
        // Only fields that were all new and distinct make a shape that can be reused as is.
        if object.count == base.count + fields.count {
            if recent.count == Self.capacity { recent.removeLast() }
            recent.insert(Shape(base: base.keys, added: fields.map(\.0), result: object.keys), at: 0)
        }
        return object
    }

    private static func matches(_ shape: Shape, base: OrderedSet<String>, fields: [(String, JSONValue)]) -> Bool {
        guard shape.added.count == fields.count, shape.base.count == base.count else { return false }
        for i in fields.indices where shape.added[i] != fields[i].0 { return false }
        return sameStorage(shape.base, base) || shape.base.elementsEqual(base)
    }

    /// Whether two key lists are one list (shared storage): then they are equal without a look.
    private static func sameStorage(_ a: OrderedSet<String>, _ b: OrderedSet<String>) -> Bool {
        let pa = a.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        let pb = b.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
        return pa != nil && pa == pb
    }
}
