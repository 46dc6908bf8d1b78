import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import FlowrunServer
import Foundation
import Synchronization
import Testing

/// Wait nodes that resume on a webhook call, over real HTTP: the execution waits in the store,
/// `/webhook-waiting/<id>` resumes it with the request's item, the wait limit resumes it by itself.
@Suite("Waiting webhooks")
struct WaitingWebhookTests {
    /// Webhook (POST /order) → Ask (url = $execution.resumeUrl) → Wait (webhook) → Done.
    static func flow(wait: JSONObject = [:], respond: String = "onReceived") -> JSONValue {
        var parameters: JSONObject = ["resume": "webhook", "httpMethod": "POST", "options": [:]]
        for (k, v) in wait { parameters[k] = v }
        var waitNode = Flows.node("Wait", "n8n-nodes-base.wait", 1.1, parameters).objectValue ?? [:]
        waitNode["webhookId"] = "7a1c1a4e-0000-4000-8000-0000000000aa"
        return Flows.chain([
            Flows.webhook(["path": "order", "httpMethod": "POST", "responseMode": .string(respond)]),
            Flows.set("Ask", [("url", "={{ $execution.resumeUrl }}"), ("order", "={{ $json.body.order }}")]),
            .object(waitNode),
            Flows.set("Done", [("approved", "={{ $json.body.approved }}"), ("order", "={{ $('Ask').item.json.order }}"), ("how", "={{ $json.query.how }}")]),
        ], name: "approval")
    }

    static func store(_ server: ServerHarness) throws -> any ExecutionStore {
        try #require(server.runtime.services.executionStore)
    }

    static func status(_ server: ServerHarness, _ id: String) async throws -> ExecutionRecord.Status? {
        try await store(server).execution(id: id)?.status
    }

    static func output(_ server: ServerHarness, _ id: String, _ node: String) async throws -> JSONObject? {
        let runs = try await Runtime.runData(try store(server), executionID: id)
        return runs[node]?.last?.output?.first?.first?.json
    }

    /// Starts the workflow and waits until its execution is recorded as waiting.
    static func startWaiting(_ server: ServerHarness) async throws -> String {
        let started = try await server.post("/webhook/order", json: ["order": "A-17"])
        #expect(started.status == 200)
        let id = try #require(started.header("x-flowrun-execution-id"))
        #expect(try await ServerHarness.eventually { try await status(server, id) == .waiting }, "the execution never waited")
        return id
    }

    @Test("a webhook-started execution waits; a POST to its resume URL continues it with the request's item")
    func resumeOnCall() async throws {
        try await ServerHarness.with(workflows: ["approval.json": Self.flow()], recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let ask = try #require(try await Self.output(server, id, "Ask"))
            #expect(ask["url"]?.stringValue?.hasSuffix("/webhook-waiting/\(id)") == true)
            #expect(try await Self.output(server, id, "Done") == nil)

            let wrong = try await server.request("GET", "/webhook-waiting/\(id)")
            #expect(wrong.status == 404)
            #expect(wrong.json?["message"] == .string("The workflow for execution \"\(id)\" does not contain a waiting webhook with a matching path/method."))
            #expect(try await Self.status(server, id) == .waiting)

            let resumed = try await server.post("/webhook-waiting/\(id)?how=mail", json: ["approved": "yes"], headers: [("X-Approver", "ada")])
            #expect(resumed.status == 200)
            #expect(resumed.json == ["message": "Workflow was started"])
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success }, "the execution never finished")
            let wait = try #require(try await Self.output(server, id, "Wait"))
            #expect(wait["body"] == ["approved": "yes"])
            #expect(wait["query"] == ["how": "mail"])
            #expect(wait["headers"]?["x-approver"] == "ada")
            let done = try #require(try await Self.output(server, id, "Done"))
            #expect(done["approved"] == "yes")
            #expect(done["order"] == "A-17")
            #expect(done["how"] == "mail")
            let runs = try await Runtime.runData(try Self.store(server), executionID: id)
            #expect(runs["Wait"]?.count == 1)

