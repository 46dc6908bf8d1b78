import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Testing

/// Served executions that fail start their workflow's error workflow with n8n's error data.
@Suite("Error workflows of served executions")
struct ErrorWorkflowTests {
    static let failing = Flows.chain(
        [
            Flows.webhook(["path": "fail", "httpMethod": "POST", "responseMode": "lastNode"]),
            Flows.node("Boom", "n8n-nodes-base.stopAndError", 1, ["errorMessage": "boom: the order was refused"]),
        ], name: "Failing", settings: ["errorWorkflow": "error-handler"], id: "failing")

    static let handler = Flows.chain(
        [
            Flows.node("Error Trigger", "n8n-nodes-base.errorTrigger", 1, [:]),
            Flows.set("Note", [
                ("failed", "={{ $json.execution.id }}"), ("message", "={{ $json.execution.error.message }}"),
                ("workflow", "={{ $json.workflow.id }}"), ("url", "={{ $json.execution.url }}"),
                ("mode", "={{ $json.execution.mode }}"), ("last", "={{ $json.execution.lastNodeExecuted }}"),
            ]),
        ], name: "Error handler", id: "error-handler")

    /// The Note node's output items of the error-handler executions recorded so far.
    static func notes(_ runtime: Runtime) async throws -> [JSONObject] {
        let store = try #require(runtime.services.executionStore)
        var out: [JSONObject] = []
        for record in try await store.executions(matching: ExecutionQuery(limit: 100)) where record.workflowID == "error-handler" {
            for run in try await store.nodeRuns(executionID: record.id) where run.node == "Note" {
                out += (NodeRunRecord(jsonValue: run.data).output?.first ?? []).map(\.json)
            }
        }
        return out
    }

    @Test("a failed webhook execution starts settings.errorWorkflow with n8n's error data; test-URL executions do not")
    func errorWorkflowAfterFailure() async throws {
        try await ServerHarness.with(
            workflows: ["failing.json": Self.failing, "handler.json": Self.handler],
            environment: ["FLOWRUN_EDITOR_BASE_URL": "https://n8n.example.com/"], recordsExecutions: true
        ) { server in
            // n8n starts no error workflow for manual (test URL) executions.
            let manual = try await server.post("/webhook-test/fail", json: ["order": 1])
            #expect(manual.status == 500)
            let answer = try await server.post("/webhook/fail", json: ["order": 2])
            #expect(answer.status == 500)
            #expect(answer.json == ["message": "Error in workflow"])
            let failedID = try #require(answer.header("x-flowrun-execution-id"))
            let found = try await ServerHarness.eventually { try await !Self.notes(server.runtime).isEmpty }
            #expect(found, "the error workflow ran")
            let notes = try await Self.notes(server.runtime)
            #expect(notes.count == 1, "one error workflow execution, for the production call only: \(notes)")
            let note = try #require(notes.first)
            #expect(note["failed"] == .string(failedID))
            #expect(note["message"] == "boom: the order was refused")
            #expect(note["workflow"] == "failing")
            #expect(note["mode"] == "webhook")
            #expect(note["last"] == "Boom")
            #expect(note["url"] == .string("https://n8n.example.com/workflow/failing/executions/\(failedID)"))
            let store = try #require(server.runtime.services.executionStore)
            #expect(try await store.execution(id: failedID)?.status == .error)
        }
    }
}
