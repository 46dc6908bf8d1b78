import FlowrunExpressions
import Testing

@testable import FlowrunCore

@Suite("Workflow diagrams")
struct WorkflowGraphTests {
    static let text = """
        {"name":"G","nodes":[
          {"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0],"parameters":{}},
          {"name":"Check \\"it\\"","type":"n8n-nodes-base.if","typeVersion":2.2,"position":[200,0],"parameters":{}},
          {"name":"Route","type":"n8n-nodes-base.switch","typeVersion":3.2,"position":[400,0],"parameters":{
            "rules":{"values":[{"outputKey":"Big","renameOutput":true},{}]},"options":{"fallbackOutput":"extra"}}},
          {"name":"Loop","type":"n8n-nodes-base.splitInBatches","typeVersion":3,"position":[600,0],"parameters":{}},
          {"name":"Call","type":"n8n-nodes-base.httpRequest","typeVersion":4.2,"position":[800,0],"parameters":{},
           "onError":"continueErrorOutput","disabled":true},
          {"name":"Join","type":"n8n-nodes-base.merge","typeVersion":3,"position":[1000,0],"parameters":{}},
          {"name":"Agent","type":"@n8n/n8n-nodes-langchain.agent","typeVersion":1.9,"position":[1200,0],"parameters":{}},
          {"name":"Model","type":"@n8n/n8n-nodes-langchain.lmChatAnthropic","typeVersion":1,"position":[1200,200],"parameters":{}},
          {"name":"Note","type":"n8n-nodes-base.stickyNote","typeVersion":1,"position":[0,-200],"parameters":{"content":"hi"}}],
         "connections":{
          "Start":{"main":[[{"node":"Check \\"it\\"","type":"main","index":0}]]},
          "Check \\"it\\"":{"main":[[{"node":"Route","type":"main","index":0}],[{"node":"Join","type":"main","index":1}]]},
          "Route":{"main":[[{"node":"Loop","type":"main","index":0}],[],[{"node":"Join","type":"main","index":0}]]},
          "Loop":{"main":[[{"node":"Agent","type":"main","index":0}],[{"node":"Call","type":"main","index":0}]]},
          "Call":{"main":[[{"node":"Loop","type":"main","index":0}],[{"node":"Join","type":"main","index":0}]]},
          "Model":{"ai_languageModel":[[{"node":"Agent","type":"ai_languageModel","index":0}]]}}}
        """

    static var document: WorkflowDocument {
        WorkflowLoader().load(text: text, format: .json, fileName: "g.json").document!
    }

    @Test("Mermaid shows names, types, branch labels, disabled nodes and dashed AI links, without sticky notes")
    func mermaid() {
        let out = WorkflowDiagram(document: Self.document).text(in: .mermaid)
        #expect(out.hasPrefix("flowchart LR\n"))
        #expect(out.contains("n0([\"Start<br/><small>manualTrigger v1</small>\"])"))
        #expect(out.contains("Check #quot;it#quot;"))
        #expect(out.contains("n1 -->|\"true\"| n2"))
        #expect(out.contains("n1 -->|\"false → input 2\"| n5"))
        #expect(out.contains("n2 -->|\"Big\"| n3"))
        #expect(out.contains("n2 -->|\"Fallback → input 1\"| n5"))
        #expect(out.contains("n3 -->|\"done\"| n6"))
        #expect(out.contains("n3 -->|\"loop\"| n4"))
        #expect(out.contains("n4 -->|\"error → input 1\"| n5"))
        #expect(out.contains("n7 -.->|\"languageModel\"| n6"))
        #expect(out.contains("class n4 disabled"))
        #expect(out.contains("(disabled)"))
        #expect(!out.contains("Note"))
    }

    @Test("DOT is a digraph with the same labels, dashed AI links and dashed disabled nodes")
    func dot() {
        let out = WorkflowDiagram(document: Self.document).text(in: .dot)
        #expect(out.hasPrefix("digraph workflow {"))
        #expect(out.contains("n1 [label=\"Check \\\"it\\\"\\nif v2.2\"];"))
        #expect(out.contains("n1 -> n2 [label=\"true\"];"))
        #expect(out.contains("n7 -> n6 [label=\"languageModel\", style=dashed];"))
        #expect(out.contains("style=\"rounded,dashed\""))
        #expect(!out.contains("Note"))
        #expect(out.hasSuffix("}\n"))
    }

    @Test("output names and triggers can come from the node registry")
    func registeredNames() {
        var document = WorkflowDocument()
        document.nodes = [NodeDocument(name: "Hook", type: "x.custom", typeVersion: 1),
                          NodeDocument(name: "B", type: "x.other", typeVersion: 1)]
        document.connections.add(.init(source: "Hook", outputIndex: 1, target: "B"))
        let diagram = WorkflowDiagram(
            document: document, outputNames: { $0.type == "x.custom" ? ["matched", "unmatched"] : nil },
            isTrigger: { $0 == "x.custom" })
        let out = diagram.text(in: .mermaid)
        #expect(out.contains("n0 -->|\"unmatched\"| n1"))
        #expect(out.contains("n0([\"Hook"))
    }
}
