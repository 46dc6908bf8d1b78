import FlowrunCore
import Testing

@testable import FlowrunServer

/// A request task that is cancelled (the server's grace ran out, the client left) must stop
/// waiting for an execution's answer, whether the cancellation comes before or during the wait.
@Suite("Waiting for an execution's answer ends on cancellation")
struct WaitCancellationTests {
    static func result(_ status: ExecutionStatus) -> ExecutionResult {
        ExecutionResult(executionID: "e", status: status, runData: [:], executionOrder: [], lastNodeExecuted: nil,
                        error: nil, startedAt: 0, stoppedAt: 0)
    }

    @Test("a Respond to Webhook wait returns nil when its task is cancelled while waiting")
    func channelCancelledWhileWaiting() async {
        let channel = WebhookResponseChannel(requestMethod: "POST")
        let waiter = Task { await channel.wait() }
        await Task.yield()
        waiter.cancel()
        #expect(await waiter.value == nil)
        // The channel is closed: a late answer is refused.
        #expect(await channel.respond(WebhookResponse(status: 200)) == false)
    }

    @Test("a Respond to Webhook wait in an already cancelled task returns nil at once")
    func channelCancelledBeforeWaiting() async {
        let channel = WebhookResponseChannel(requestMethod: "POST")
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await channel.wait()
        }
        #expect(await waiter.value == nil)
    }

    @Test("a result wait with a fallback gets the fallback when cancelled before or while waiting")
    func slotCancelled() async {
        let slot = ResultSlot()
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await slot.wait(orOnCancel: { Self.result(.canceled) })
        }
        #expect(await early.value.status == .canceled)
        let late = Task { await slot.wait(orOnCancel: { Self.result(.canceled) }) }
        await Task.yield()
        late.cancel()
        #expect(await late.value.status == .canceled)
        slot.fulfil(Self.result(.success))
        #expect(await slot.wait().status == .success)
    }
}
