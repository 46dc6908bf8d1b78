import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation

extension WebhookHandler {
    /// Starts the execution and answers per `responseMode`.
    func execute(_ request: IncomingRequest, endpoint: WebhookEndpoint, item: Item) async -> Reply {
        let spec = endpoint.spec
        if spec.responseMode == .responseNode, spec.typeVersion >= 2, !endpoint.workflow.hasRespondNode {
            return .n8nError(500, code: 0, "No Respond to Webhook node found in the workflow")
        }
        let executionID = Self.newExecutionID()
        let job = ExecutionJob(
            executionID: executionID, workflow: endpoint.workflow, startNode: endpoint.nodeName, input: [item],
            mode: request.isTest ? .manual : .webhook)
        let channel = WebhookResponseChannel(requestMethod: request.method)
        let ticket: any ExecutionTicket
        do {
            ticket = try await dispatcher.submit(job, responder: channel)
        } catch let error as DispatchError {
            return .n8nError(503, code: 503, error.publicMessage)
        } catch {
            logger.error("Execution not accepted", metadata: ["flowrun.execution.id": "\(executionID)", "flowrun.error": "\(error)"])
            return .n8nError(503, code: 503, "The execution could not be started; try again later")
        }
        // No answer (in any response mode) before the execution's record is durable.
        do {
            try await ticket.recorded()
        } catch let error as DispatchError {
            logger.error("Execution not recorded", metadata: ["flowrun.execution.id": "\(executionID)", "flowrun.error": "\(error)"])
            return .n8nError(503, code: 503, error.publicMessage)
        } catch {
            return .n8nError(503, code: 503, "The execution could not be recorded; try again later")
        }
        var reply: Reply
        switch spec.responseMode {
        case .onReceived, .streaming:
            reply = onReceived(spec)
        case .lastNode:
            reply = lastNode(await ticket.result(), spec: spec)
        case .responseNode:
            if let response = await channel.wait() {
                reply = Reply(status: response.status, headers: response.headers, body: response.body)
                return reply.adding(HTTPField("X-Flowrun-Execution-Id", executionID))
            }
            let result = await ticket.result()
            reply = result.status == .success
                ? .json(200, ["message": "Workflow executed successfully"])
                : .json(500, ["message": "Error in workflow"])
        }
        for header in spec.responseHeaders {
            reply.headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            reply.headers.append(header)
        }
        return reply.adding(HTTPField("X-Flowrun-Execution-Id", executionID))
    }

    func onReceived(_ spec: WebhookTriggerSpec) -> Reply {
        if spec.noResponseBody { return Reply(status: spec.responseCode) }
        if let body = spec.onReceivedBody, !body.isEmpty {
            return Reply(status: spec.responseCode, headers: [HTTPField("Content-Type", spec.responseContentType ?? "text/html; charset=utf-8")], body: Array(body.utf8))
        }
        return .json(spec.responseCode, ["message": "Workflow was started"])
    }

    /// `lastNode`: the first output of the node that ran last, per `responseData`.
    func lastNode(_ result: ExecutionResult, spec: WebhookTriggerSpec) -> Reply {
        // A waiting execution (Wait node) answers with the data it has so far, as n8n does.
        guard result.status == .success || result.status == .waiting else { return .json(500, ["message": "Error in workflow"]) }
        let items = result.lastNodeExecuted.flatMap { result.runData[$0]?.last?.output?.first } ?? []
        if spec.noResponseBody || spec.responseData == "noData" { return Reply(status: spec.responseCode) }
        switch spec.responseData {
        case "allEntries":
            return body(.array(items.map { .object($0.json) }), spec: spec)
        case "firstEntryBinary":
            guard let item = items.first else { return .n8nError(500, code: 0, "No item to return was found") }
            let name = spec.responseBinaryPropertyName
            guard let binary = item.binary?[name]?.objectValue, let data = binary["data"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
                return .n8nError(500, code: 0, "The binary property \"\(name)\" which should be returned does not exist")
            }
            return Reply(status: spec.responseCode, headers: [HTTPField("Content-Type", binary["mimeType"]?.stringValue ?? "application/octet-stream")], body: Array(data))
        default:
            guard let item = items.first else { return .n8nError(500, code: 0, "No item to return was found") }
            var value = JSONValue.object(item.json)
            if let property = spec.responsePropertyName {
                value = Self.lookup(property, in: value) ?? .null
            }
            return body(value, spec: spec)
        }
    }

    /// JSON, or the value as text when `responseContentType` is not JSON and the value a string.
    func body(_ value: JSONValue, spec: WebhookTriggerSpec) -> Reply {
        if let type = spec.responseContentType {
            if !type.contains("json"), case .string(let text) = value {
                return Reply(status: spec.responseCode, headers: [HTTPField("Content-Type", type)], body: Array(text.utf8))
            }
            return Reply(status: spec.responseCode, headers: [HTTPField("Content-Type", type)], body: Array(value.jsonString().utf8))
        }
        return .json(spec.responseCode, value)
    }

    /// lodash `get` with dotted paths.
    static func lookup(_ path: String, in value: JSONValue) -> JSONValue? {
        var current: JSONValue? = value
        for key in path.split(separator: ".") {
            switch current {
            case .object(let o)?: current = o[String(key)]
            case .array(let a)?: current = Int(key).flatMap { $0 >= 0 && $0 < a.count ? a[$0] : nil }
            default: return nil
            }
        }
        return current
    }

    /// A sortable id: milliseconds since 1970 in base 36 plus random bits.
    static func newExecutionID() -> String {
        let ms = UInt64(Date().timeIntervalSince1970 * 1000)
        return String(ms, radix: 36) + String(UInt64.random(in: 0...UInt64(UInt32.max)), radix: 36)
    }
}
