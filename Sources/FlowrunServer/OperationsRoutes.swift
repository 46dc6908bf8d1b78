import FlowrunCore
import FlowrunExpressions
import Foundation
import Prometheus

/// `/healthz`, `/readyz`, `/metrics` and the executions API.
struct OperationsRoutes: Sendable {
    let workflows: WorkflowSet
    let registry: PrometheusCollectorRegistry?
    let store: (any ExecutionStore)?
    let isReady: @Sendable () -> Bool

    func handle(method: String, path: String, query: String) async -> Reply? {
        guard method == "GET" || method == "HEAD" else { return nil }
        switch path {
        case "/healthz":
            return .json(200, ["status": "ok"])
        case "/readyz":
            let ready = isReady()
            return .json(ready ? 200 : 503, [
                "status": .string(ready ? "ready" : "not ready"),
                "workflows": .number(Double(workflows.workflows.count)),
                "failed": .number(Double(workflows.failures.count)),
            ])
        case "/metrics":
            guard let registry else { return .n8nError(404, code: 404, "metrics are not enabled") }
            return Reply(status: 200, headers: [HTTPField("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: registry.emitToBuffer())
        case "/api/executions":
            return await list(query: query)
        default:
            if path.hasPrefix("/api/executions/") {
                return await show(id: String(path.dropFirst("/api/executions/".count)))
            }
            return nil
        }
    }

    func list(query: String) async -> Reply {
        guard let store else { return .n8nError(404, code: 404, "No execution store is configured (FLOWRUN_STORE_URL or the data directory)") }
        let q = FormDecodingShim.query(query)
        var filter = ExecutionQuery(limit: min(1000, q["limit"].flatMap(Int.init) ?? 100))
        if let status = q["status"] {
            filter.statuses = Set(status.split(separator: ",").compactMap { ExecutionRecord.Status(rawValue: String($0)) })
        }
        filter.workflowID = q["workflowId"]
        do {
            let records = try await store.executions(matching: filter)
            return .json(200, ["data": .array(records.map(Self.json))])
        } catch {
            return .n8nError(503, code: 503, "The execution store is unavailable")
        }
    }

    func show(id: String) async -> Reply {
        guard let store else { return .n8nError(404, code: 404, "No execution store is configured (FLOWRUN_STORE_URL or the data directory)") }
        do {
            guard let record = try await store.execution(id: id) else {
                return .n8nError(404, code: 404, "Execution \"\(id)\" not found")
            }
            var o = Self.json(record).objectValue ?? [:]
            var runData: JSONObject = [:]
            for run in try await store.nodeRuns(executionID: id) {
                var list = runData[run.node]?.arrayValue ?? []
                list.append(run.data)
                runData[run.node] = .array(list)
            }
            o["data"] = .object(["resultData": .object(["runData": .object(runData)])])
            return .json(200, .object(o))
        } catch {
            return .n8nError(503, code: 503, "The execution store is unavailable")
        }
    }

    /// n8n's execution summary field names.
    static func json(_ r: ExecutionRecord) -> JSONValue {
        var o: JSONObject = [
            "id": .string(r.id), "workflowId": r.workflowID.map(JSONValue.string) ?? .null,
            "workflowName": r.workflowName.map(JSONValue.string) ?? .null, "mode": .string(r.mode),
            "status": .string(r.status.rawValue), "finished": .bool(!r.status.isUnfinished),
            "startedAt": .string(iso(r.startedAt)), "stoppedAt": r.stoppedAt.map { .string(iso($0)) } ?? .null,
        ]
        if let last = r.lastNode { o["lastNodeExecuted"] = .string(last) }
        if let error = r.error { o["error"] = error }
        return .object(o)
    }

    static func iso(_ ms: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: ms / 1000))
    }
}

/// First value per key of a query string.
enum FormDecodingShim {
    static func query(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            if out[key] == nil { out[key] = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : "" }
        }
        return out
    }
}
