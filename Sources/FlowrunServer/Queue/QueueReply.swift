import FlowrunCore
import FlowrunExpressions
import Foundation

/// What a worker sends back to the process whose webhook request waits: the execution's status
/// and error, the last node's output (for `lastNode` responses) and the Respond to Webhook answer.
struct QueueReply: Sendable {
    var result: ExecutionResult
    var response: WebhookResponse?

    var jsonValue: JSONValue {
        var o: JSONObject = [
            "executionId": .string(result.executionID), "status": .string(result.status.rawValue),
            "startedAt": .number(result.startedAt), "stoppedAt": .number(result.stoppedAt),
        ]
        if let last = result.lastNodeExecuted, let record = result.runData[last]?.last {
            o["lastNode"] = .string(last)
            o["lastRun"] = record.jsonValue
        }
        if let error = result.error {
            var e: JSONObject = ["code": .string(error.code.rawValue), "message": .string(error.message)]
            if let node = error.node { e["node"] = .string(node) }
            if let nodeError = error.nodeError { e["nodeError"] = nodeError.jsonValue }
            o["error"] = .object(e)
        }
        if let response {
            o["response"] = [
                "status": .number(Double(response.status)),
                "headers": .array(response.headers.map { .array([.string($0.name), .string($0.value)]) }),
                "body": .string(Data(response.body).base64EncodedString()),
            ]
        }
        return .object(o)
    }

    init(result: ExecutionResult, response: WebhookResponse?) {
        self.result = result
        self.response = response
    }

    init?(jsonValue value: JSONValue) {
        guard let id = value["executionId"]?.stringValue, let statusName = value["status"]?.stringValue,
              let status = ExecutionStatus(rawValue: statusName)
        else { return nil }
        var runData: [String: [NodeRunRecord]] = [:]
        let last = value["lastNode"]?.stringValue
        if let last, let run = value["lastRun"] { runData[last] = [NodeRunRecord(jsonValue: run)] }
        var failure: ExecutionFailure?
        if let e = value["error"] {
            failure = ExecutionFailure(.init(e["code"]?.stringValue ?? "nodeFailed"), e["message"]?.stringValue ?? "Unknown error",
                                       node: e["node"]?.stringValue, nodeError: e["nodeError"].map(NodeError.init(jsonValue:)))
        }
        result = ExecutionResult(executionID: id, status: status, runData: runData, executionOrder: last.map { [$0] } ?? [],
                                 lastNodeExecuted: last, error: failure, startedAt: value["startedAt"]?.numberValue ?? 0,
                                 stoppedAt: value["stoppedAt"]?.numberValue ?? 0)
        if let r = value["response"] {
            let headers = (r["headers"]?.arrayValue ?? []).compactMap { pair -> HTTPField? in
                guard let p = pair.arrayValue, p.count == 2, let name = p[0].stringValue, let v = p[1].stringValue else { return nil }
                return HTTPField(name, v)
            }
            let body = r["body"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
            response = WebhookResponse(status: Int(r["status"]?.numberValue ?? 200), headers: headers, body: body)
        } else {
            response = nil
        }
    }
}

extension QueueReply {
    /// The reply of an execution that ended, rebuilt from the store (status, error, the last node's
    /// recorded run) when the worker's own reply is gone. A Respond to Webhook answer is not in
    /// the store: the waiting request then gets the default answer of its response mode.
    static func rebuilt(from record: ExecutionRecord, store: any ExecutionStore) async throws -> QueueReply {
        var o: JSONObject = [
            "executionId": .string(record.id), "status": .string(Self.resultStatus(record.status).rawValue),
            "startedAt": .number(record.startedAt), "stoppedAt": .number(record.stoppedAt ?? record.startedAt),
        ]
        if let last = record.lastNode,
           let run = try await store.nodeRuns(executionID: record.id).filter({ $0.node == last }).max(by: { $0.runIndex < $1.runIndex }) {
            o["lastNode"] = .string(last)
            o["lastRun"] = run.data
        }
        if let error = record.error { o["error"] = error }
        // Built from the fields `jsonValue` writes, so it always reads back.
        return QueueReply(jsonValue: .object(o)) ?? QueueReply.failure(executionID: record.id, code: "crashed", message: "unreadable record")
    }

    /// A reply for an execution that could not run (no record, no such workflow at the worker).
    static func failure(executionID: String, code: String, message: String) -> QueueReply {
        let now = Date().timeIntervalSince1970 * 1000
        return QueueReply(
            result: ExecutionResult(executionID: executionID, status: .error, runData: [:], executionOrder: [], lastNodeExecuted: nil,
                                    error: ExecutionFailure(.init(code), message), startedAt: now, stoppedAt: now),
            response: nil)
    }

    static func resultStatus(_ status: ExecutionRecord.Status) -> ExecutionStatus {
        switch status {
        case .success: .success
        case .canceled: .canceled
        case .waiting: .waiting
        case .new, .running, .error, .crashed: .error
        }
    }
}
