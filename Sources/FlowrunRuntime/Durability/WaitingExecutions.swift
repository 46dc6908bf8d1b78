public import FlowrunCore
public import FlowrunExpressions
import FlowrunNodes
import Foundation

/// A recorded execution that a node put to wait (a Wait node resuming on a webhook call), as read
/// back from the execution store.
public struct WaitingExecution: Sendable {
    public var record: ExecutionRecord
    /// The state it stopped in, with its run data.
    public var state: ExecutionState
    /// Which node waits, and until when.
    public var suspension: ExecutionState.Suspension
}

/// Why `/webhook-waiting/<id>` cannot resume an execution, with n8n's messages and statuses.
public struct ResumeRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case notFound, running, failed, finished
    }

    public var reason: Reason
    public var executionID: String

    public init(_ reason: Reason, executionID: String) {
        self.reason = reason
        self.executionID = executionID
    }

    /// n8n's `NotFoundError` (404) or `ConflictError` (409).
    public var httpStatus: Int { reason == .notFound ? 404 : 409 }

    /// n8n's messages (`WaitingWebhooks.executeWebhook`), word for word: the missing closing quote
    /// in "has finished already" is n8n's.
    public var description: String {
        switch reason {
        case .notFound: "The execution \"\(executionID)\" does not exist."
        case .running: "The execution \"\(executionID)\" is running already."
        case .failed: "The execution \"\(executionID)\" has finished with error."
        case .finished: "The execution \"\(executionID) has finished already."
        }
    }
}

extension Runtime {
    /// The execution `id` if it waits, read from the execution store (record, checkpoint, node runs).
    ///
    /// - Throws: `ResumeRefusal` when it is unknown (also without an execution store), running,
    ///   ended with an error or ended; `StoreError` when the store fails.
    public func waitingExecution(id: String) async throws -> WaitingExecution {
        guard let store = services.executionStore, let record = try await store.execution(id: id) else {
            throw ResumeRefusal(.notFound, executionID: id)
        }
        switch record.status {
        case .waiting: break
        case .new, .running: throw ResumeRefusal(.running, executionID: id)
        case .error, .crashed, .canceled: throw ResumeRefusal(.failed, executionID: id)
        case .success: throw ResumeRefusal(.finished, executionID: id)
        }
        guard let checkpoint = try await store.checkpoint(executionID: id) else { throw ResumeRefusal(.notFound, executionID: id) }
        let state = try ExecutionState(checkpoint: checkpoint, runData: try await Self.runData(store, executionID: id))
        guard let suspension = state.suspension else { throw ResumeRefusal(.running, executionID: id) }
        return WaitingExecution(record: record, state: state, suspension: suspension)
    }

    /// Takes a waiting execution for this process, atomically (status `running`): false when
    /// another request or process resumed it first.
    public func claimWaiting(_ waiting: WaitingExecution) async throws -> Bool {
        guard let store = services.executionStore else { return false }
        let owner: String
        if let lease = recorder?.lease {
            try await lease.ensureRegistered()
            owner = lease.owner.id
        } else {
            owner = "resume:" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
        }
        return try await store.takeOver(executionID: waiting.record.id, from: nil, to: owner, status: .running, at: OwnerLease.wallMilliseconds())
    }

    /// The options that continue a claimed waiting execution: the waiting node outputs `items`
    /// (the webhook request's item), or its own input when `items` is nil (the wait limit passed).
    public static func resumeOptions(_ waiting: WaitingExecution, graph: WorkflowGraph, with items: [Item]?) throws -> Engine.RunOptions {
        var options = runOptions(waiting.record, graph: graph, executionID: waiting.record.id)
        options.resume = try waiting.state.resumingWait(with: items)
        return options
    }

    /// Recorded waiting executions whose wait limit is at or before `time` (ms since 1970).
    public func waitingExecutions(dueBy time: Double, limit: Int = 100) async throws -> [WaitingExecution] {
        guard let store = services.executionStore else { return [] }
        var due: [WaitingExecution] = []
        for record in try await store.executions(matching: ExecutionQuery(statuses: [.waiting], limit: 10_000)) {
            guard let checkpoint = try await store.checkpoint(executionID: record.id),
                  let waitTill = checkpoint["suspension"]?["waitTill"]?.numberValue, waitTill <= time
            else { continue }
            if let waiting = try? await waitingExecution(id: record.id) { due.append(waiting) }
            if due.count >= limit { break }
        }
        return due
    }

    /// What `flowrun run` says about an execution that ended waiting (nil for others): which node
    /// waits, the URL that resumes it, and until when.
    public static func waitingNotice(_ result: ExecutionResult, graph: WorkflowGraph, webhookBaseURL: String) -> String? {
        guard result.status == .waiting, let suspension = result.waiting?.suspension else { return nil }
        var url = "\(webhookBaseURL)/webhook-waiting/\(result.executionID)"
        var method = "GET"
        if let node = graph.node(suspension.node), let spec = WaitWebhook.spec(parameters: node.document.parameters, typeVersion: node.typeVersion) {
            if !spec.path.isEmpty { url += "/" + spec.path }
            method = spec.methods.first ?? "GET"
        }
        var text = "Execution \(result.executionID) is waiting at node \"\(suspension.node)\": a \(method) request to \(url) on `flowrun serve` (same execution store) resumes it"
        if let till = suspension.waitTill {
            text += "; without one it resumes by itself at \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: till / 1000))) on a running `flowrun serve`"
        }
        return text
    }
}
