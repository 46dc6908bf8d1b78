/// Something that writes itself as compact JSON text piece by piece, so it can be measured and
/// streamed without building a `JSONValue` tree or a whole `String` first (a node run of 200 MB of
/// items recorded in a store).
///
/// `writeJSON(to:)` may be called more than once (once to count, once to write) and must write
/// the same text each time.
public protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter)
}

/// A value that writes its JSON text directly and can also build itself as a `JSONValue` (the
/// same JSON): what a store records, streamed where it can be, built where it must.
public protocol JSONValueConvertible: JSONWritable, Sendable {
    var jsonValue: JSONValue { get }
}

/// Writes compact JSON text (as `JSONValue.jsonString()` does) either into a byte count only, or in
/// chunks through one reused buffer to a consumer.
public struct JSONWriter {
    /// Nil: only counting.
    private var chunks: JSONChunkSink?
    private var counted = 0

    init(chunks: JSONChunkSink?) {
        self.chunks = chunks
    }

    /// The bytes written so far.
    public var byteCount: Int { chunks?.total ?? counted }

    /// A whole value, with JavaScript's escaping and key order.
    public mutating func value(_ value: JSONValue) {
        guard var sink = chunks.take() else {
            var counter = JSONTextEncoder<JSONByteCounter>(JSONByteCounter(), indent: 0)
            counter.write(value, level: 0)
            counted &+= counter.sink.count
            return
        }
        var encoder = JSONTextEncoder<JSONChunkSink>(sink, indent: 0)
        encoder.write(value, level: 0)
        sink = encoder.sink
        chunks = sink
    }

    /// A string literal, escaped as `JSON.stringify` escapes it.
    public mutating func string(_ text: String) {
        guard var sink = chunks.take() else {
            var counter = JSONTextEncoder<JSONByteCounter>(JSONByteCounter(), indent: 0)
            counter.quoted(text)
            counted &+= counter.sink.count
            return
        }
        var encoder = JSONTextEncoder<JSONChunkSink>(sink, indent: 0)
        encoder.quoted(text)
        sink = encoder.sink
        chunks = sink
    }

    /// A number, as `JSON.stringify` writes it (`null` when not finite).
    public mutating func number(_ n: Double) {
        value(.number(n))
    }

    /// Text copied as it is: punctuation and literal keys (`{"json":`, `,`, `]`). The caller
    /// keeps the result valid JSON.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes in
            if chunks == nil {
                counted &+= bytes.count
            } else {
                chunks!.put(bytes)
            }
        }
    }

    /// An item in n8n's JSON form: the text of `item.jsonValue(includePairedItem:).jsonString()`,
    /// without building the wrapping objects.
    public mutating func item(_ item: Item, includePairedItem: Bool = true) {
        raw("{\"json\":")
        value(.object(item.json))
        if let binary = item.binary {
            raw(",\"binary\":")
            value(.object(binary))
        }
        if includePairedItem, let paired = item.pairedItem {
            raw(",\"pairedItem\":")
            if paired.count == 1 {
                pairedItem(paired[0])
            } else {
                raw("[")
                for (index, link) in paired.enumerated() {
                    if index > 0 { raw(",") }
                    pairedItem(link)
                }
                raw("]")
            }
        }
        if let error = item.error {
            raw(",\"error\":")
            value(error)
        }
        raw("}")
    }

    private mutating func pairedItem(_ link: PairedItem) {
        raw("{\"item\":")
        number(Double(link.item))
        if link.input != 0 {
            raw(",\"input\":")
            number(Double(link.input))
        }
        raw("}")
    }
}

extension JSONValue: JSONValueConvertible {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.value(self)
    }

    public var jsonValue: JSONValue { self }
}

extension Item: JSONWritable {
    /// The item with its `pairedItem`, as `jsonValue()` gives it.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.item(self)
    }
}

extension JSONWritable {
    /// The length in bytes of this value's compact JSON text.
    public func jsonByteCount() -> Int {
        var writer = JSONWriter(chunks: nil)
        writeJSON(to: &writer)
        return writer.byteCount
    }

    /// Writes this value's compact JSON text to `consume` in chunks of at most `chunkSize` bytes,
    /// through one buffer reused for every chunk; returns the number of bytes written.
    ///
    /// The first error `consume` throws stops the output (the rest of the value is walked but not
    /// passed on) and is rethrown.
    @discardableResult
    public func streamJSON(chunkSize: Int = 1 << 16, to consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(16, chunkSize))
        defer { buffer.deallocate() }
        return try withoutActuallyEscaping(consume) { consume in
            var writer = JSONWriter(chunks: JSONChunkSink(buffer: buffer, consume: consume))
            writeJSON(to: &writer)
            guard var sink = writer.takeChunks() else { return writer.byteCount }
            sink.drain()
            if let failure = sink.failure { throw failure }
            return sink.total
        }
    }
}

extension JSONWriter {
    fileprivate mutating func takeChunks() -> JSONChunkSink? { chunks.take() }
}

/// Collects bytes in a caller's buffer and hands each full buffer to `consume`; after `consume`
/// throws, it keeps the error and drops the rest.
struct JSONChunkSink: JSONSink {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    let consume: (UnsafeRawBufferPointer) throws -> Void
    private var used = 0
    /// Bytes put so far (passed on or not).
    private(set) var total = 0
    private(set) var failure: (any Error)?

    init(buffer: UnsafeMutableBufferPointer<UInt8>, consume: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.buffer = buffer
        self.consume = consume
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        if used == buffer.count { drain() }
        buffer[used] = byte
        used &+= 1
        total &+= 1
    }

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        total &+= remaining
        while remaining > 0 {
            if used == buffer.count { drain() }
            let n = min(remaining, buffer.count - used)
            (buffer.baseAddress! + used).update(from: source, count: n)
            used &+= n
            source += n
            remaining -= n
        }
    }

    /// Passes the buffered bytes on (unless a consumer failed before) and empties the buffer.
    mutating func drain() {
        defer { used = 0 }
        guard used > 0, failure == nil else { return }
        do {
            try consume(UnsafeRawBufferPointer(start: buffer.baseAddress, count: used))
        } catch {
            failure = error
        }
    }
}

extension JSONWritable {
    /// This value's compact JSON text when its length is known (from `jsonByteCount()`): written
    /// once into a string of exactly that size.
    public func jsonString(byteCount: Int) -> String {
        guard byteCount > 0 else {
            precondition(jsonByteCount() == 0, "JSON text length differs from the one measured")
            return ""
        }
        return String(unsafeUninitializedCapacity: byteCount) { buffer in
            var overflow = false
            var writer = JSONWriter(chunks: JSONChunkSink(buffer: buffer, consume: { _ in overflow = true }))
            writeJSON(to: &writer)
            precondition(!overflow && writer.byteCount == byteCount, "JSON text length differs from the one measured")
            return byteCount
        }
    }
}
