import FlowrunCore
import Synchronization

/// An execution's result, set once and awaited by any number of tasks: the shared core of both
/// dispatchers' tickets.
final class ResultSlot: Sendable {
    private let state = Mutex<(result: ExecutionResult?, waiters: [CheckedContinuation<ExecutionResult, Never>])>((nil, []))

    /// The result, once it is set. With `fallback`, a cancelled wait stops waiting: the waiters
    /// get `fallback()` instead (the slot itself stays unset).
    func wait(orOnCancel fallback: (@Sendable () -> ExecutionResult)? = nil) async -> ExecutionResult {
        guard let fallback else { return await suspend(orOnCancel: nil) }
        return await withTaskCancellationHandler {
            await suspend(orOnCancel: fallback)
        } onCancel: {
            resume(state.withLock { s in
                defer { s.waiters = [] }
                return s.waiters
            }, with: fallback())
        }
    }

    /// Sets the result and wakes every waiter.
    func fulfil(_ result: ExecutionResult) {
        resume(state.withLock { s in
            s.result = result
            defer { s.waiters = [] }
            return s.waiters
        }, with: result)
    }

    /// With `fallback`, a task cancelled before it waits gets `fallback()` at once (the cancellation
    /// handler ran before there was a waiter to wake).
    private func suspend(orOnCancel fallback: (@Sendable () -> ExecutionResult)?) async -> ExecutionResult {
        await withCheckedContinuation { continuation in
            let ready: ExecutionResult? = state.withLock { s in
                if let r = s.result { return r }
                if let fallback, Task.isCancelled { return fallback() }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func resume(_ waiters: [CheckedContinuation<ExecutionResult, Never>], with result: ExecutionResult) {
        for waiter in waiters { waiter.resume(returning: result) }
    }
}
