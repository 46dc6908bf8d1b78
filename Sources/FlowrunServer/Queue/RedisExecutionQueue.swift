import FlowrunCore
public import FlowrunExpressions
public import FlowrunRedis
import Logging

/// n8n's queue mode on a Redis stream with a consumer group: the main process appends jobs,
/// workers read them as group consumers and acknowledge after recording the execution.
///
/// A worker proves it is alive with two keys that expire after `heartbeatTTL`: one by consumer
/// name (`<prefix>:worker:<consumer>`, for the stream's pending entries) and one by its owner id in
/// the execution store (`<prefix>:owner:<id>`, for the executions it runs). Entries pending at a
/// consumer whose heartbeat is gone are claimed by the others (`reclaimAbandoned`), so a dead
/// worker's executions continue within `heartbeatTTL` plus one reclaim period (n8n waits 60 to
/// 90 s for its stalled-job check).
public struct RedisExecutionQueue: Sendable {
    public struct Configuration: Sendable {
        public var stream: String
        public var group: String
        public var heartbeatPrefix: String
        public var ownerPrefix: String
        public var replyPrefix: String
        /// Where a worker keeps each execution's reply for `replyTTL` (a second delivery resends it).
        public var resultPrefix: String
        /// Schedule tick claims (`RedisTickClaimer`).
        public var tickPrefix: String
        /// A worker whose heartbeat is older than this is dead (the issue asks for ≤ 10 s).
        public var heartbeatTTL: Duration = .seconds(6)
        /// How long a finished execution's reply is kept.
        public var replyTTL: Duration = .seconds(3600)
        /// Stream entries kept (approximate trim); acknowledged entries older than that go.
        public var maxLength = 100_000

        /// Every key under `prefix` (`FLOWRUN_QUEUE_PREFIX`, default `flowrun`): `<prefix>:executions`,
        /// the group `<prefix>-workers`, `<prefix>:worker:`, `<prefix>:owner:`, `<prefix>:reply:`,
        /// `<prefix>:result:`, `<prefix>:tick:`.
        public init(prefix: String = "flowrun") {
            stream = "\(prefix):executions"
            group = "\(prefix)-workers"
            heartbeatPrefix = "\(prefix):worker:"
            ownerPrefix = "\(prefix):owner:"
            replyPrefix = "\(prefix):reply:"
            resultPrefix = "\(prefix):result:"
            tickPrefix = "\(prefix):tick:"
        }
    }

    public let redis: RedisClient
    public let configuration: Configuration

    public init(redis: RedisClient, configuration: Configuration = Configuration()) {
        self.redis = redis
        self.configuration = configuration
    }

    /// Creates the stream and the consumer group if missing (every process calls it at start).
    public func prepare() async throws {
        try await redis.xgroupCreate(configuration.stream, group: configuration.group, startingAt: "0", makeStream: true)
    }

    /// Publishes a job; returns its stream entry id.
    @discardableResult
    public func enqueue(_ job: QueueJob) async throws -> String {
        try await redis.xadd(configuration.stream, fields: [("job", .string(job.jsonValue.jsonString()))],
                             maxLength: configuration.maxLength)
    }

    /// Jobs `consumer` read before and did not acknowledge: what a worker restarted under the same
    /// name must finish first. Only at start: later, those are the jobs it is running.
    public func unacknowledged(consumer: String, count: Int) async throws -> [QueueDelivery] {
        let own = try await redis.xreadgroup(group: configuration.group, consumer: consumer, stream: configuration.stream,
                                             startingAt: "0", count: count)
        return deliveries(own, reclaimed: true)
    }

    /// New jobs for `consumer`, waiting up to `block` for them.
    public func read(consumer: String, count: Int, block: Duration) async throws -> [QueueDelivery] {
        let fresh = try await redis.xreadgroup(group: configuration.group, consumer: consumer, stream: configuration.stream,
                                               startingAt: ">", count: count, block: block)
        return deliveries(fresh, reclaimed: false)
    }

    /// Acknowledges a delivery: the stream forgets it for the group (whichever consumer holds it).
    public func acknowledge(_ delivery: QueueDelivery) async throws {
        try await redis.xack(configuration.stream, group: configuration.group, ids: [delivery.entryID])
    }

    /// Renews `consumer`'s heartbeat and, when it records executions as `ownerID`, the owner's.
    public func heartbeat(consumer: String, ownerID: String? = nil) async throws {
        let ms = RedisArgument.string(String(configuration.heartbeatTTL.wholeMilliseconds))
        // The owner key first: it never outlives the consumer key, so a reclaimer that finds the
        // consumer dead also finds its executions' owner dead.
        var commands: [[RedisArgument]] = []
        if let ownerID { commands.append(["SET", .string(configuration.ownerPrefix + ownerID), .string(consumer), "PX", ms]) }
        commands.append(["SET", .string(configuration.heartbeatPrefix + consumer), .string(ownerID ?? "-"), "PX", ms])
        for reply in try await redis.pipeline(commands) {
            if case .error(let text) = reply { throw RedisBackendError(.server, "heartbeat: \(text)") }
        }
    }

    /// Whether the worker that records executions as `ownerID` still beats.
    public func ownerAlive(_ ownerID: String) async throws -> Bool {
        try await redis.get(configuration.ownerPrefix + ownerID) != nil
    }

    /// Removes `consumer`'s heartbeat (clean shutdown: nothing of it is pending).
    public func retire(consumer: String, ownerID: String? = nil) async throws {
        _ = try await redis.delete([configuration.heartbeatPrefix + consumer] + (ownerID.map { [configuration.ownerPrefix + $0] } ?? []))
    }

