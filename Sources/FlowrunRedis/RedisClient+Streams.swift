public import FlowrunCore

/// One field of a stream entry.
public struct RedisStreamField: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]
    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

/// One stream entry: its id ("1700000000000-0") and fields in order. A pending entry that was
/// deleted from the stream has no fields.
public struct RedisStreamEntry: Sendable, Hashable {
    public var id: String
    public var fields: [RedisStreamField]

    public init(id: String, fields: [RedisStreamField]) {
        self.id = id
        self.fields = fields
    }

    /// The value of field `name` (the first one), as bytes.
    public subscript(name: String) -> [UInt8]? { fields.first { $0.name == name }?.value }

    /// The value of field `name` as UTF-8 text.
    public func string(_ name: String) -> String? { self[name].map { String(decoding: $0, as: UTF8.self) } }
}

/// XAUTOCLAIM's answer: where to continue ("0-0" when the scan is complete), the entries now
/// owned by the claiming consumer, and the ids of pending entries that no longer exist.
public struct RedisAutoClaimResult: Sendable, Hashable {
    public var nextStart: String
    public var entries: [RedisStreamEntry]
    public var deletedIDs: [String]
}

/// XPENDING's summary form.
public struct RedisPendingSummary: Sendable, Hashable {
    public var count: Int
    public var smallestID: String?
    public var largestID: String?
    /// Pending entries per consumer.
    public var consumers: [String: Int]
}

/// One entry of XPENDING's extended form.
public struct RedisPendingEntry: Sendable, Hashable {
    public var id: String
    public var consumer: String
    /// Time since the entry was last delivered.
    public var idle: Duration
    public var deliveries: Int
}

extension RedisClient {
    /// `XADD stream [MAXLEN ~ n] id field value ...`; the new entry's id.
    @discardableResult
    public func xadd(
        _ stream: String, id: String = "*", fields: [(String, RedisArgument)], maxLength: Int? = nil
    ) async throws -> String {
        var arguments: [RedisArgument] = ["XADD", .string(stream)]
        if let maxLength { arguments += ["MAXLEN", "~", .string(String(maxLength))] }
        arguments.append(.string(id))
        for (name, value) in fields { arguments += [.string(name), value] }
        let reply = try await send(arguments)
        guard let id = reply.string else { throw unexpected("XADD", reply) }
        return id
    }

