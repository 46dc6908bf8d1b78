import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Synchronization
import Testing

/// A Wait node that resumes on a webhook call puts the execution to wait; resuming from the
/// (JSON) checkpoint continues after it with the request's item, or with its input at the limit.
@Suite("Wait suspension")
struct WaitSuspensionTests {
    /// Keeps the last checkpoint as JSON text, as a store would.
    final class LastCheckpoint: ExecutionObserver {
        let text = Mutex<String?>(nil)
        func checkpoint(_ state: ExecutionState, executionID: String) async {
            let json = state.checkpoint(includingRunData: true).jsonString()
            text.withLock { $0 = json }
        }
    }

    static let now: Double = 1_700_000_000_000

    /// Manual Trigger → Set (url = $execution.resumeUrl) → Wait (webhook) → After (NoOp).
    static func graph(wait: JSONObject = [:]) throws -> WorkflowGraph {
        var waitParameters: JSONObject = ["resume": "webhook", "httpMethod": "POST", "options": [:]]
        for (k, v) in wait { waitParameters[k] = v }
        let workflow: JSONValue = [
            "name": "wait test",
            "nodes": [
                ["name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Set", "type": "n8n-nodes-base.set", "typeVersion": 1, "position": [200, 0],
                 "parameters": ["values": ["string": [["name": "url", "value": "={{ $execution.resumeUrl }}"]]]]],
                ["name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [400, 0],
                 "parameters": .object(waitParameters), "webhookId": "5f0c3c1e-0000-4000-8000-000000000001"],
                ["name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [600, 0], "parameters": [:]],
            ],
            "connections": [
                "Start": ["main": [[["node": "Set", "type": "main", "index": 0]]]],
                "Set": ["main": [[["node": "Wait", "type": "main", "index": 0]]]],
                "Wait": ["main": [[["node": "After", "type": "main", "index": 0]]]],
            ],
            "settings": ["executionOrder": "v1"],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "wait.json")
        let document = try #require(loaded.document, "\(loaded.diagnostics)")
        return WorkflowGraph.build(document, registry: .builtIn).graph
    }

    static func engine(observers: [any ExecutionObserver] = []) -> Engine {
        var configuration = Engine.Configuration(nowMilliseconds: { now }, observers: observers)
        configuration.webhookBaseURL = "https://flows.example.com"
        return Engine(configuration: configuration)
    }

    @Test("a webhook Wait ends the execution as waiting, with its input recorded and the state to resume")
    func suspends() async throws {
        let result = await Self.engine().run(try Self.graph(), options: .init(executionID: "e1"))
        #expect(result.status == .waiting, "\(String(describing: result.error))")
        #expect(result.error == nil)
        let state = try #require(result.waiting)
        #expect(state.suspension == .init(node: "Wait", waitTill: nil))
        #expect(result.executionOrder == ["Start", "Set", "Wait"])
        #expect(result.runData["After"] == nil)
        #expect(result.lastNodeExecuted == "Wait")
        #expect(result.json("Wait") == [["url": "https://flows.example.com/webhook-waiting/e1"]])
    }

    @Test("resuming from the JSON checkpoint outputs the webhook item from the Wait node and runs the rest")
    func resumesWithItem() async throws {
        let graph = try Self.graph()
        let observer = LastCheckpoint()
        let first = await Self.engine(observers: [observer]).run(graph, options: .init(executionID: "e2"))
        #expect(first.status == .waiting)
        let text = try #require(observer.text.withLock { $0 })
        let stored = try ExecutionState(checkpoint: try JSONValue(parsing: text))
        #expect(stored.suspension?.node == "Wait")
        let item = Item(json: ["headers": ["content-type": "application/json"], "params": [:], "query": ["a": "1"], "body": ["approved": true]])
        let resumed = await Self.engine().run(graph, options: .init(executionID: "e2", resume: try stored.resumingWait(with: [item])))
        #expect(resumed.status == .success, "\(String(describing: resumed.error))")
        #expect(resumed.waiting == nil)
        #expect(resumed.executionOrder == ["Start", "Set", "Wait", "After"])
        #expect(resumed.runData["Wait"]?.count == 1)
        #expect(resumed.json("Wait")?.first?["body"] == ["approved": true])
        #expect(resumed.json("After")?.first?["query"] == ["a": "1"])
        #expect(resumed.json("Set")?.first?["url"] == "https://flows.example.com/webhook-waiting/e2")
    }

    @Test("limitWaitTime sets waitTill; resuming without a call passes the Wait node's input on")
    func limit() async throws {
        let graph = try Self.graph(wait: ["limitWaitTime": true, "resumeAmount": 2, "resumeUnit": "hours"])
        let first = await Self.engine().run(graph, options: .init(executionID: "e3"))
        let state = try #require(first.waiting)
        #expect(state.suspension?.waitTill == Self.now + 2 * 3_600_000)
        let resumed = await Self.engine().run(graph, options: .init(executionID: "e3", resume: try state.resumingWait(with: nil)))
        #expect(resumed.status == .success)
        #expect(resumed.json("After") == [["url": "https://flows.example.com/webhook-waiting/e3"]])
    }

    @Test("limitWaitTime at a specified time waits until that date")
    func limitAtDate() async throws {
        let graph = try Self.graph(wait: ["limitWaitTime": true, "limitType": "atSpecifiedTime", "maxDateAndTime": "2030-01-02T03:04:05.000Z"])
        let first = await Self.engine().run(graph, options: .init(executionID: "e4"))
        #expect(first.waiting?.suspension?.waitTill == 1_893_553_445_000)
    }

    @Test("a state that is not waiting cannot be resumed as one")
    func notWaiting() async throws {
        let graph = try Self.graph()
        let first = await Self.engine().run(graph, options: .init(executionID: "e5"))
        let resumed = try #require(first.waiting).resumingWait(with: nil)
        #expect(throws: ExecutionFailure.self) { try resumed.resumingWait(with: nil) }
    }

    @Test("a sub-workflow put to wait fails its Execute Workflow node clearly (it could never be resumed)")
    func subworkflow() async throws {
        let child: JSONValue = [
            "name": "child",
            "nodes": [
                ["name": "In", "type": "n8n-nodes-base.executeWorkflowTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Hold", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [200, 0], "parameters": ["resume": "webhook"]],
            ],
            "connections": ["In": ["main": [[["node": "Hold", "type": "main", "index": 0]]]]],
        ]
        let parent: JSONValue = [
            "name": "parent",
            "nodes": [
                ["name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Call", "type": "n8n-nodes-base.executeWorkflow", "typeVersion": 1, "position": [200, 0],
                 "parameters": ["source": "parameter", "workflowJson": .string(child.jsonString())]],
            ],
            "connections": ["Start": ["main": [[["node": "Call", "type": "main", "index": 0]]]]],
        ]
        let document = try #require(WorkflowLoader().load(text: parent.jsonString(), format: .json, fileName: "parent.json").document)
        var configuration = Engine.Configuration()
        configuration.subworkflows = FileSubworkflowRunner(registry: .builtIn, baseDirectory: ".")
        let result = await Engine(configuration: configuration).run(WorkflowGraph.build(document, registry: .builtIn).graph)
        #expect(result.status == .error)
        #expect(result.error?.node == "Call")
        #expect(result.error?.message.contains("put to wait by node \"Hold\"") == true, "\(String(describing: result.error))")
    }

    @Test("with parksLongWaits, time waits of 65 s or more put the execution to wait; shorter ones sleep", arguments: [
        (amount: 2.0, unit: "minutes", parks: true, waits: true), (amount: 64.0, unit: "seconds", parks: true, waits: false),
        (amount: 2.0, unit: "minutes", parks: false, waits: false),
    ])
    func longWaits(amount: Double, unit: String, parks: Bool, waits: Bool) async throws {
        let graph = try Self.graph(wait: ["resume": "timeInterval", "amount": .number(amount), "unit": .string(unit)])
        var configuration = Engine.Configuration(clock: RecordingClock(), nowMilliseconds: { Self.now })
        configuration.parksLongWaits = parks
        let result = await Engine(configuration: configuration).run(graph, options: .init(executionID: "t"))
        if waits {
            #expect(result.status == .waiting)
            #expect(result.waiting?.suspension?.waitTill == Self.now + 120_000)
            let resumed = await Engine(configuration: configuration).run(graph, options: .init(executionID: "t", resume: try #require(result.waiting).resumingWait(with: nil)))
            #expect(resumed.status == .success)
            #expect(resumed.runData["After"]?.count == 1)
        } else {
            #expect(result.status == .success, "\(String(describing: result.error))")
            #expect(result.runData["After"]?.count == 1)
        }
    }

    @Test("the webhook spec of a Wait node: method, suffix as path, incoming authentication")
    func spec() throws {
        let spec = try #require(WaitWebhook.spec(
            parameters: ["resume": "webhook", "httpMethod": "PUT", "incomingAuthentication": "headerAuth",
                         "responseMode": "lastNode", "options": ["webhookSuffix": "approve"]],
            typeVersion: 1.1))
        #expect(spec.methods == ["PUT"])
        #expect(spec.path == "approve")
        #expect(spec.authentication == "headerAuth")
        #expect(spec.responseMode == .lastNode)
        #expect(WaitWebhook.spec(parameters: ["resume": "timeInterval"], typeVersion: 1.1) == nil)
        let plain = try #require(WaitWebhook.spec(parameters: ["resume": "webhook"], typeVersion: 1.1))
        #expect(plain.methods == ["GET"] && plain.path == "" && plain.authentication == "none")
    }
}
