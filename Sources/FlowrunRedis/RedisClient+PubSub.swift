import FlowrunCore

/// A message received on a subscription.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The pattern that matched, for pattern subscriptions.
    public var pattern: String?
    public var payload: [UInt8]

    /// The payload as UTF-8 text.
    public var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Messages of SUBSCRIBE/PSUBSCRIBE on a connection of their own, as an AsyncSequence. The
/// sequence ends when `close()` is called, and fails with `RedisBackendError(.connectionClosed)`
/// when the connection is lost.
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisPubSubMessage
    let connection: RedisNIOConnection
    let stream: AsyncThrowingStream<RedisPubSubMessage, any Error>
    let continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation

    init(connection: RedisNIOConnection, stream: AsyncThrowingStream<RedisPubSubMessage, any Error>,
         continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation) {
        self.connection = connection
        self.stream = stream
        self.continuation = continuation
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<RedisPubSubMessage, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Ends the sequence and closes the connection.
    public func close() async {
        continuation.finish()
        await connection.closeAndWait()
    }
}

extension RedisClient {
    /// Subscribes to `channels` (SUBSCRIBE) and `patterns` (PSUBSCRIBE) on a new connection; the
    /// subscriptions are active when this returns. Call `close()` when done (or use
    /// `withSubscription`).
    public func subscribe(to channels: [String], patterns: [String] = []) async throws -> RedisSubscription {
        guard !channels.isEmpty || !patterns.isEmpty else {
            throw RedisBackendError(.configuration, "subscribe needs at least one channel or pattern")
        }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: RedisPubSubMessage.self, bufferingPolicy: .unbounded)
        var configuration = self.configuration
        configuration.commandTimeout = self.configuration.commandTimeout
        let connection = try await RedisNIOConnection.connect(
            configuration,
            onPush: { reply in
                guard let parts = reply.array, let kind = parts.first?.string else { return }
                if kind == "message", parts.count == 3 {
                    continuation.yield(RedisPubSubMessage(channel: parts[1].string ?? "", pattern: nil, payload: parts[2].bytes ?? []))
                } else if kind == "pmessage", parts.count == 4 {
                    continuation.yield(RedisPubSubMessage(
                        channel: parts[2].string ?? "", pattern: parts[1].string, payload: parts[3].bytes ?? []))
                }
            },
            onClose: { error in continuation.finish(throwing: error) })
        // One command per channel: each confirmation is one reply, so replies stay in step.
        let commands: [[RedisArgument]] = channels.map { ["SUBSCRIBE", .string($0)] } + patterns.map { ["PSUBSCRIBE", .string($0)] }
        do {
            let replies = try await connection.pipeline(commands)
            for reply in replies {
                if case .error(let text) = reply { throw RedisBackendError(.server, text, server: configuration.serverName) }
            }
        } catch {
            continuation.finish()
            await connection.closeAndWait()
            throw error
        }
        return RedisSubscription(connection: connection, stream: stream, continuation: continuation)
    }

    /// Runs `body` with a subscription, closing it when `body` returns or throws.
    public func withSubscription<T: Sendable>(
        to channels: [String], patterns: [String] = [], _ body: (RedisSubscription) async throws -> T
    ) async throws -> T {
        let subscription = try await subscribe(to: channels, patterns: patterns)
        do {
            let result = try await body(subscription)
            await subscription.close()
            return result
        } catch {
            await subscription.close()
            throw error
        }
    }
}
