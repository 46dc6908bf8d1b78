import FlowrunExpressions
import Hummingbird
import Logging
import NIOCore

/// Serves a stand-in router on a loopback (or any) address until the task is cancelled.
public enum StandInServer {
    /// Runs `router` on `host:port` (port 0 picks a free port) and calls `onRunning` with the bound
    /// port once the server accepts connections. Returns when the enclosing task is cancelled.
    public static func run(
        router: Router<BasicRequestContext>,
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        try await application(router: router, host: host, port: port, logger: logger, onRunning: onRunning).run()
    }

    static func application(
        router: Router<BasicRequestContext>, host: String, port: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            responder: router.buildResponder(),
            configuration: .init(address: .hostname(host, port: port), serverName: "flowrun-standins"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

extension StandInServer {
    /// Serves `router` on 127.0.0.1 and a free port while `body` runs, then stops the server.
    ///
    /// `body` receives the base URL (`http://127.0.0.1:PORT`); the API prefixes go after it.
    public static func withRunning<T: Sendable>(
        router: Router<BasicRequestContext>,
        logger: Logger = Logger(label: "flowrun.standins", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (String) async throws -> T
    ) async throws -> T {
        let ports = AsyncStream<Int>.makeStream()
        let app = application(router: router, host: "127.0.0.1", port: 0, logger: logger) { port in
            ports.continuation.yield(port)
            ports.continuation.finish()
        }
        return try await ServerLifecycle.withRunning(
            app, ports: ports, logger: logger, notStarted: StandInServerError(message: "the stand-in server did not start on 127.0.0.1")
        ) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}

/// The stand-in server could not start.
public struct StandInServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "flowrun-standins: \(message)" }
}
