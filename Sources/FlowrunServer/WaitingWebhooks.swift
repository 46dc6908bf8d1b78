import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRuntime
import Foundation
import Logging

/// Serves `/webhook-waiting/<execution id>[/<suffix>]` as n8n's `WaitingWebhooks` does: resumes
/// an execution a Wait node put to wait (recorded in the execution store) with the request's item
/// as the Wait node's output, after the node's method, suffix and authentication matched; answers
/// per the node's response mode. Unknown, running and ended executions get n8n's 404/409 errors.
struct WaitingWebhooks: Sendable {
    static let prefix = "/webhook-waiting/"

    let runtime: Runtime
    let workflows: WorkflowSet
    let dispatcher: any ExecutionDispatcher
    /// Authentication, item building and responses as for `/webhook/`.
    let webhooks: WebhookHandler
    let logger: Logger

    /// `request.path` is what follows `/webhook-waiting/`.
    func handle(_ request: IncomingRequest) async -> Reply {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = parts.first else { return .n8nError(404, code: 404, "Not found") }
        let executionID = String(first)
        let suffix = parts.dropFirst().joined(separator: "/")
        logger.debug("Received waiting-webhook", metadata: ["flowrun.execution.id": "\(executionID)", "http.method": "\(request.method)"])
        let waiting: WaitingExecution
        do {
            waiting = try await runtime.waitingExecution(id: executionID)
        } catch let refusal as ResumeRefusal {
            return .n8nError(refusal.httpStatus, code: refusal.httpStatus, refusal.description)
        } catch {
            logger.warning("Waiting execution not read", metadata: ["flowrun.execution.id": "\(executionID)", "flowrun.error": "\(error)"])
            return .n8nError(500, code: 500, "The execution \"\(executionID)\" could not be read")
        }
        guard let workflow = workflow(for: waiting.record), let node = workflow.graph.node(waiting.suspension.node) else {
            return .n8nError(404, code: 404, "Could not find node to process webhook.")
        }
        guard let spec = WaitWebhook.spec(parameters: node.document.parameters, typeVersion: node.typeVersion),
              spec.methods.contains(request.method), spec.path == suffix
        else {
            return .n8nError(404, code: 404, "The workflow for execution \"\(executionID)\" does not contain a waiting webhook with a matching path/method.")
        }
        let endpoint = WebhookEndpoint(
            workflow: workflow, nodeName: node.name, spec: spec, gateway: GatewayOptions(), path: request.path, segments: [],
            credentials: node.document.credentials, jwtVerifier: nil)
        if spec.ignoreBots, WebhookHandler.isBot(request.header("user-agent")) {
            return .text(403, "Bots are not allowed to access this webhook!")
        }
        if case .failure(let failure) = await webhooks.authenticate(request, endpoint: endpoint) { return failure.reply }
        guard let body = await request.readBody(webhooks.maxBodyBytes) else {
            return .n8nError(413, code: 413, "The request body is larger than \(webhooks.maxBodyBytes) bytes")
        }
        let resumeURL = "\(webhooks.baseURL)\(Self.prefix)\(executionID)" + (suffix.isEmpty ? "" : "/" + suffix)
        let item: Item
        do {
            item = try WebhookRequestItem.item(
                for: WebhookRequest(method: request.method, headers: request.headers, query: request.query, body: body, webhookURL: resumeURL),
                spec: spec)
        } catch {
            return .n8nError(400, code: 400, error.description)
        }
        return await resume(waiting, workflow: workflow, items: [item], spec: spec, method: request.method)
    }

    /// Claims the execution and continues it through the dispatcher; answers per `spec` (nil: no
    /// request waits for the answer, the wait limit passed).
    func resume(_ waiting: WaitingExecution, workflow: LoadedWorkflow, items: [Item]?, spec: WebhookTriggerSpec?, method: String) async -> Reply {
        let executionID = waiting.record.id
        var job = ExecutionJob(executionID: executionID, workflow: workflow, startNode: waiting.suspension.node, input: [],
                               mode: ExecutionMode(waiting.record.mode))
        do {
            // In queue mode the worker that takes the job claims it (compare-and-set from "waiting"
            // with no owner) and rebuilds the state from the store with the job's items.
            if !(dispatcher is QueueDispatcher) {
                guard try await runtime.claimWaiting(waiting) else {
                    return .n8nError(409, code: 409, ResumeRefusal(.running, executionID: executionID).description)
                }
            }
            job.resume = try Runtime.resumeOptions(waiting, graph: workflow.graph, with: items).resume
        } catch {
            logger.warning("Waiting execution not resumed", metadata: ["flowrun.execution.id": "\(executionID)", "flowrun.error": "\(error)"])
            return .n8nError(500, code: 500, "The execution \"\(executionID)\" could not be resumed")
        }
        logger.info("Waiting execution resumed", metadata: [
            "flowrun.execution.id": "\(executionID)", "flowrun.node.name": "\(waiting.suspension.node)",
            "flowrun.resume.by": "\(items == nil ? "limit" : "webhook")",
        ])
        let channel = WebhookResponseChannel(requestMethod: method)
        let ticket: any ExecutionTicket
        do {
            ticket = try await dispatcher.submit(job, responder: channel)
        } catch {
            // Not started: it waits again, for another call or the wait limit.
            try? await runtime.services.executionStore?.finishExecution(id: executionID, status: .waiting, stoppedAt: Date().timeIntervalSince1970 * 1000, error: nil)
            logger.warning("Waiting execution not dispatched", metadata: ["flowrun.execution.id": "\(executionID)", "flowrun.error": "\(error)"])
            return .n8nError(503, code: 503, "The execution could not be resumed now; try again later")
        }
        guard let spec else { return Reply(status: 204) }
        var reply: Reply
        switch spec.responseMode {
        case .onReceived, .streaming:
            reply = webhooks.onReceived(spec)
        case .lastNode:
            reply = webhooks.lastNode(await ticket.result(), spec: spec)
        case .responseNode:
            if let response = await channel.wait() {
                return Reply(status: response.status, headers: response.headers, body: response.body)
            }
            let result = await ticket.result()
            reply = result.status == .success ? .json(200, ["message": "Workflow executed successfully"]) : .json(500, ["message": "Error in workflow"])
        }
        for header in spec.responseHeaders {
            reply.headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            reply.headers.append(header)
        }
        return reply
    }

    /// The served workflow the execution ran, else its file loaded again.
    func workflow(for record: ExecutionRecord) -> LoadedWorkflow? {
        guard let file = record.workflowFile else { return nil }
        let path = (file as NSString).standardizingPath
        if let served = workflows.workflows.first(where: { ($0.file as NSString).standardizingPath == path }) { return served }
        guard let graph = try? Runtime.loadGraph(file) else { return nil }
        return LoadedWorkflow(file: file, graph: graph, modified: Date())
    }
}