    /// Claims for `consumer` the entries pending at consumers without a heartbeat.
    ///
    /// XCLAIM's minimum idle time (a quarter of the TTL) makes a race between two reclaimers give
    /// each entry to one: the first claim resets the entry's idle time.
    public func reclaimAbandoned(by consumer: String, count: Int = 1000) async throws -> [QueueDelivery] {
        let pending = try await redis.xpending(configuration.stream, group: configuration.group, count: count)
        var byConsumer: [String: [String]] = [:]
        for entry in pending where entry.consumer != consumer { byConsumer[entry.consumer, default: []].append(entry.id) }
        var claimed: [QueueDelivery] = []
        for (owner, ids) in byConsumer.sorted(by: { $0.key < $1.key }) {
            guard try await redis.get(configuration.heartbeatPrefix + owner) == nil else { continue }
            claimed += try await claim(ids, for: consumer, minIdle: configuration.heartbeatTTL / 4)
        }
        return claimed
    }

    /// Entries pending at `consumer` for at least `minIdle` and not in `running`: deliveries it
    /// left pending because another live worker ran their execution. Claimed again (which resets
    /// their idle time) so they are looked at once more.
    public func stale(of consumer: String, minIdle: Duration, excluding running: Set<String>) async throws -> [QueueDelivery] {
        let pending = try await redis.xpending(configuration.stream, group: configuration.group, count: 1000, consumer: consumer,
                                               minIdle: minIdle)
        let ids = pending.map(\.id).filter { !running.contains($0) }
        guard !ids.isEmpty else { return [] }
        return try await claim(ids, for: consumer, minIdle: minIdle)
    }

    private func claim(_ ids: [String], for consumer: String, minIdle: Duration) async throws -> [QueueDelivery] {
        let idle = max(1, minIdle.wholeMilliseconds)
        let reply = try await redis.send(
            ["XCLAIM", .string(configuration.stream), .string(configuration.group), .string(consumer), .string(String(idle))]
                + ids.map { .string($0) })
        let entries = (reply.array ?? []).compactMap { Self.entry($0) }
        // An entry trimmed from the stream (or unreadable) cannot run: acknowledge it away.
        let unreadable = entries.filter { $0.string("job") == nil }.map(\.id)
        if !unreadable.isEmpty { try await redis.xack(configuration.stream, group: configuration.group, ids: unreadable) }
        return deliveries(entries, reclaimed: true)
    }

    /// Jobs not yet read by any worker plus jobs read and not acknowledged (XINFO GROUPS).
    public func depth() async throws -> (waiting: Int, pending: Int) {
        let reply = try await redis.send(["XINFO", "GROUPS", .string(configuration.stream)])
        for group in reply.array ?? [] {
            var fields: [String: RESPValue] = [:]
            switch group {
            case .array(let flat):
                var index = 0
                while index + 1 < flat.count {
                    if let name = flat[index].string { fields[name] = flat[index + 1] }
                    index += 2
                }
            case .map(let pairs):
                for (key, value) in pairs { if let name = key.string { fields[name] = value } }
            default:
                continue
            }
            guard fields["name"]?.string == configuration.group else { continue }
            return (fields["lag"]?.int ?? 0, fields["pending"]?.int ?? 0)
        }
        return (0, 0)
    }

    /// The reply channel for an execution whose response a process at `replyPrefix` waits for.
    public func replyChannel(process: String, executionID: String) -> String {
        "\(configuration.replyPrefix)\(process):\(executionID)"
    }

    /// Keeps an execution's reply (for a second delivery or a main process that missed the
    /// message), then sends it to the process waiting on `channel`, if any, and, when given,
    /// acknowledges `delivery` after both, in the same round trip (Redis runs a pipeline's
    /// commands in order, so the job is never acknowledged without its reply kept).
    public func publishReply(_ payload: JSONValue, executionID: String, on channel: String?, acknowledging delivery: QueueDelivery? = nil) async throws {
        let text = payload.jsonString()
        let ms = configuration.replyTTL.wholeMilliseconds
        var commands: [[RedisArgument]] = [["SET", .string(configuration.resultPrefix + executionID), .string(text), "PX", .string(String(ms))]]
        if let channel { commands.append(["PUBLISH", .string(channel), .string(text)]) }
        if let delivery { commands.append(["XACK", .string(configuration.stream), .string(configuration.group), .string(delivery.entryID)]) }
        for reply in try await redis.pipeline(commands) {
            if case .error(let text) = reply { throw RedisBackendError(.server, "reply of execution \(executionID): \(text)") }
        }
    }

    /// The reply kept for `executionID`, if any.
    public func storedReply(executionID: String) async throws -> JSONValue? {
        guard let bytes = try await redis.get(configuration.resultPrefix + executionID) else { return nil }
        return try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
    }

    private func deliveries(_ entries: [RedisStreamEntry], reclaimed: Bool) -> [QueueDelivery] {
        entries.compactMap { entry in
            guard let text = entry.string("job"), let value = try? JSONValue(parsing: text), let job = QueueJob(jsonValue: value) else {
                return nil
            }
            return QueueDelivery(entryID: entry.id, job: job, reclaimed: reclaimed)
        }
    }

    /// An XCLAIM entry `[id, [field, value, ...]]`; nil for deleted entries.
    static func entry(_ reply: RESPValue) -> RedisStreamEntry? {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string else { return nil }
        var fields: [RedisStreamField] = []
        var index = 0
        let list = parts[1].array ?? []
        while index + 1 < list.count {
            if let name = list[index].string, let value = list[index + 1].bytes { fields.append(RedisStreamField(name: name, value: value)) }
            index += 2
        }
        return RedisStreamEntry(id: id, fields: fields)
    }
}

extension Duration {
    /// Whole milliseconds (truncated), for PX and IDLE arguments.
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
