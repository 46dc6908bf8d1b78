import FlowrunCore
import FlowrunExpressions
import FlowrunSQLite
import FlowrunStandIns
import Foundation
import Testing

/// `flowrun run` (the real binary) starts the workflow's error workflow after a failed execution,
/// and when a circuit breaker opens, resolving the error workflow from the workflow's folder.
@Suite("Error workflows from flowrun run", .serialized)
struct ErrorWorkflowCLITests {
    /// A folder `workflows/` (the failing workflow and the alert workflow) under a fresh directory;
    /// `flowrun run` runs from that directory, so relative lookups must start at the workflow's folder.
    static func withFolder(_ body: (_ directory: URL, _ workflows: URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-errwf-cli-\(UInt64.random(in: 1...UInt64.max))")
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory, workflows)
    }

    static func run(_ file: String, in directory: URL) async throws -> (status: Int32, log: String) {
        let process = try FlowrunProcess(["run", file, "--data-dir", "data"], environment: ["FLOWRUN_EDITOR_BASE_URL": "https://n8n.example.com/"],
                                         in: directory, log: directory.appendingPathComponent("run-\(UInt64.random(in: 1...UInt64.max)).log"))
        let status = try await process.exitStatus(within: 120)
        return (status, process.logText)
    }

    @Test("a failed execution starts settings.errorWorkflow (an id, found in the workflow's folder) with n8n's error data")
    func failedExecution() async throws {
        try await Self.withFolder { directory, workflows in
            try await TestHTTPServer.withRunning { server in
                server.script("/alert", always: .json(#"{"ok":true}"#))
                try BreakerErrorWorkflowTests.writeAlertWorkflow(in: workflows.path, alertURL: "\(server.baseURL)/alert")
                let failing: JSONValue = [
                    "id": "wf-fails", "name": "Fails", "settings": ["executionOrder": "v1", "errorWorkflow": "wf-alert"],
                    "nodes": [
                        ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                        ["name": "Stop", "type": "n8n-nodes-base.stopAndError", "typeVersion": 1, "position": [200, 0],
                         "parameters": ["errorMessage": "the lead list is empty"]],
                    ],
                    "connections": ["Trigger": ["main": [[["node": "Stop", "type": "main", "index": 0]]]]],
                ]
                try failing.jsonString().write(to: workflows.appendingPathComponent("fails.json"), atomically: true, encoding: .utf8)

                let (status, log) = try await Self.run("workflows/fails.json", in: directory)
                #expect(status == 1, "\(log)")
                let alerts = server.requests(path: "/alert")
                #expect(alerts.count == 1, "\(log)")
                let data = try JSONValue(parsing: alerts.first?.bodyText ?? "")

                let store = SQLiteStateStore(configuration: .dataDirectory(directory.appendingPathComponent("data").path))
                defer { try? store.close() }
                let failed = try await store.executions(matching: ExecutionQuery(workflowID: "wf-fails"))
                #expect(failed.map(\.status) == [.error])
                let id = try #require(failed.first?.id)
                #expect(data["execution"]?["id"] == .string(id))
                #expect(data["execution"]?["url"] == .string("https://n8n.example.com/workflow/wf-fails/executions/\(id)"))
                #expect(data["execution"]?["error"]?["message"] == "the lead list is empty")
                #expect(data["execution"]?["error"]?["name"] == "NodeOperationError")
                #expect(data["execution"]?["lastNodeExecuted"] == "Stop")
                #expect(data["execution"]?["mode"] == "manual")
                #expect(data["workflow"] == ["id": "wf-fails", "name": "Fails"])
                // The error workflow's own execution is recorded too, and it succeeded, in mode `error` as in n8n.
                let alert = try await store.executions(matching: ExecutionQuery(workflowID: "wf-alert"))
                #expect(alert.map(\.status) == [.success])
                #expect(alert.map(\.mode) == ["error"])
                #expect(failed.map(\.mode) == ["manual"])
            }
        }
    }

    @Test("a breaker opening in flowrun run starts the error workflow (a path relative to the workflow's folder); the failure starts it again")
    func breakerOpens() async throws {
        try await Self.withFolder { directory, workflows in
            try await TestHTTPServer.withRunning { server in
                server.script("/alert", always: .json(#"{"ok":true}"#))
                server.script("/down", always: .status(503))
                try BreakerErrorWorkflowTests.writeAlertWorkflow(in: workflows.path, alertURL: "\(server.baseURL)/alert")
                let flowrun: JSONValue = [
                    "retry": ["maxAttempts": 5, "baseDelayMs": 10, "jitter": "none"],
                    "breaker": ["key": "cli-api", "failureThreshold": 2, "coolDownMs": 600_000],
                ]
                let calling: JSONValue = [
                    "id": "wf-calls", "name": "Calls", "settings": ["executionOrder": "v1", "errorWorkflow": "alert.json"],
                    "nodes": [
                        ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                        ["name": "Call API", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [200, 0],
                         "parameters": ["url": .string("\(server.baseURL)/down"), "options": [:]], "flowrun": flowrun],
                    ],
                    "connections": ["Trigger": ["main": [[["node": "Call API", "type": "main", "index": 0]]]]],
                ]
                try calling.jsonString().write(to: workflows.appendingPathComponent("calls.json"), atomically: true, encoding: .utf8)

                let (status, log) = try await Self.run("workflows/calls.json", in: directory)
                #expect(status == 1, "\(log)")
                // Two failures open the breaker, which ends the retries.
                #expect(server.requests(path: "/down").count == 2)
                let alerts = try server.requests(path: "/alert").map { try JSONValue(parsing: $0.bodyText) }
                #expect(alerts.count == 2, "\(log)")
                let opened = try #require(alerts.first { $0["breaker"] != nil }, "\(alerts)")
                #expect(opened["breaker"]?["target"] == "cli-api")
                #expect(opened["breaker"]?["state"] == "open")
                #expect(opened["breaker"]?["failures"] == 2)
                #expect(opened["execution"]?["error"]?["name"] == "CircuitBreakerOpen")
                #expect(opened["execution"]?["lastNodeExecuted"] == "Call API")
                #expect(opened["workflow"] == ["id": "wf-calls", "name": "Calls"])
                let failure = try #require(alerts.first { $0["breaker"] == nil }, "\(alerts)")
                #expect(failure["execution"]?["lastNodeExecuted"] == "Call API")
                #expect(failure["execution"]?["id"] == opened["execution"]?["id"])
            }
        }
    }
}
