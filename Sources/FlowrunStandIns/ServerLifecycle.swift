import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a stand-in's Hummingbird application while a body runs, then stops it with a graceful
/// shutdown (stop accepting, finish open requests) and cancels only what is still open after a
/// grace period.
///
/// Cancelling a Hummingbird server outright can trap in NIO ("Deinited NIOAsyncWriter without
/// calling finish()") when a connection was accepted but not yet handed to the server loop
/// (apple/swift-nio#3481): under load a client reconnecting while a test ends hits that window.
enum ServerLifecycle {
    static func withRunning<T: Sendable>(
        _ app: some ApplicationProtocol, ports: (stream: AsyncStream<Int>, continuation: AsyncStream<Int>.Continuation),
        logger: Logger, grace: Duration = .seconds(3),
        notStarted: @autoclosure () -> any Error, _ body: (Int) async throws -> T
    ) async throws -> T {
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A server that cannot bind ends the stream, so the wait below ends with its error.
                defer { ports.continuation.finish() }
                try await services.run()
            }
            var iterator = ports.stream.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                while try await group.next() != nil {}
                throw notStarted()
            }
            let outcome: Result<T, any Error>
            do { outcome = .success(try await body(port)) } catch { outcome = .failure(error) }
            await stop(services, group: &group, grace: grace)
            return try outcome.get()
        }
    }

    private static func stop(_ services: ServiceGroup, group: inout ThrowingTaskGroup<Void, any Error>, grace: Duration) async {
        await services.triggerGracefulShutdown()
        group.addTask { try await Task.sleep(for: grace) }
        // Whichever ends first: the server's graceful stop, or the grace period.
        _ = try? await group.next()
        group.cancelAll()
        while (try? await group.next()) != nil {}
    }
}
