import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunRuntime
import FlowrunStandIns
import Foundation
import Logging
import Testing

/// Circuit breakers against a faulty server, and the error workflow they and failed executions start.
@Suite("Circuit breakers and error workflows")
struct BreakerErrorWorkflowTests {
    /// An error workflow that POSTs the error data it receives to `alertURL`.
    static func writeAlertWorkflow(in directory: String, alertURL: String) throws {
        let workflow: JSONValue = [
            "id": "wf-alert", "name": "Alert", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["name": "Error Trigger", "type": "n8n-nodes-base.errorTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Tell someone", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [200, 0],
                 "parameters": ["method": "POST", "url": .string(alertURL), "sendBody": true, "specifyBody": "json",
                                "jsonBody": "={{ JSON.stringify($json) }}"],
                 "flowrun": ["breaker": false]],
            ],
            "connections": ["Error Trigger": ["main": [[["node": "Tell someone", "type": "main", "index": 0]]]]],
        ]
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try workflow.jsonString().write(toFile: directory + "/alert.json", atomically: true, encoding: .utf8)
    }

    @Test("three failures open the breaker (error workflow told), calls then fail fast, a probe after the cool-down closes it")
    func breakerCycle() async throws {
        let directory = NSTemporaryDirectory() + "flowrun-breaker-\(UInt64.random(in: 1...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let http = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { server in
            try Self.writeAlertWorkflow(in: directory, alertURL: "\(server.baseURL)/alert")
            server.script("/down", always: .status(503))
            server.script("/alert", always: .json(#"{"ok":true}"#))
            let observer = RecordingResilienceObserver()
            let launcher = ErrorWorkflowLauncher(configuration: .init(baseDirectory: directory, editorBaseURL: "https://n8n.example.com"))
            let service = ResilienceFixtures.service(observers: [observer, BreakerErrorWorkflowObserver(launcher: launcher)])
            let clock = ResilienceFixtures.clock()
            let engine = ResilienceFixtures.engine(clock: clock, services: NodeServices(http: http, resilience: service))
            let flowrun: JSONValue = [
                "retry": ["maxAttempts": 5, "baseDelayMs": 100, "jitter": "none"],
                "breaker": ["key": "test-api", "failureThreshold": 3, "coolDownMs": 30000],
            ]
            let graph = try ResilienceFixtures.httpWorkflow(url: "\(server.baseURL)/down", flowrun: flowrun, settings: ["errorWorkflow": "alert.json"])

            let first = await engine.run(graph, options: .init(mode: .trigger, executionID: "exec-1"))
            #expect(first.error != nil)
            #expect(server.requests(path: "/down").count == 3)
            #expect(observer.retries.map(\.delay) == [.milliseconds(100), .milliseconds(200)])
            #expect(observer.transitions == [.init(from: .closed, to: .open, target: "test-api")])
            let alerts = server.requests(path: "/alert")
            #expect(alerts.count == 1)
            let data = try JSONValue(parsing: alerts.first?.bodyText ?? "")
            #expect(data["execution"]?["id"] == "exec-1")
            #expect(data["execution"]?["url"] == "https://n8n.example.com/workflow/wf-resilience/executions/exec-1")
            #expect(data["execution"]?["error"]?["message"] == "circuit breaker \"test-api\" opened after 3 consecutive failures")
            #expect(data["execution"]?["lastNodeExecuted"] == "Call API")
            #expect(data["execution"]?["mode"] == "trigger")
            #expect(data["workflow"] == ["id": "wf-resilience", "name": "Resilience test"])
            #expect(data["breaker"]?["target"] == "test-api")

            let second = await engine.run(graph, options: .init(mode: .trigger, executionID: "exec-2"))
            #expect(second.runData["Call API"]?.last?.error?.code == .circuitOpen)
            #expect(second.runData["Call API"]?.last?.error?.message.contains("test-api") == true)
            #expect(server.requests(path: "/down").count == 3)

            try await clock.sleep(for: .seconds(30))
            server.script("/down", always: .json(#"{"up":true}"#))
            let third = await engine.run(graph, options: .init(mode: .trigger, executionID: "exec-3"))
            #expect(third.error == nil)
            #expect(server.requests(path: "/down").count == 4)
            #expect(observer.transitions.map { [$0.from, $0.to] } == [[.closed, .open], [.open, .halfOpen], [.halfOpen, .closed]])
            #expect(server.requests(path: "/alert").count == 1)
        }
        await http.shutdown()
    }

    @Test("a failed execution starts settings.errorWorkflow with n8n's error data")
    func failedExecution() async throws {
        let directory = NSTemporaryDirectory() + "flowrun-errwf-\(UInt64.random(in: 1...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let http = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { server in
            try Self.writeAlertWorkflow(in: directory, alertURL: "\(server.baseURL)/alert")
            server.script("/alert", always: .json(#"{"ok":true}"#))
            let graph = try ResilienceFixtures.graph([
                "id": "wf-fails", "name": "Fails", "settings": ["executionOrder": "v1", "errorWorkflow": "wf-alert"],
                "nodes": [
                    ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                    ["name": "Stop", "type": "n8n-nodes-base.stopAndError", "typeVersion": 1, "position": [200, 0],
                     "parameters": ["errorMessage": "the lead list is empty"]],
                ],
                "connections": ["Trigger": ["main": [[["node": "Stop", "type": "main", "index": 0]]]]],
            ])
            let configuration = Engine.Configuration(services: NodeServices(http: http))
            let result = await Engine(configuration: configuration).run(graph, options: .init(mode: .trigger, executionID: "exec-9"))
            #expect(result.error != nil)
            let launcher = ErrorWorkflowLauncher(configuration: .init(baseDirectory: directory))
            let errorRun = try await launcher.launch(after: result, of: graph.document, mode: .trigger, engine: configuration)
            #expect(errorRun?.error == nil)
            let data = try JSONValue(parsing: server.requests(path: "/alert").first?.bodyText ?? "")
            #expect(data["execution"]?["id"] == "exec-9")
            #expect(data["execution"]?["error"]?["message"] == "the lead list is empty")
            #expect(data["execution"]?["lastNodeExecuted"] == "Stop")
            #expect(data["execution"]?["mode"] == "trigger")
            #expect(data["workflow"] == ["id": "wf-fails", "name": "Fails"])
            // A successful execution starts nothing.
            let fine = ExecutionResult(executionID: "ok", status: .success, runData: [:], executionOrder: [], lastNodeExecuted: nil, error: nil, startedAt: 0, stoppedAt: 0)
            #expect(try await launcher.launch(after: fine, of: graph.document, mode: .trigger, engine: configuration) == nil)
        }
        await http.shutdown()
    }
}
