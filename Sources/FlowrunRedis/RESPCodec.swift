import CHiredis
import FlowrunCore
import NIOCore

/// Encodes commands with hiredis's `redisFormatCommandArgv` (binary-safe: every argument is passed
/// with its length).
enum RESPEncoder {
    /// Appends the RESP encoding of `arguments` (one command) to `buffer`.
    static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) throws(RedisBackendError) {
        guard !arguments.isEmpty else {
            throw RedisBackendError(.protocolError, "cannot send an empty command")
        }
        var bytes: [UInt8] = []
        var lengths: [Int] = []
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            switch argument {
            case .string(let s):
                let before = bytes.count
                bytes.append(contentsOf: s.utf8)
                lengths.append(bytes.count - before)
            case .bytes(let b):
                bytes.append(contentsOf: b)
                lengths.append(b.count)
            }
        }
        // A non-empty base address even when every argument is empty.
        bytes.append(0)
        var target: UnsafeMutablePointer<CChar>? = nil
        let written: Int32 = bytes.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = []
            argv.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                argv.append(base + offset)
                offset += length
            }
            return lengths.withUnsafeBufferPointer { sizes in
                argv.withUnsafeMutableBufferPointer { argvPointer in
                    redisFormatCommandArgv(&target, Int32(sizes.count), argvPointer.baseAddress, sizes.baseAddress)
                }
            }
        }
        guard written > 0, let target else {
            throw RedisBackendError(.protocolError, "hiredis could not format the command")
        }
        defer { redisFreeCommand(target) }
        buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(written)))
    }
}

/// Decodes replies with hiredis's `redisReader` into `RESPValue`s. Not thread-safe: one per
/// connection, used on its event loop only.
final class RESPDecoder {
    private let reader: UnsafeMutablePointer<redisReader>

    init() throws(RedisBackendError) {
        guard let reader = redisReaderCreate() else {
            throw RedisBackendError(.protocolError, "hiredis could not create a reply reader")
        }
        self.reader = reader
    }

    deinit { redisReaderFree(reader) }

    /// Feeds received bytes to the reader.
    func feed(_ buffer: ByteBuffer) throws(RedisBackendError) {
        let status = buffer.withUnsafeReadableBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return REDIS_OK }
            return redisReaderFeed(reader, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        if status != REDIS_OK { throw readerError() }
    }

    /// The next complete reply, or nil when more bytes are needed.
    func next() throws(RedisBackendError) -> RESPValue? {
        var reply: UnsafeMutableRawPointer? = nil
        guard redisReaderGetReply(reader, &reply) == REDIS_OK else { throw readerError() }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return Self.value(reply.assumingMemoryBound(to: redisReply.self))
    }

    private func readerError() -> RedisBackendError {
        let text = withUnsafeBytes(of: reader.pointee.errstr) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return RedisBackendError(.protocolError, "malformed reply from the server: \(text)")
    }

    private static func value(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(r.str, r.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(r.str, r.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(r.elements)
            for index in 0..<r.elements {
                if let element = r.element[index] { elements.append(value(element)) } else { elements.append(.null) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
