import FlowrunExpressions
import Testing

@testable import FlowrunCore

@Suite("Workflow document model")
struct WorkflowDocumentTests {
    static let text = """
        {"name":"Doc","id":"wf1","extra":{"b":1,"a":2},
         "nodes":[{"parameters":{"x":1},"id":"n1","name":"Call","type":"n8n-nodes-base.httpRequest","typeVersion":4.2,
                   "position":[10,20],"credentials":{"httpHeaderAuth":{"id":"c1","name":"Key"},"oldStyle":"Named"},
                   "disabled":true,"retryOnFail":true,"maxTries":4,"waitBetweenTries":500,"alwaysOutputData":true,
                   "executeOnce":true,"continueOnFail":true,"webhookId":"w","notes":"n","custom":[1]},
                  {"name":"Next","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[0,0],"onError":"continueErrorOutput"},
                  {"name":"Model","type":"@n8n/n8n-nodes-langchain.lmChatAnthropic","typeVersion":1,"position":[0,0]}],
         "connections":{"Call":{"main":[[{"node":"Next","type":"main","index":0}],null,[{"node":"Next","type":"main","index":1}]]},
                        "Model":{"ai_languageModel":[[{"node":"Next","type":"ai_languageModel","index":0}]]}},
         "settings":{"executionOrder":"v1","timezone":"Europe/Berlin","errorWorkflow":"e1","executionTimeout":-1,"saveManualExecutions":true},
         "pinData":{"Call":[{"json":{"a":1}}]},"staticData":null,"meta":{"instanceId":"i"},"tags":[{"id":"t","name":"x"}],
         "active":true,"versionId":"v1"}
        """

    static var document: WorkflowDocument {
        WorkflowLoader(configuration: .init(fillsAuthoringDefaults: false)).load(text: text, format: .json, fileName: "d.json").document!
    }

    @Test("top-level accessors read n8n's keys and keep the rest in order")
    func topLevel() {
        let d = Self.document
        #expect(d.name == "Doc" && d.id == "wf1" && d.active && d.versionId == "v1")
        #expect(Array(d.fields.keys) == ["name", "id", "extra", "nodes", "connections", "settings", "pinData",
                                         "staticData", "meta", "tags", "active", "versionId"])
        #expect(d.fields["extra"] == ["b": 1, "a": 2])
        #expect(d.pinData?["Call"] == [["json": ["a": 1]]])
        #expect(d.staticData == .null && d.meta?["instanceId"] == "i" && d.tags?.count == 1)
        let s = d.settings
        #expect(s.executionOrder == "v1" && s.timezone == "Europe/Berlin" && s.errorWorkflow == "e1")
        #expect(s.executionTimeout == nil)
        #expect(s.fields["saveManualExecutions"] == true)
    }

    @Test("node accessors read every n8n node key")
    func nodeKeys() throws {
        let call = try #require(Self.document.node(named: "Call"))
        #expect(call.id == "n1" && call.type == "n8n-nodes-base.httpRequest" && call.typeVersion == 4.2)
        #expect(call.position == Position(x: 10, y: 20) && call.parameters == ["x": 1])
        #expect(call.disabled && call.retryOnFail && call.maxTries == 4 && call.waitBetweenTries == 500)
        #expect(call.alwaysOutputData && call.executeOnce && call.continueOnFail && call.webhookId == "w")
        #expect(call.notes == "n" && call.fields["custom"] == [1])
        #expect(call.errorPolicy == .continueRegularOutput && call.onError == nil)
        #expect(call.credentialReferences == [
            .init(type: "httpHeaderAuth", id: "c1", name: "Key"), .init(type: "oldStyle", id: nil, name: "Named"),
        ])
        let next = try #require(Self.document.node(named: "Next"))
        #expect(next.errorPolicy == .continueErrorOutput && !next.disabled && next.maxTries == nil)
    }

    @Test("connections become edges with kinds and indexes, keeping null slots")
    func edges() {
        let d = Self.document
        #expect(d.edges == [
            .init(source: "Call", outputIndex: 0, target: "Next"),
            .init(source: "Call", outputIndex: 2, target: "Next", inputIndex: 1),
            .init(source: "Model", kind: "ai_languageModel", target: "Next", targetKind: "ai_languageModel"),
        ])
        #expect(d.connections.bySource["Call"]?["main"]?[1] == nil)
        #expect(d.edges.filter(\.isMain).count == 2)
        #expect(d.jsonValue == (try? JSONValue(parsing: Self.text)))
    }

    @Test("setters write n8n's keys, and added edges grow the output slots")
    func setters() {
        var d = WorkflowDocument()
        d.name = "New"
        d.settings.executionOrder = "v1"
        var node = NodeDocument(name: "A", type: "n8n-nodes-base.noOp", typeVersion: 1)
        node.position = Position(x: 1, y: 2)
        node.id = "x"
        d.nodes.append(node)
        d.connections.add(.init(source: "A", outputIndex: 2, target: "A"))
        let json = d.jsonValue
        #expect(json["settings"] == ["executionOrder": "v1"])
        #expect(json["nodes"]?.arrayValue?.first?["position"] == [1, 2])
        #expect(json["connections"]?["A"]?["main"] == [[], [], [["node": "A", "type": "main", "index": 0]]])
    }
}
