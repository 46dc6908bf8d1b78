import AsyncHTTPClient
import FlowrunExpressions
import Foundation
import NIOCore

/// Webhooks: `wrk` on loopback against `flowrun serve` in its default configuration (every
/// execution recorded in the embedded SQLite store, info logs, metrics) serving a Webhook → Set →
/// Respond to Webhook workflow, and against a bare Hummingbird route answering the same JSON
/// (`BareServer`), one after the other in the same run, with the same wrk settings.
struct WebhookSuite {
    let quick: Bool

    /// The webhook path of the benchmark workflow (and of the bare route).
    static let path = "flowbench-greet"
    static let requestBody = #"{"name": "Ada"}"#

    /// Webhook (POST, answered by the Respond node) → Set `greeting` → Respond to Webhook.
    static let workflow = """
        {"name": "flowbench webhook", "settings": {"executionOrder": "v1"},
         "nodes": [
          {"name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
           "webhookId": "0d7f8a52-5b9e-4c21-9d44-6f1f2b3c4d5e",
           "parameters": {"path": "\(path)", "httpMethod": "POST", "responseMode": "responseNode", "options": {}}},
          {"name": "Greeting", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [220, 0], "parameters": {
            "assignments": {"assignments": [{"id": "g1", "name": "greeting", "value": "=Hello, {{ $json.body.name }}!", "type": "string"}]},
            "options": {}}},
          {"name": "Respond to Webhook", "type": "n8n-nodes-base.respondToWebhook", "typeVersion": 1.1, "position": [440, 0],
           "parameters": {"respondWith": "firstIncomingItem", "options": {"responseCode": 200}}}
         ],
         "connections": {
          "Webhook": {"main": [[{"node": "Greeting", "type": "main", "index": 0}]]},
          "Greeting": {"main": [[{"node": "Respond to Webhook", "type": "main", "index": 0}]]}
         }}
        """

    func run(into report: inout Report) async throws {
        let flowrun = try ChildProcess.product("flowrun")
        let flowbench = try ChildProcess.product("flowbench")
        let folder = try Self.scratchFolder("webhook")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workflows = try Self.writeWorkflow(in: folder)
        let seconds = quick ? 5 : 30
        let wrk = Wrk(folder: folder)

        let barePort = try ServerProcess.freePort()
        let bare = try await ServerProcess.with(flowbench, ["--bare-server-port", String(barePort)], name: "bare Hummingbird server",
                                                logPath: folder + "/bare.log") { server in
            try await Self.measure(server, port: barePort, wrk: wrk, seconds: seconds)
        }
        let port = try ServerProcess.freePort()
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_DATA_DIR"] = folder + "/data"
        let served = try await ServerProcess.with(flowrun, ["serve", "--host", "127.0.0.1", "--port", String(port), workflows],
                                                  name: "flowrun serve", logPath: folder + "/serve.log", environment: environment) { server in
            try await Self.measure(server, port: port, wrk: wrk, seconds: seconds)
        }
        let setup = "wrk -t\(wrk.threads) -c\(wrk.connections), \(seconds) s"
        report.add("webhook", "webhook_rps", served.goodRequestsPerSecond, unit: "req/s",
                   note: "flowrun serve, Webhook → Set → Respond, SQLite recording; \(setup)\(Self.problems(served))")
        report.add("webhook", "bare_rps", bare.goodRequestsPerSecond, unit: "req/s", note: "bare Hummingbird route, same JSON\(Self.problems(bare))")
        report.add("webhook", "webhook_ratio", served.goodRequestsPerSecond / bare.goodRequestsPerSecond, unit: "×", note: "flowrun / bare")
        report.add("webhook", "webhook_p99_ms", served.p99Milliseconds, unit: "ms", note: "p50 \(Report.format(served.p50Milliseconds)) ms")
        report.add("webhook", "bare_p99_ms", bare.p99Milliseconds, unit: "ms", note: "p50 \(Report.format(bare.p50Milliseconds)) ms")
    }

    /// Waits for the server, checks that it answers the expected JSON, warms it up, and measures.
    static func measure(_ server: ServerProcess, port: Int, wrk: Wrk, seconds: Int) async throws -> Wrk.Result {
        let base = "http://127.0.0.1:\(port)"
        try await server.waitUntilReady(base + "/healthz")
        let url = base + "/webhook/" + path
        try await checkAnswer(url, server: server)
        _ = try wrk.post(url, body: requestBody, seconds: 2)
        let result = try wrk.post(url, body: requestBody, seconds: seconds)
        guard server.isRunning else { throw ChildProcess.Failure(description: "\(server.name) died during the run\(server.logTail())") }
        return result
    }

    /// One request: the answer must be `{"greeting": "Hello, Ada!"}` from both servers.
    static func checkAnswer(_ url: String, server: ServerProcess) async throws {
        let (status, body) = try await post(url, body: requestBody)
        let expected: JSONValue = .object(["greeting": .string("Hello, Ada!")])
        guard status == 200, (try? JSONValue(parsing: body)) == expected else {
            throw ChildProcess.Failure(description: "\(server.name): POST \(url) answered \(status) \(body), expected 200 \(expected.jsonString())")
        }
    }

    static func post(_ url: String, body: String) async throws -> (status: UInt, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Array(body.utf8))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: bytes))
    }

    static func problems(_ result: Wrk.Result) -> String {
        var out = ""
        if result.non2xx > 0 { out += "; \(result.non2xx) of \(result.requests) answers not 2xx" }
        if let errors = result.socketErrors { out += "; socket errors: \(errors)" }
        return out
    }

    static func scratchFolder(_ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "flowbench-\(name)-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes the benchmark workflow into `folder/workflows/`; returns that folder.
    static func writeWorkflow(in folder: String) throws -> String {
        let workflows = folder + "/workflows"
        try FileManager.default.createDirectory(atPath: workflows, withIntermediateDirectories: true)
        try workflow.write(toFile: workflows + "/flowbench-webhook.json", atomically: true, encoding: .utf8)
        return workflows
    }
}
