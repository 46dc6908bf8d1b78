public import FlowrunCore
import NIOCore
import NIOPosix

/// One connection to a Redis server on SwiftNIO (MultiThreadedEventLoopGroup.singleton), with
/// AUTH and SELECT done at connect time. Many commands may be in flight at once, from any task:
/// replies are matched to commands in order. Server error replies come back as `.error`.
public final class RedisNIOConnection: RedisConnection, Sendable {
    let channel: any Channel
    public let configuration: RedisConfiguration

    private init(channel: any Channel, configuration: RedisConfiguration) {
        self.channel = channel
        self.configuration = configuration
    }

    /// Opens a connection, authenticates and selects the database.
    ///
    /// - Throws: `RedisBackendError` `.connectionRefused`, `.timeout` (connect), `.authentication`.
    public static func connect(
        _ configuration: RedisConfiguration, onPush: (@Sendable (RESPValue) -> Void)? = nil,
        onClose: (@Sendable (RedisBackendError) -> Void)? = nil
    ) async throws -> RedisNIOConnection {
        let server = configuration.serverName
        let timeout = TimeAmount(configuration.connectTimeout)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try RedisChannelHandler(server: server, onPush: onPush, onClose: onClose)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw RedisBackendError(.timeout, "could not connect within \(timeout.prettyDescription)", server: server)
            }
            throw RedisBackendError(.connectionRefused, "could not connect: \(error)", server: server)
        } catch {
            throw RedisBackendError(.connectionRefused, "could not connect: \(Self.describe(error))", server: server)
        }
        let connection = RedisNIOConnection(channel: channel, configuration: configuration)
        do {
            try await connection.handshake()
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func handshake() async throws {
        var commands: [[RedisArgument]] = []
        if let password = configuration.password {
            if let user = configuration.user {
                commands.append(["AUTH", .string(user), .string(password)])
            } else {
                commands.append(["AUTH", .string(password)])
            }
        }
        if configuration.database != 0 { commands.append(["SELECT", .string(String(configuration.database))]) }
        guard !commands.isEmpty else { return }
        let replies = try await pipeline(commands)
        for (command, reply) in zip(commands, replies) {
            if case .error(let text) = reply {
                let step = command[0] == "SELECT" ? "SELECT \(configuration.database)" : "AUTH"
                throw RedisBackendError(.authentication, "\(step) failed: \(text)", server: configuration.serverName)
            }
        }
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    public func send(_ arguments: [RedisArgument]) async throws -> RESPValue {
        try await send(arguments, timeout: configuration.commandTimeout)
    }

    /// Sends one command; `timeout` nil waits forever. On timeout the connection is closed (its
    /// replies would be out of step) and every command in flight on it fails.
    public func send(_ arguments: [RedisArgument], timeout: Duration?) async throws -> RESPValue {
        var buffer = channel.allocator.buffer(capacity: 64)
        try RESPEncoder.encode(arguments, into: &buffer)
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let request = RedisRequest(bytes: buffer, promises: [promise], timeout: timeout.map(TimeAmount.init))
        channel.writeAndFlush(request).cascadeFailure(to: promise)
        return try await promise.futureResult.get()
    }

    public func pipeline(_ commands: [[RedisArgument]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var buffer = channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { try RESPEncoder.encode(command, into: &buffer) }
        let promises = commands.map { _ in channel.eventLoop.makePromise(of: RESPValue.self) }
        let request = RedisRequest(bytes: buffer, promises: promises, timeout: configuration.commandTimeout.map(TimeAmount.init))
        channel.writeAndFlush(request).whenFailure { error in
            for p in promises { p.fail(error) }
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(promises.count)
        for p in promises { replies.append(try await p.futureResult.get()) }
        return replies
    }

    /// Closes the connection; commands in flight fail with `.connectionClosed`.
    public func close() {
        channel.close(mode: .all, promise: nil)
    }

    /// Closes the connection and waits until it is closed.
    public func closeAndWait() async {
        try? await channel.close(mode: .all).get()
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return io.description }
        return String(describing: error)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var prettyDescription: String {
        let ms = nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