    /// `XGROUP CREATE stream group id [MKSTREAM]`; false when the group already exists (BUSYGROUP).
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, startingAt id: String = "$", makeStream: Bool = true) async throws -> Bool {
        var arguments: [RedisArgument] = ["XGROUP", "CREATE", .string(stream), .string(group), .string(id)]
        if makeStream { arguments.append("MKSTREAM") }
        do {
            try await send(arguments)
            return true
        } catch let error as RedisBackendError where error.serverErrorKind == "BUSYGROUP" {
            return false
        }
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS stream id`.
    ///
    /// `id` ">" reads new entries; "0" re-reads this consumer's pending ones. With `block`, the
    /// read runs on the blocking pool and returns [] when nothing arrived in time.
    public func xreadgroup(
        group: String, consumer: String, stream: String, startingAt id: String = ">", count: Int? = nil,
        block: Duration? = nil, noAck: Bool = false
    ) async throws -> [RedisStreamEntry] {
        var arguments: [RedisArgument] = ["XREADGROUP", "GROUP", .string(group), .string(consumer)]
        if let count { arguments += ["COUNT", .string(String(count))] }
        if let block { arguments += ["BLOCK", .string(String(block.milliseconds))] }
        if noAck { arguments.append("NOACK") }
        arguments += ["STREAMS", .string(stream), .string(id)]
        let reply: RESPValue
        if let block { reply = try await sendBlocking(arguments, block: block) } else { reply = try await send(arguments) }
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw unexpected("XREADGROUP", reply) }
        var entries: [RedisStreamEntry] = []
        for streamReply in streams {
            guard let pair = streamReply.array, pair.count == 2, let list = pair[1].array else {
                throw unexpected("XREADGROUP", reply)
            }
            entries += try list.map { try entry($0, command: "XREADGROUP") }
        }
        return entries
    }

    /// `XACK stream group id...`; the number of entries acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try integer("XACK", try await send(["XACK", .string(stream), .string(group)] + ids.map { .string($0) }))
    }

    /// `XAUTOCLAIM stream group consumer min-idle start [COUNT n]`: takes over entries pending
    /// longer than `minIdle` (e.g. those of a dead worker).
    public func xautoclaim(
        _ stream: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0", count: Int? = nil
    ) async throws -> RedisAutoClaimResult {
        var arguments: [RedisArgument] = [
            "XAUTOCLAIM", .string(stream), .string(group), .string(consumer), .string(String(minIdle.milliseconds)), .string(start),
        ]
        if let count { arguments += ["COUNT", .string(String(count))] }
        let reply = try await send(arguments)
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let list = parts[1].array else {
            throw unexpected("XAUTOCLAIM", reply)
        }
        let entries = try list.map { try entry($0, command: "XAUTOCLAIM") }
        let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        return RedisAutoClaimResult(nextStart: next, entries: entries, deletedIDs: deleted)
    }

    /// `XPENDING stream group` (summary).
    public func xpending(_ stream: String, group: String) async throws -> RedisPendingSummary {
        let reply = try await send(["XPENDING", .string(stream), .string(group)])
        guard let parts = reply.array, parts.count == 4, let count = parts[0].int else { throw unexpected("XPENDING", reply) }
        var consumers: [String: Int] = [:]
        for consumer in parts[3].array ?? [] {
            if let pair = consumer.array, pair.count == 2, let name = pair[0].string, let n = pair[1].int { consumers[name] = n }
        }
        return RedisPendingSummary(count: count, smallestID: parts[1].string, largestID: parts[2].string, consumers: consumers)
    }

    /// `XPENDING stream group [IDLE ms] start end count [consumer]` (extended form).
    public func xpending(
        _ stream: String, group: String, start: String = "-", end: String = "+", count: Int, consumer: String? = nil,
        minIdle: Duration? = nil
    ) async throws -> [RedisPendingEntry] {
        var arguments: [RedisArgument] = ["XPENDING", .string(stream), .string(group)]
        if let minIdle { arguments += ["IDLE", .string(String(minIdle.milliseconds))] }
        arguments += [.string(start), .string(end), .string(String(count))]
        if let consumer { arguments.append(.string(consumer)) }
        let reply = try await send(arguments)
        guard let list = reply.array else { throw unexpected("XPENDING", reply) }
        return try list.map { item in
            guard let p = item.array, p.count == 4, let id = p[0].string, let owner = p[1].string, let idle = p[2].int,
                  let deliveries = p[3].int
            else { throw unexpected("XPENDING", reply) }
            return RedisPendingEntry(id: id, consumer: owner, idle: .milliseconds(idle), deliveries: deliveries)
        }
    }

    /// `XLEN stream`.
    public func xlen(_ stream: String) async throws -> Int {
        try integer("XLEN", try await send(["XLEN", .string(stream)]))
    }

    private func entry(_ value: RESPValue, command: String) throws(RedisBackendError) -> RedisStreamEntry {
        guard let pair = value.array, pair.count == 2, let id = pair[0].string else { throw unexpected(command, value) }
        guard let flat = pair[1].array else { return RedisStreamEntry(id: id, fields: []) }
        var fields: [RedisStreamField] = []
        var index = 0
        while index + 1 < flat.count {
            fields.append(RedisStreamField(name: flat[index].string ?? "", value: flat[index + 1].bytes ?? []))
            index += 2
        }
        return RedisStreamEntry(id: id, fields: fields)
    }
}
