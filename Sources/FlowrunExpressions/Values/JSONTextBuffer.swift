#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON text (as `JSON.stringify` writes it, compact) built in one growable byte buffer, in one
/// pass: for a message that goes to a pipe in one piece (a Code node's task with its items), where
/// `jsonBytes()` would measure the value first and need the whole message as one `JSONValue`.
///
/// ```swift
/// var text = JSONTextBuffer(capacity: 1 << 16)
/// text.appendRaw("{\"items\":[")
/// for (i, item) in items.enumerated() {
///     if i > 0 { text.appendByte(UInt8(ascii: ",")) }
///     text.append(object: item.json)
/// }
/// text.appendRaw("]}")
/// text.withUnsafeBytes { bytes in /* write them */ }
/// ```
///
/// The caller writes the punctuation between values; every `append` writes one complete value.
public struct JSONTextBuffer: ~Copyable {
    private var writer: JSONGrowableWriter

    /// An empty buffer with room for `capacity` bytes (it grows as needed).
    public init(capacity: Int = 1 << 12) {
        writer = JSONGrowableWriter(capacity: max(64, capacity))
    }

    deinit { free(writer.base) }

    /// Bytes written so far.
    public var count: Int { writer.count }

    /// Appends `value` as JSON text (non-finite numbers as `null`, as `JSON.stringify` does).
    public mutating func append(_ value: JSONValue) {
        var encoder = JSONTextEncoder(writer, indent: 0)
        writer = JSONGrowableWriter.empty
        encoder.compact(value)
        writer = encoder.sink
    }

    /// Appends an object as JSON text (keys in JavaScript's enumeration order).
    public mutating func append(object: JSONObject) {
        var encoder = JSONTextEncoder(writer, indent: 0)
        writer = JSONGrowableWriter.empty
        encoder.compactObject(object)
        writer = encoder.sink
    }

    /// Appends `text` as a quoted JSON string.
    public mutating func append(string text: String) {
        var encoder = JSONTextEncoder(writer, indent: 0)
        writer = JSONGrowableWriter.empty
        encoder.quoted(text)
        writer = encoder.sink
    }

    /// Appends a number as `JSON.stringify` writes it.
    public mutating func append(number: Double) {
        writer.number(number)
    }

    /// Appends a whole number.
    public mutating func append(integer: Int) {
        writer.integer(Int64(integer))
    }

    /// Appends text as it is (punctuation, a key already quoted).
    public mutating func appendRaw(_ text: StaticString) {
        text.withUTF8Buffer { writer.put($0) }
    }

    /// Appends one byte as it is.
    public mutating func appendByte(_ byte: UInt8) {
        writer.put(byte)
    }

    /// Calls `body` with the bytes written so far (valid only during the call).
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: writer.base, count: writer.count))
    }

    /// The bytes written so far, copied into an array.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) }
    }
}

/// A sink writing into memory it grows by doubling (`realloc`).
struct JSONGrowableWriter: JSONSink {
    var base: UnsafeMutablePointer<UInt8>?
    var capacity: Int
    var count = 0

    /// A writer with no memory, held while the real one is lent to an encoder.
    static var empty: JSONGrowableWriter { JSONGrowableWriter(base: nil, capacity: 0) }

    private init(base: UnsafeMutablePointer<UInt8>?, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    init(capacity: Int) {
        self.init(base: nil, capacity: 0)
        grow(to: capacity)
    }

    private mutating func grow(to minimum: Int) {
        var size = Swift.max(capacity, 64)
        while size < minimum { size *= 2 }
        guard let memory = realloc(base, size) else {
            // Out of memory: nothing sensible to do with a half-written message.
            fatalError("JSONTextBuffer: cannot allocate \(size) bytes")
        }
        base = memory.assumingMemoryBound(to: UInt8.self)
        capacity = size
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base.unsafelyUnwrapped[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base.unsafelyUnwrapped + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// A number as `JSON.stringify` writes it: whole numbers below 1e15 digit by digit (no
    /// `String`), others by `JSNumberFormatting`; NaN and infinities as `null`.
    @inline(__always) mutating func number(_ n: Double) {
        guard n.isFinite else {
            let null: StaticString = "null"
            null.withUTF8Buffer { put($0) }
            return
        }
        if n == n.rounded(.towardZero) && abs(n) < 1e15 {
            integer(Int64(n))
            return
        }
        var text = JSNumberFormatting.string(n)
        text.withUTF8 { put($0) }
    }

    mutating func integer(_ value: Int64) {
        if count + 21 > capacity { grow(to: count + 21) }
        let out = base.unsafelyUnwrapped
        var magnitude = value.magnitude
        if value < 0 {
            out[count] = UInt8(ascii: "-")
            count &+= 1
        }
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits &+= 1
            rest /= 10
        }
        var at = count &+ digits
        repeat {
            at &-= 1
            out[at] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
            magnitude /= 10
        } while magnitude > 0
        count &+= digits
    }
}

extension JSONTextEncoder where Sink == JSONGrowableWriter {
    /// Compact JSON text of `value`, numbers written without a `String` where they are whole.
    mutating func compact(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): b ? append("true") : append("false")
        case .number(let n): sink.number(n)
        case .string(let s): quoted(s)
        case .array(let a):
            sink.put(0x5B)
            var first = true
            for element in a {
                if !first { sink.put(0x2C) }
                first = false
                compact(element)
            }
            sink.put(0x5D)
        case .object(let o): compactObject(o)
        }
    }

    mutating func compactObject(_ o: JSONObject) {
        sink.put(0x7B)
        var first = true
        if JSONValue.hasArrayIndexKey(o) {
            for (key, value) in JSONValue.reordered(o) { compactMember(key, value, first: &first) }
        } else {
            let keys = o.keys.elements
            let values = o.values.elements
            for i in keys.indices { compactMember(keys[i], values[i], first: &first) }
        }
        sink.put(0x7D)
    }

    @inline(__always)
    private mutating func compactMember(_ key: String, _ value: JSONValue, first: inout Bool) {
        if !first { sink.put(0x2C) }
        first = false
        quoted(key)
        sink.put(0x3A)
        compact(value)
    }
}
