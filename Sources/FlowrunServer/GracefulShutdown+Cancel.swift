import ServiceLifecycle

/// Runs `body` until it returns, or until a graceful shutdown cancels it, which is then a normal
/// end: a service that merely waits (schedules, reload polling) must not make the server's exit
/// after SIGTERM look like a failure.
func cancelOnGracefulShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch is CancellationError where Task.isShuttingDownGracefully {
        return
    }
}
