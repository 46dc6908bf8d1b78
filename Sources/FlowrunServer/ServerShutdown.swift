import ServiceLifecycle
import Synchronization

/// Asks a running `WorkflowServer` to shut down gracefully from outside its service group (tests,
/// programs that embed the server): the server stops accepting requests, lets executions in flight
/// finish, then `run` returns. Cancelling the task that runs the server instead ends open
/// connections abruptly.
public final class ServerShutdown: Sendable {
    private let state = Mutex<(group: ServiceGroup?, requested: Bool)>((nil, false))

    public init() {}

    /// Starts the graceful shutdown; returns at once (await the server's `run` for its end). A
    /// request made before the server started is kept, and the server shuts down as it starts.
    public func trigger() async {
        let group = state.withLock { state in
            state.requested = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Binds the server's group; delivers a request made before.
    func attach(_ group: ServiceGroup) async {
        let requested = state.withLock { state in
            state.group = group
            return state.requested
        }
        if requested { await group.triggerGracefulShutdown() }
    }
}
