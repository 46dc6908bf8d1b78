import FlowrunCore
import NIOCore

/// Commands written to a Redis channel: their encoded bytes and one promise per command, in order.
struct RedisRequest: Sendable {
    var bytes: ByteBuffer
    var promises: [EventLoopPromise<RESPValue>]
    /// Fails every command of the request (and closes the connection) when no reply came in time.
    var timeout: TimeAmount?
}

/// The NIO handler of one Redis connection: writes encoded commands, keeps a FIFO of pending
/// promises (many commands in flight: pipelining), decodes replies with hiredis and completes the
/// promises in order. When the connection fails or closes, every pending promise fails.
///
/// In subscriber mode, pushed `message`/`pmessage` arrays go to `onPush` instead of the FIFO.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<RESPValue>
        var deadline: Scheduled<Void>?
    }

    private let decoder: RESPDecoder
    private let server: String
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var failure: RedisBackendError?
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private let onClose: (@Sendable (RedisBackendError) -> Void)?

    init(server: String, onPush: (@Sendable (RESPValue) -> Void)? = nil,
         onClose: (@Sendable (RedisBackendError) -> Void)? = nil) throws(RedisBackendError) {
        self.decoder = try RESPDecoder()
        self.server = server
        self.onPush = onPush
        self.onClose = onClose
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            for p in request.promises { p.fail(failure) }
            promise?.fail(failure)
            return
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        for (index, p) in request.promises.enumerated() {
            var deadline: Scheduled<Void>? = nil
            // One deadline per request (on its last command): replies arrive in order.
            if let timeout = request.timeout, index == request.promises.count - 1 {
                deadline = context.eventLoop.scheduleTask(in: timeout) {
                    let (handler, context) = loopBound.value
                    handler.fail(RedisBackendError(.timeout, "no reply within \(timeout.prettyDescription)", server: handler.server),
                                 context: context)
                }
            }
            pending.append(Pending(promise: p, deadline: deadline))
        }
        context.writeAndFlush(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        do {
            try decoder.feed(unwrapInboundIn(data))
            while let reply = try decoder.next() {
                if let onPush, isPush(reply) {
                    onPush(reply)
                    continue
                }
                guard let next = pending.popFirst() else {
                    throw RedisBackendError(.protocolError, "the server sent a reply nobody asked for")
                }
                next.deadline?.cancel()
                next.promise.succeed(reply)
            }
        } catch let error as RedisBackendError {
            fail(error.at(server), context: context)
        } catch {
            fail(RedisBackendError(.protocolError, "\(error)", server: server), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(RedisBackendError(.connectionClosed, "the connection was closed", server: server), context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: RedisBackendError
        if let error = error as? RedisBackendError {
            reason = error
        } else {
            reason = RedisBackendError(.connectionClosed, "the connection failed: \(error)", server: server)
        }
        fail(reason, context: context)
    }

    /// Fails every pending command and closes the channel (once).
    private func fail(_ error: RedisBackendError, context: ChannelHandlerContext?) {
        if failure == nil {
            failure = error
            onClose?(error)
        }
        let reason = failure ?? error
        while let next = pending.popFirst() {
            next.deadline?.cancel()
            next.promise.fail(reason)
        }
        context?.close(promise: nil)
    }

    private func isPush(_ reply: RESPValue) -> Bool {
        guard case .array(let parts) = reply, let kind = parts.first?.string else { return false }
        return kind == "message" || kind == "pmessage"
    }
}
