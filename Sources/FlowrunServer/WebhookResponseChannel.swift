import FlowrunCore
import Synchronization

/// The waiting side of a `responseNode` webhook: the Respond to Webhook node's answer, or nil
/// when the execution ended without one. Only the first response is kept.
final class WebhookResponseChannel: WebhookResponder {
    let requestMethod: String
    private let state = Mutex<(value: WebhookResponse?, closed: Bool, waiter: CheckedContinuation<WebhookResponse?, Never>?)>((nil, false, nil))

    init(requestMethod: String) {
        self.requestMethod = requestMethod
    }

    func respond(_ response: WebhookResponse) async -> Bool {
        let (accepted, waiter) = state.withLock { s -> (Bool, CheckedContinuation<WebhookResponse?, Never>?) in
            guard s.value == nil, !s.closed else { return (false, nil) }
            s.value = response
            defer { s.waiter = nil }
            return (true, s.waiter)
        }
        waiter?.resume(returning: response)
        return accepted
    }

    func executionEnded() async { close() }

    /// Ends the channel (the execution finished): a waiter without a response gets nil.
    func close() {
        let waiter = state.withLock { s -> CheckedContinuation<WebhookResponse?, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.value == nil ? s.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// The response, as soon as there is one; nil when the channel closed first, or when the
    /// waiting task is cancelled (the channel is then closed).
    func wait() async -> WebhookResponse? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: (WebhookResponse?, Bool) = state.withLock { s in
                    if let v = s.value { return (v, true) }
                    if s.closed { return (nil, true) }
                    if Task.isCancelled {
                        s.closed = true
                        return (nil, true)
                    }
                    s.waiter = continuation
                    return (nil, false)
                }
                if ready.1 { continuation.resume(returning: ready.0) }
            }
        } onCancel: {
            close()
        }
    }
}
