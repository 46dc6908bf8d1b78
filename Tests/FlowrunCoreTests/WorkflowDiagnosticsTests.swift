import FlowrunExpressions
import Testing

@testable import FlowrunCore

/// One file per diagnostic code that the structural loader and validator emit.
@Suite("Workflow diagnostics")
struct WorkflowDiagnosticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: Diagnostic.Code
        var severity: Diagnostic.Severity
        var format: WorkflowFormat
        var text: String
        var node: String? = nil
        var line: Int? = nil
        var testDescription: String { "\(code) (\(format))" }
    }

    static let trigger = #"{"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0],"parameters":{}}"#
    static func workflow(nodes: [String], connections: String = "{}", extra: String = "") -> String {
        let list = ([trigger] + nodes).joined(separator: ",")
        return #"{"name":"t","nodes":["# + list + #"],"connections":"# + connections + extra + "}"
    }
    static let set = #"{"name":"Set","type":"n8n-nodes-base.set","typeVersion":3.4,"position":[200,0],"parameters":{}}"#

    static let cases: [Case] = [
        Case(code: .invalidJSON, severity: .error, format: .json, text: "{\n  \"nodes\": [,]\n}", line: 2),
        Case(code: .invalidYAML, severity: .error, format: .yaml, text: "nodes:\n  - name: a\n   type: b\n", line: 3),
        Case(code: .invalidWorkflow, severity: .error, format: .json, text: "[1, 2]"),
        Case(code: .invalidWorkflow, severity: .error, format: .json, text: #"{"nodes": {}, "connections": {}}"#),
        Case(code: .invalidNode, severity: .error, format: .json, text: workflow(nodes: ["42"])),
        Case(code: .missingNodeName, severity: .error, format: .json,
             text: workflow(nodes: [#"{"type":"n8n-nodes-base.set","typeVersion":1,"position":[0,0],"parameters":{}}"#])),
        Case(code: .missingNodeType, severity: .error, format: .json,
             text: workflow(nodes: [#"{"name":"X","typeVersion":1,"position":[0,0],"parameters":{}}"#]), node: "X"),
        Case(code: .invalidNodeField, severity: .error, format: .json,
             text: workflow(nodes: [#"{"name":"X","type":"n8n-nodes-base.set","typeVersion":1,"position":[0,0],"disabled":"yes"}"#]),
             node: "X"),
        Case(code: .invalidNodeField, severity: .error, format: .yaml,
             text: "nodes:\n  - name: X\n    type: n8n-nodes-base.set\n    typeVersion: 1\n    onError: retry\n", node: "X", line: 5),
        Case(code: .invalidParameter, severity: .error, format: .json,
             text: workflow(nodes: [#"{"name":"X","type":"n8n-nodes-base.set","typeVersion":1,"position":[0,0],"parameters":[]}"#]),
             node: "X"),
        Case(code: .invalidSettings, severity: .error, format: .json,
             text: workflow(nodes: [], extra: #","settings":{"timezone":"Mars/Olympus"}"#)),
        Case(code: .invalidPinData, severity: .error, format: .json,
             text: workflow(nodes: [], extra: #","pinData":{"Start":{"json":{}}}"#), node: "Start"),
        Case(code: .invalidConnection, severity: .error, format: .json,
             text: workflow(nodes: [set], connections: #"{"Start":{"main":[[{"type":"main","index":0}]]}}"#), node: "Start"),
        Case(code: .invalidInputIndex, severity: .error, format: .json,
             text: workflow(nodes: [set], connections: #"{"Start":{"main":[[{"node":"Set","type":"main","index":-1}]]}}"#),
             node: "Start"),
        Case(code: .invalidOutputIndex, severity: .error, format: .json,
             text: workflow(nodes: [set, #"{"name":"Note","type":"n8n-nodes-base.stickyNote","typeVersion":1,"position":[0,0],"parameters":{}}"#],
                            connections: #"{"Note":{"main":[[{"node":"Set","type":"main","index":0}]]}}"#), node: "Note"),
        Case(code: .unknownConnectionSource, severity: .error, format: .json,
             text: workflow(nodes: [set], connections: #"{"Strat":{"main":[[{"node":"Set","type":"main","index":0}]]}}"#),
             node: "Strat"),
        Case(code: .unknownConnectionTarget, severity: .error, format: .yaml,
             text: "nodes:\n  - name: Start\n    type: n8n-nodes-base.manualTrigger\n    typeVersion: 1\n"
                + "connections:\n  Start:\n    main:\n      - - node: Nowhere\n          type: main\n          index: 0\n",
             node: "Start", line: 6),
        Case(code: .duplicateNodeName, severity: .error, format: .json, text: workflow(nodes: [set, set]), node: "Set"),
        Case(code: .credentialNotConfigured, severity: .warning, format: .json,
             text: workflow(nodes: [#"{"name":"H","type":"n8n-nodes-base.httpRequest","typeVersion":4.2,"position":[0,0],"parameters":{},"credentials":{"httpHeaderAuth":{"id":"1","name":"Header"}}}"#]),
             node: "H"),
        Case(code: .noStartNode, severity: .warning, format: .json,
             text: #"{"nodes":[\#(set),{"name":"B","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[0,0]}],"connections":{}}"#),
    ]

    @Test("each code is reported by a file that triggers it", arguments: cases)
    func triggers(_ c: Case) throws {
        let report = WorkflowValidator().validate(text: c.text, format: c.format, fileName: "case.\(c.format.rawValue)")
        let hit = try #require(report.diagnostics.first { $0.code == c.code }, "\(report.diagnostics)")
        #expect(hit.severity == c.severity)
        #expect(hit.file == "case.\(c.format.rawValue)")
        #expect(!hit.message.isEmpty)
        if let node = c.node { #expect(hit.node == node) }
        if let line = c.line { #expect(hit.line == line) }
        #expect(report.isValid == (c.severity == .warning))
    }

    @Test("unreadable paths are reported with the reason", arguments: [
        ("/nonexistent/flowrun.json", "no such file"), ("/tmp", "is a folder"), ("/dev/null", "not a regular file"),
    ])
    func unreadable(_ path: String, _ reason: String) throws {
        let report = WorkflowValidator().validate(contentsOf: path)
        let hit = try #require(report.diagnostics.first)
        #expect(hit.code == .unreadableFile && hit.message.contains(reason) && hit.file == path)
        #expect(!report.isValid && report.document == nil)
    }

    @Test("every problem in a file is reported, not only the first")
    func collectsAll() {
        let text = Self.workflow(
            nodes: [Self.set, Self.set, #"{"name":"Z","type":"n8n-nodes-base.noOp","typeVersion":"1","position":[0,0]}"#],
            connections: #"{"Ghost":{"main":[[{"node":"Set","type":"main","index":0}]]},"Start":{"main":[[{"node":"Gone","type":"main","index":0}]]}}"#)
        let codes = Set(WorkflowValidator().validate(text: text, format: .json, fileName: "w.json").diagnostics.map(\.code))
        #expect(codes.isSuperset(of: [.duplicateNodeName, .invalidNodeField, .unknownConnectionSource, .unknownConnectionTarget]))
    }

    @Test("exports of several workflows and API wrappers are explained", arguments: [
        (#"[{"nodes":[],"connections":{}},{"nodes":[],"connections":{}}]"#, "holds 2 workflows"),
        (#"{"workflow":{"nodes":[],"connections":{}}}"#, "wrapped in \"workflow\""),
    ])
    func wrappers(_ text: String, _ expected: String) throws {
        let report = WorkflowValidator().validate(text: text, format: .json, fileName: "w.json")
        let hit = try #require(report.diagnostics.first)
        #expect(hit.code == .invalidWorkflow && hit.message.contains(expected))
    }

    @Test("a connection keyed by a node id says connections use names")
    func idInsteadOfName() throws {
        let node = #"{"id":"abc","name":"Real","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[0,0]}"#
        let text = Self.workflow(nodes: [node], connections: #"{"abc":{"main":[[{"node":"Start","index":0}]]}}"#)
        let report = WorkflowValidator().validate(text: text, format: .json, fileName: "w.json")
        let hit = try #require(report.diagnostics.first { $0.code == .unknownConnectionSource })
        #expect(hit.message.contains("id of node \"Real\""))
    }

    @Test("configured credentials are not reported")
    func configuredCredentials() throws {
        let store = try ConfiguredCredentials(json: [["id": "1", "name": "Header", "type": "httpHeaderAuth"]])
        let text = Self.workflow(nodes: [#"{"name":"H","type":"n8n-nodes-base.httpRequest","typeVersion":4.2,"position":[0,0],"credentials":{"httpHeaderAuth":{"id":"1","name":"Header"}}}"#])
        let report = WorkflowValidator(configuration: .init(credentials: store)).validate(text: text, format: .json, fileName: "w.json")
        #expect(report.diagnostics.isEmpty)
    }

    @Test("the JSON form leaves out absent fields")
    func jsonForm() {
        let d = Diagnostic(.error, .duplicateNodeName, "m", file: "f", node: "A")
        #expect(d.jsonValue.jsonString() == #"{"severity":"error","code":"duplicateNodeName","node":"A","message":"m"}"#)
    }
}
