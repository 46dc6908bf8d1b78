public import FlowrunCore
public import Logging

/// A Redis client for one server (queue mode, caches, locks): a bounded pool for ordinary
/// commands, a second pool for blocking reads (XREADGROUP BLOCK, BLPOP) so they never hold up
/// the others, and subscriptions on connections of their own. Connections open on first use.
///
/// ```swift
/// let redis = try RedisClient(url: "redis://127.0.0.1:6379/0")
/// defer { Task { await redis.shutdown() } }   // or RedisClient.withClient(url:) { ... }
/// try await redis.send(["SET", "k", "v"])
/// ```
///
/// Server error replies are thrown as `RedisBackendError` (`.server`) by `send` and the typed
/// helpers; `pipeline` returns them as `.error` values in place.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let pool: RedisConnectionPool
    let blockingPool: RedisConnectionPool
    let logger: Logger

    /// - Parameters:
    ///   - url: `redis://[user[:password]@]host[:port][/db]`.
    ///   - maximumConnections: pool size for ordinary commands (blocking reads get as many again).
    public convenience init(
        url: String, maximumConnections: Int = 8, commandTimeout: Duration? = .seconds(30),
        connectTimeout: Duration = .seconds(10), logger: Logger = Logger(label: "flowrun.redis")
    ) throws(RedisBackendError) {
        var configuration = try RedisConfiguration(url: url)
        configuration.maximumConnections = maximumConnections
        configuration.commandTimeout = commandTimeout
        configuration.connectTimeout = connectTimeout
        self.init(configuration: configuration, logger: logger)
    }

    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "flowrun.redis")) {
        self.configuration = configuration
        self.logger = logger
        self.pool = RedisConnectionPool(configuration: configuration, logger: logger)
        self.blockingPool = RedisConnectionPool(configuration: configuration, logger: logger)
    }

    /// Runs `body` with a client for `url`, then shuts it down.
    public static func withClient<T: Sendable>(
        url: String, maximumConnections: Int = 8, logger: Logger = Logger(label: "flowrun.redis"),
        _ body: (RedisClient) async throws -> T
    ) async throws -> T {
        let client = try RedisClient(url: url, maximumConnections: maximumConnections, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Closes every pooled connection; later commands fail with `.shutdown`.
    public func shutdown() async {
        await pool.shutdown()
        await blockingPool.shutdown()
    }

    // MARK: Commands

    /// Sends one command; an error reply is thrown as `RedisBackendError(.server)`.
    @discardableResult
    public func send(_ arguments: [RedisArgument]) async throws -> RESPValue {
        let reply = try await pool.withConnection { try await $0.send(arguments) }
        return try checked(reply)
    }

    /// Sends every command before reading any reply, on one connection; replies in order, error
    /// replies in place as `.error`.
    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RESPValue] {
        try await pool.withConnection { try await $0.pipeline(commands) }
    }

    /// Runs `body` with one pooled connection (several commands on the same connection, e.g.
    /// MULTI/EXEC). The connection's `send` returns error replies as `.error`.
    public func withConnection<T: Sendable>(_ body: (RedisNIOConnection) async throws -> T) async throws -> T {
        try await pool.withConnection(body)
    }

    /// A blocking command (BLPOP, XREADGROUP BLOCK) on the blocking pool; the reply may take up to
    /// `block` plus the command timeout.
    @discardableResult
    public func sendBlocking(_ arguments: [RedisArgument], block: Duration) async throws -> RESPValue {
        let timeout = configuration.commandTimeout.map { $0 + block }
        let reply = try await blockingPool.withConnection { try await $0.send(arguments, timeout: timeout) }
        return try checked(reply)
    }

    /// Connections opened so far by the ordinary pool (tests: reuse).
    public var connectionsOpened: Int {
        get async { await pool.connectionsOpened }
    }

    func checked(_ reply: RESPValue) throws(RedisBackendError) -> RESPValue {
        if case .error(let text) = reply {
            throw RedisBackendError(.server, text, server: configuration.serverName)
        }
        return reply
    }

    func unexpected(_ command: String, _ reply: RESPValue) -> RedisBackendError {
        RedisBackendError(.protocolError, "unexpected reply to \(command): \(reply.shapeName)", server: configuration.serverName)
    }

    // MARK: Keys and pub/sub publishing

    /// `SET key value [NX] [PX ms]`; true when the value was set (false: NX and the key existed).
    @discardableResult
    public func set(_ key: String, _ value: RedisArgument, ifNotExists: Bool = false, expiresIn: Duration? = nil) async throws -> Bool {
        var arguments: [RedisArgument] = ["SET", .string(key), value]
        if ifNotExists { arguments.append("NX") }
        if let expiresIn { arguments += ["PX", .string(String(expiresIn.milliseconds))] }
        let reply = try await send(arguments)
        return !reply.isNull
    }

    /// `GET key` as bytes, nil when the key does not exist.
    public func get(_ key: String) async throws -> [UInt8]? {
        switch try await send(["GET", .string(key)]) {
        case .null: return nil
        case .bulkString(let bytes): return bytes
        case let other: throw unexpected("GET", other)
        }
    }

    /// `DEL key...`; the number of keys removed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try integer("DEL", try await send(["DEL"] + keys.map { .string($0) }))
    }

    /// `PUBLISH channel message`; the number of subscribers that received it.
    @discardableResult
    public func publish(_ message: RedisArgument, to channel: String) async throws -> Int {
        try integer("PUBLISH", try await send(["PUBLISH", .string(channel), message]))
    }

    func integer(_ command: String, _ reply: RESPValue) throws(RedisBackendError) -> Int {
        guard case .integer(let n) = reply else { throw unexpected(command, reply) }
        return Int(n)
    }
}

extension RESPValue {
    /// Whether the reply is a null (nil bulk string or array).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The elements of an array reply, else nil.
    public var array: [RESPValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The bytes of a bulk or simple string reply, else nil.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let b): b
        case .simpleString(let s): Array(s.utf8)
        default: nil
        }
    }

    /// The value of an integer reply (or a numeric string), else nil.
    public var int: Int? {
        switch self {
        case .integer(let n): Int(n)
        case .bulkString, .simpleString: string.flatMap { Int($0) }
        default: nil
        }
    }

    var shapeName: String {
        switch self {
        case .null: "null"
        case .simpleString: "simple string"
        case .error: "error"
        case .integer: "integer"
        case .bulkString: "bulk string"
        case .array: "array"
        case .double: "double"
        case .bool: "boolean"
        case .map: "map"
        }
    }
}

extension Duration {
    /// Whole milliseconds (rounded up, at least 1 for a positive duration).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return remainder > 0 ? ms + 1 : ms
    }
}