            let again = try await server.post("/webhook-waiting/\(id)", json: ["approved": "no"])
            #expect(again.status == 409)
            #expect(again.json?["message"] == .string("The execution \"\(id) has finished already."))
        }
    }

    @Test("the resume call answers per the Wait node's response mode (lastNode: the last node's first item)")
    func lastNodeAnswer() async throws {
        let flow = Self.flow(wait: ["responseMode": "lastNode", "options": ["webhookSuffix": "decide"]])
        try await ServerHarness.with(workflows: ["approval.json": flow], recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let noSuffix = try await server.post("/webhook-waiting/\(id)", json: ["approved": "yes"])
            #expect(noSuffix.status == 404)
            let answer = try await server.post("/webhook-waiting/\(id)/decide", json: ["approved": "yes"])
            #expect(answer.status == 200)
            #expect(answer.json == ["approved": "yes", "order": "A-17", "how": .null])
            #expect(try await Self.status(server, id) == .success)
        }
    }

    @Test("with limitWaitTime the execution resumes by itself and the Wait node passes its input on")
    func limit() async throws {
        let flow = Self.flow(wait: ["limitWaitTime": true, "resumeAmount": 1, "resumeUnit": "seconds"])
        try await ServerHarness.with(
            workflows: ["approval.json": flow], recordsExecutions: true,
            configure: { $0.configuration.waitPollInterval = .milliseconds(200) }
        ) { server in
            let started = try await server.post("/webhook/order", json: ["order": "B-2"])
            let id = try #require(started.header("x-flowrun-execution-id"))
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success }, "the wait limit never resumed it")
            let wait = try #require(try await Self.output(server, id, "Wait"))
            #expect(wait["order"] == "B-2")
            #expect(wait["url"]?.stringValue?.hasSuffix("/webhook-waiting/\(id)") == true)
            let done = try #require(try await Self.output(server, id, "Done"))
            #expect(done["order"] == "B-2")
        }
    }

    @Test("examples/wait-approval.json: lastNode answers with the approval URL; calling it finishes the execution")
    func example() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/wait-approval.json")
        let flow = try JSONValue(parsing: Array(try Data(contentsOf: file)))
        try await ServerHarness.with(workflows: ["approval.json": flow], recordsExecutions: true) { server in
            let asked = try await server.post("/webhook/approval", json: ["item": "laptop"])
            #expect(asked.status == 200)
            let id = try #require(asked.header("x-flowrun-execution-id"))
            #expect(asked.json?["item"] == "laptop")
            let url = try #require(asked.json?["approveUrl"]?.stringValue)
            #expect(url.hasSuffix("/webhook-waiting/\(id)"))
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .waiting })
            let range = try #require(url.range(of: "/webhook-waiting/"))
            let path = String(url[range.lowerBound...])
            let approved = try await server.post(path, json: ["approved": true])
            #expect(approved.status == 200)
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success })
            #expect(try await Self.output(server, id, "Decision") == ["item": "laptop", "approved": true])
        }
    }

    @Test("incomingAuthentication headerAuth: a call without the header is refused and the execution keeps waiting")
    func authentication() async throws {
        var flow = Self.flow(wait: ["incomingAuthentication": "headerAuth"])
        if case .object(var workflow) = flow, case .array(var nodes)? = workflow["nodes"], case .object(var wait) = nodes[2] {
            wait["credentials"] = ["httpHeaderAuth": ["id": "2", "name": "header"]]
            nodes[2] = .object(wait)
            workflow["nodes"] = .array(nodes)
            flow = .object(workflow)
        }
        let credentials: JSONValue = [["id": "2", "name": "header", "type": "httpHeaderAuth", "data": ["name": "X-Key", "value": "k-123"]]]
        try await ServerHarness.with(workflows: ["approval.json": flow], credentials: credentials, recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let missing = try await server.post("/webhook-waiting/\(id)", json: ["approved": "yes"])
            #expect(missing.status == 403)
            let wrong = try await server.post("/webhook-waiting/\(id)", json: ["approved": "yes"], headers: [("X-Key", "nope")])
            #expect(wrong.status == 403)
            #expect(try await Self.status(server, id) == .waiting)
            let good = try await server.post("/webhook-waiting/\(id)", json: ["approved": "yes"], headers: [("X-Key", "k-123")])
            #expect(good.status == 200)
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success })
        }
    }

    @Test("an execution put to wait outside the server (as `flowrun run` does) is resumed by it from the store")
    func startedElsewhere() async throws {
        try await ServerHarness.with(workflows: ["approval.json": Self.flow()], recordsExecutions: true) { server in
            let file = server.directory + "/workflows/approval.json"
            let graph = try Runtime.loadGraph(file)
            let engine = Engine(configuration: .init(observers: server.runtime.observers, services: server.runtime.services))
            let options = Engine.RunOptions(mode: .manual, startNode: "Webhook", input: [Item(json: ["body": ["order": "C-3"]])], executionID: "cli-1")
            let first = try await server.runtime.execute(graph, file: file, engine: engine, options: options)
            #expect(first.status == .waiting)
            #expect(try await Self.status(server, "cli-1") == .waiting)
            let answer = try await server.post("/webhook-waiting/cli-1", json: ["approved": "later"])
            #expect(answer.status == 200)
            #expect(try await ServerHarness.eventually { try await Self.status(server, "cli-1") == .success })
            #expect(try await Self.output(server, "cli-1", "Done") == ["approved": "later", "order": "C-3", "how": .null])
        }
    }

    @Test("concurrent resume calls: one resumes the execution, the others get 409, the rest of the workflow runs once")
    func concurrentResumes() async throws {
        try await ServerHarness.with(workflows: ["approval.json": Self.flow()], recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<6 {
                    group.addTask { try await server.post("/webhook-waiting/\(id)", json: ["approved": .string("call \(n)")]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 5, "\(statuses)")
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success })
            let runs = try await Runtime.runData(try Self.store(server), executionID: id)
            #expect(runs["Wait"]?.count == 1)
            #expect(runs["Done"]?.count == 1)
        }
    }

    @Test("crash recovery leaves a waiting execution waiting")
    func recoveryLeavesWaiting() async throws {
        try await ServerHarness.with(workflows: ["approval.json": Self.flow()], recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let report = try await server.runtime.recoverExecutions(resume: true) { _ in Engine() }
            #expect(!report.crashed.contains(id))
            #expect(report.resumed.isEmpty)
            #expect(try await Self.status(server, id) == .waiting)
        }
    }

    @Test("responseNode: a Respond to Webhook node after the Wait answers the resume call")
    func responseNode() async throws {
        var waitNode = Flows.node("Wait", "n8n-nodes-base.wait", 1.1, ["resume": "webhook", "httpMethod": "POST", "responseMode": "responseNode"]).objectValue ?? [:]
        waitNode["webhookId"] = "7a1c1a4e-0000-4000-8000-0000000000bb"
        let flow = Flows.chain([
            Flows.webhook(["path": "order", "httpMethod": "POST", "responseMode": "onReceived"]),
            Flows.set("Ask", [("order", "={{ $json.body.order }}")]),
            .object(waitNode),
            Flows.node("Respond", "n8n-nodes-base.respondToWebhook", 1.1, [
                "respondWith": "json", "responseBody": "={{ { order: $('Ask').item.json.order, decision: $json.body.approved } }}",
                "options": ["responseCode": 202],
            ]),
        ], name: "approval")
        try await ServerHarness.with(workflows: ["approval.json": flow], recordsExecutions: true) { server in
            let id = try await Self.startWaiting(server)
            let answer = try await server.post("/webhook-waiting/\(id)", json: ["approved": "no"])
            #expect(answer.status == 202)
            #expect(answer.json == ["order": "A-17", "decision": "no"])
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success })
        }
    }

    @Test("an unknown execution gets n8n's 404")
    func unknown() async throws {
        try await ServerHarness.with(workflows: ["approval.json": Self.flow()], recordsExecutions: true) { server in
            let answer = try await server.post("/webhook-waiting/nope", json: [:])
            #expect(answer.status == 404)
            #expect(answer.json == ["code": 404, "message": "The execution \"nope\" does not exist."])
        }
    }

    @Test("a time wait of 65 s or more is parked in the store and resumed at its time by the wait tracker")
    func parksLongTimeWaits() async throws {
        let clock = WallClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        let flow = Flows.chain([
            Flows.webhook(["path": "later", "httpMethod": "POST", "responseMode": "onReceived"]),
            Flows.node("Wait", "n8n-nodes-base.wait", 1.1, ["resume": "timeInterval", "amount": 2, "unit": "minutes"]),
            Flows.set("Done", [("at", "={{ $now.toMillis() }}")]),
        ], name: "later")
        try await ServerHarness.with(
            workflows: ["later.json": flow], recordsExecutions: true,
            configure: { server in
                server.configuration.waitPollInterval = .milliseconds(100)
                server.now = { clock.now }
            }
        ) { server in
            let started = try await server.post("/webhook/later", json: [:])
            let id = try #require(started.header("x-flowrun-execution-id"))
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .waiting }, "the long wait was not parked")
            clock.advance(by: 60)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.status(server, id) == .waiting, "resumed before its time")
            clock.advance(by: 61)
            #expect(try await ServerHarness.eventually { try await Self.status(server, id) == .success }, "the tracker never resumed it")
            let done = try #require(try await Self.output(server, id, "Done"))
            // The Set field is a string (Flows.set): the resumed run saw the advanced wall time.
            let at = done["at"]?.numberValue ?? done["at"]?.stringValue.flatMap(Double.init)
            #expect(at.map { $0 >= 1_800_000_120_000 } == true, "\(String(describing: done["at"]))")
        }
    }
}

/// A wall clock the test moves by hand.
final class WallClock: Sendable {
    private let current: Mutex<Date>
    init(start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
