public import Logging
import Hummingbird
import NIOCore
import Synchronization

/// A scriptable HTTP/1.1 server on 127.0.0.1 for tests: records every request and answers each
/// path as told (status/body/headers, fail N times then succeed, 429 with Retry-After, hang,
/// close mid-response, redirects, echo).
///
/// ```swift
/// try await TestHTTPServer.withRunning { server in
///     server.script("/flaky", [.status(503), .status(503)], then: .json(#"{"ok":true}"#))
///     … call "\(server.baseURL)/flaky" …
///     #expect(server.requests(path: "/flaky").count == 3)
/// }
/// ```
/// Unscripted paths answer `404 {"error": "no script for <path>"}`.
public final class TestHTTPServer: Sendable {
    struct Script {
        var replies: [TestHTTPReply]
        var then: TestHTTPReply?
    }

    struct State {
        var scripts: [String: Script] = [:]
        var requests: [TestHTTPRequest] = []
    }

    private let state = Mutex(State())
    /// The port the server listens on (known once `withRunning` calls its body).
    public let port: Int

    init(port: Int) {
        self.port = port
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server on 127.0.0.1 and an ephemeral port, runs `body`, then stops the server
    /// (requests still hanging are cancelled).
    public static func withRunning<T: Sendable>(
        logger: Logger = Logger(label: "flowrun.standins.testhttp", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (TestHTTPServer) async throws -> T
    ) async throws -> T {
        let box = ServerBox()
        let ports = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in try await box.respond(to: request) },
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                ports.continuation.yield(channel.localAddress?.port ?? 0)
                ports.continuation.finish()
            },
            logger: logger)
        return try await ServerLifecycle.withRunning(
            app, ports: ports, logger: logger, notStarted: TestHTTPServerError(message: "the test HTTP server did not start on 127.0.0.1")
        ) { port in
            let server = TestHTTPServer(port: port)
            box.server.withLock { $0 = server }
            return try await body(server)
        }
    }

    /// Scripts `path`: the replies are used in order, one per request; afterwards every request
    /// gets `then` (or the last reply when `then` is nil).
    public func script(_ path: String, _ replies: [TestHTTPReply], then: TestHTTPReply? = nil) {
        state.withLock { $0.scripts[path] = Script(replies: replies, then: then) }
    }

    /// Scripts `path` to answer `reply` to every request.
    public func script(_ path: String, always reply: TestHTTPReply) {
        script(path, [], then: reply)
    }

    /// Scripts `path` to fail `count` times with `failure`, then answer `success`.
    public func script(_ path: String, fail count: Int, with failure: TestHTTPReply = .status(503), then success: TestHTTPReply) {
        script(path, Array(repeating: failure, count: count), then: success)
    }

    /// The requests received so far (for `path` only when given), in arrival order.
    public func requests(path: String? = nil) -> [TestHTTPRequest] {
        state.withLock { s in path.map { p in s.requests.filter { $0.path == p } } ?? s.requests }
    }

    /// Forgets every script and recorded request.
    public func reset() {
        state.withLock { $0 = State() }
    }

    func nextReply(for request: TestHTTPRequest) -> TestHTTPReply? {
        state.withLock { s in
            s.requests.append(request)
            guard var script = s.scripts[request.path] else { return nil }
            if !script.replies.isEmpty {
                let reply = script.replies.removeFirst()
                if script.then == nil && script.replies.isEmpty { script.then = reply }
                s.scripts[request.path] = script
                return reply
            }
            return script.then
        }
    }
}

/// The test server failed to start.
public struct TestHTTPServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
