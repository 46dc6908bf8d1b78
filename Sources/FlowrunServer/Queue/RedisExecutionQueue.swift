import FlowrunCore
public import FlowrunExpressions
public import FlowrunRedis
import Logging

/// n8n's queue mode on a Redis stream with a consumer group: the main process appends jobs,
/// workers read them as group consumers and acknowledge after recording the execution.
///
/// A worker proves it is alive with a heartbeat key that expires after `heartbeatTTL`. Entries
/// pending at a consumer whose heartbeat is gone are claimed by the others
/// (`reclaimAbandoned`), so a dead worker's executions continue within `heartbeatTTL` (n8n waits
/// 60 to 90 s for its stalled-job check).
public struct RedisExecutionQueue: Sendable {
    public struct Configuration: Sendable {
        public var stream = "flowrun:executions"
        public var group = "flowrun-workers"
        public var heartbeatPrefix = "flowrun:worker:"
        public var replyPrefix = "flowrun:reply:"
        /// A worker whose heartbeat is older than this is dead (the issue asks for ≤ 10 s).
        public var heartbeatTTL: Duration = .seconds(6)
        /// Stream entries kept (approximate trim); acknowledged entries older than that go.
        public var maxLength = 100_000

        public init() {}
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

    /// Acknowledges a delivery: the stream forgets it for the group.
    public func acknowledge(_ delivery: QueueDelivery) async throws {
        try await redis.xack(configuration.stream, group: configuration.group, ids: [delivery.entryID])
    }

    /// Renews `consumer`'s heartbeat.
    public func heartbeat(consumer: String) async throws {
        _ = try await redis.set(configuration.heartbeatPrefix + consumer, .string("1"), expiresIn: configuration.heartbeatTTL)
    }

    /// Removes `consumer`'s heartbeat (clean shutdown: nothing of it is pending).
    public func retire(consumer: String) async throws {
        _ = try await redis.delete([configuration.heartbeatPrefix + consumer])
    }

    /// Claims for `consumer` the entries pending at consumers without a heartbeat.
    public func reclaimAbandoned(by consumer: String, count: Int = 100) async throws -> [QueueDelivery] {
        let pending = try await redis.xpending(configuration.stream, group: configuration.group, count: count)
        var byConsumer: [String: [String]] = [:]
        for entry in pending where entry.consumer != consumer { byConsumer[entry.consumer, default: []].append(entry.id) }
        var claimed: [QueueDelivery] = []
        for (owner, ids) in byConsumer {
            guard try await redis.get(configuration.heartbeatPrefix + owner) == nil else { continue }
            // XCLAIM with a min-idle of 1 ms: two reclaimers racing get each entry once.
            let reply = try await redis.send(
                ["XCLAIM", .string(configuration.stream), .string(configuration.group), .string(consumer), "1"] + ids.map { .string($0) })
            let entries = (reply.array ?? []).compactMap { Self.entry($0) }
            claimed += deliveries(entries, reclaimed: true)
        }
        return claimed
    }

    /// The reply channel for an execution whose response a process at `replyPrefix` waits for.
    public func replyChannel(process: String, executionID: String) -> String {
        "\(configuration.replyPrefix)\(process):\(executionID)"
    }

    /// Sends an execution's response to the process waiting on `channel`.
    public func publishReply(_ payload: JSONValue, on channel: String) async throws {
        _ = try await redis.publish(.string(payload.jsonString()), to: channel)
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
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string, let list = parts[1].array else { return nil }
        var fields: [RedisStreamField] = []
        var index = 0
        while index + 1 < list.count {
            if let name = list[index].string, let value = list[index + 1].bytes { fields.append(RedisStreamField(name: name, value: value)) }
            index += 2
        }
        return RedisStreamEntry(id: id, fields: fields)
    }
}
