/// Redis connections per credential, pooled and pipelined by the backend. Owner: Redis (FlowrunRedis).
public protocol RedisService: Sendable {
    /// Runs `body` with a pooled connection for `credential` (n8n's `redis` credential fields:
    /// host, port, password, user, database, ssl).
    func withConnection<T: Sendable>(
        _ credential: ResolvedCredential, _ body: (any RedisConnection) async throws -> T
    ) async throws -> T
}

/// One connection: commands as argument lists (binary-safe), replies as RESP values.
public protocol RedisConnection: Sendable {
    func send(_ arguments: [RedisArgument]) async throws -> RESPValue
    /// Sends every command before reading any reply (pipelining); replies in order.
    func pipeline(_ commands: [[RedisArgument]]) async throws -> [RESPValue]
}

/// One argument of a Redis command.
public enum RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral {
    case string(String)
    case bytes([UInt8])

    public init(stringLiteral value: String) { self = .string(value) }
}

/// A RESP2/RESP3 reply. A server error reply is `.error`; callers turn it into their own error.
public indirect enum RESPValue: Sendable, Hashable {
    case null
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case array([RESPValue])
    case double(Double)
    case bool(Bool)
    case map([(RESPValue, RESPValue)])

    public static func == (lhs: RESPValue, rhs: RESPValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.simpleString(let a), .simpleString(let b)), (.error(let a), .error(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bulkString(let a), .bulkString(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .simpleString(let s), .error(let s): hasher.combine(s)
        case .integer(let i): hasher.combine(i)
        case .bulkString(let b): hasher.combine(b)
        case .array(let a): hasher.combine(a)
        case .double(let d): hasher.combine(d)
        case .bool(let b): hasher.combine(b)
        case .map(let m): hasher.combine(m.count)
        }
    }

    /// The reply as text (simple or bulk string, integer), else nil.
    public var string: String? {
        switch self {
        case .simpleString(let s): s
        case .bulkString(let b): String(decoding: b, as: UTF8.self)
        case .integer(let i): String(i)
        case .double(let d): String(d)
        default: nil
        }
    }
}
