#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONValue {
    /// Writes this value as JSON text (what `jsonString(indent:)` gives) to a file descriptor in
    /// 64 KB pieces, so printing 200 MB of items does not build a 200 MB string first.
    ///
    /// - Throws: `JSONWriteError` with `errno`'s message when a write fails.
    public func write(toFileDescriptor fd: Int32, indent: Int = 0, terminator: StaticString = "") throws(JSONWriteError) {
        var encoder = JSONTextEncoder<JSONDescriptorWriter>(JSONDescriptorWriter(fd: fd), indent: indent)
        encoder.write(self, level: 0)
        terminator.withUTF8Buffer { encoder.sink.put($0) }
        encoder.sink.flush()
        if let failure = encoder.sink.failure { throw JSONWriteError(reason: failure) }
    }
}

/// A write of JSON text that failed.
public struct JSONWriteError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "cannot write the JSON text: \(reason)" }
}

/// Collects bytes in a 64 KB buffer and writes it out when full; after a failed write it drops the
/// rest and keeps the reason.
struct JSONDescriptorWriter: JSONSink {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var failure: String?
    static let size = 1 << 16

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.size)
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.size { flush() }
    }

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.size { flush() }
    }

    mutating func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, under a name the JSON writer's own `write` methods do not hide.
@inline(__always)
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
