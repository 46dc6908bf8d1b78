extension JSONValue {
    /// This value as JSON text, the way JavaScript's `JSON.stringify` writes it.
    ///
    /// Measured first, then written once into a string of exactly that size: a big value (a
    /// node's 200 MB of items being recorded) costs its text once, not a growing buffer plus a copy.
    ///
    /// - Parameter indent: spaces per level; 0 gives compact output.
    public func jsonString(indent: Int = 0) -> String {
        var counter = JSONTextEncoder<JSONByteCounter>(JSONByteCounter(), indent: indent)
        counter.write(self, level: 0)
        let count = counter.sink.count
        return String(unsafeUninitializedCapacity: count) { buffer in
            var writer = JSONTextEncoder<JSONBufferWriter>(JSONBufferWriter(buffer), indent: indent)
            writer.write(self, level: 0)
            return writer.sink.count
        }
    }

    /// This value as UTF-8 JSON bytes (what `jsonString(indent:)` holds), without building a
    /// `String`: for text that goes straight to a pipe or a file.
    public func jsonBytes(indent: Int = 0) -> [UInt8] {
        var counter = JSONTextEncoder<JSONByteCounter>(JSONByteCounter(), indent: indent)
        counter.write(self, level: 0)
        let count = counter.sink.count
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var writer = JSONTextEncoder<JSONBufferWriter>(JSONBufferWriter(UnsafeMutableBufferPointer(rebasing: buffer[...])), indent: indent)
            writer.write(self, level: 0)
            initialized = writer.sink.count
        }
    }

    /// The members in the order JavaScript enumerates an object's keys: keys that are array
    /// indexes ("0", "17") first in ascending order, then the others in insertion order.
    ///
    /// Only objects with such keys pay for the reordering.
    public static func enumerationOrder(_ o: JSONObject) -> [(key: String, value: JSONValue)] {
        guard hasArrayIndexKey(o) else { return o.elements.map { ($0.key, $0.value) } }
        return reordered(o)
    }

    static func hasArrayIndexKey(_ o: JSONObject) -> Bool {
        o.keys.contains(where: { key in
            // Cheap first test: an index starts with a digit.
            guard let first = key.utf8.first, first >= 0x30, first <= 0x39 else { return false }
            return arrayIndex(key) != nil
        })
    }

    static func reordered(_ o: JSONObject) -> [(key: String, value: JSONValue)] {
        var indexed: [(index: UInt32, key: String, value: JSONValue)] = []
        var named: [(key: String, value: JSONValue)] = []
        for (key, value) in o {
            if let index = arrayIndex(key) { indexed.append((index, key, value)) } else { named.append((key, value)) }
        }
        indexed.sort { $0.index < $1.index }
        return indexed.map { ($0.key, $0.value) } + named
    }

    /// The value of `key` when it is a canonical array index (0 ..< 2^32 - 1, no leading zeros).
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, first >= 0x30, first <= 0x39, utf8.count <= 10 else { return nil }
        if first == 0x30 && utf8.count > 1 { return nil }
        guard utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(key), value < 4_294_967_295 else { return nil }
        return UInt32(value)
    }

    /// Appends `s` as a JSON string literal with JavaScript's escaping.
    public static func writeQuoted(_ s: String, to out: inout String) {
        out += JSONValue.string(s).jsonString()
    }
}

/// Where `JSONTextEncoder` puts bytes: a counter (first pass) or a buffer of the counted size.
protocol JSONSink {
    mutating func put(_ byte: UInt8)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// Counts the bytes a value's text takes.
struct JSONByteCounter: JSONSink {
    var count = 0
    @inline(__always) mutating func put(_ byte: UInt8) { count &+= 1 }
    @inline(__always) mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) { count &+= bytes.count }
}

/// Writes into a buffer the counter sized (never past its end: the two passes write the same).
struct JSONBufferWriter: JSONSink {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    @inline(__always) mutating func put(_ byte: UInt8) {
        precondition(count < buffer.count, "JSON text longer than measured")
        buffer[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(count + bytes.count <= buffer.count, "JSON text longer than measured")
        (buffer.baseAddress! + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }
}

/// JSON text as `JSON.stringify` writes it, as UTF-8 bytes: strings are copied in runs between
/// the characters that need escaping rather than one Unicode scalar at a time.
struct JSONTextEncoder<Sink: JSONSink> {
    var sink: Sink
    let indent: Int

    init(_ sink: Sink, indent: Int) {
        self.sink = sink
        self.indent = indent
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { sink.put($0) }
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): b ? append("true") : append("false")
        case .number(let n): number(n)
        case .string(let s): quoted(s)
        case .array(let a):
            if a.isEmpty {
                append("[]")
                return
            }
            sink.put(0x5B)
            var first = true
            for element in a {
                if !first { sink.put(0x2C) }
                first = false
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            sink.put(0x5D)
        case .object(let o):
            if o.isEmpty {
                append("{}")
                return
            }
            sink.put(0x7B)
            if JSONValue.hasArrayIndexKey(o) {
                var first = true
                for (key, value) in JSONValue.reordered(o) { member(key, value, level: level, first: &first) }
            } else {
                // Keys and values walked side by side: no array of pairs per object.
                let keys = o.keys.elements
                let values = o.values.elements
                var first = true
                for i in keys.indices { member(keys[i], values[i], level: level, first: &first) }
            }
            newline(level)
            sink.put(0x7D)
        }
    }

    @inline(__always)
    private mutating func member(_ key: String, _ value: JSONValue, level: Int, first: inout Bool) {
        if !first { sink.put(0x2C) }
        first = false
        newline(level + 1)
        quoted(key)
        sink.put(0x3A)
        if indent > 0 { sink.put(0x20) }
        write(value, level: level + 1)
    }

    mutating func number(_ n: Double) {
        guard n.isFinite else { return append("null") }
        // Whole numbers (the common case) as integers: a small string, no allocation.
        var text = n == n.rounded(.towardZero) && abs(n) < 1e15 ? String(Int64(n)) : JSNumberFormatting.string(n)
        text.withUTF8 { sink.put($0) }
    }

    mutating func quoted(_ s: String) {
        sink.put(0x22)
        var copy = s
        copy.withUTF8 { utf8 in
            var start = 0
            var i = 0
            let count = utf8.count
            while i < count {
                if !Self.needsEscape(utf8[i]) {
                    i &+= 1
                    continue
                }
                if start < i { sink.put(UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                escape(utf8[i])
                i &+= 1
                start = i
            }
            if start < count { sink.put(UnsafeBufferPointer(rebasing: utf8[start..<count])) }
        }
        sink.put(0x22)
    }

    private mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            // Other control characters: \u00XX with lowercase hex, as JSON.stringify writes them.
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            append("\\u00")
            sink.put(hex[Int(b >> 4)])
            sink.put(hex[Int(b & 0x0F)])
        }
    }

    @inline(__always)
    private mutating func newline(_ level: Int) {
        guard indent > 0 else { return }
        sink.put(0x0A)
        for _ in 0..<(indent * level) { sink.put(0x20) }
    }
}
