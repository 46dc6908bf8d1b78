import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunCore

@Suite("Workflow conversion")
struct WorkflowConvertTests {
    static let exact = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: false))

    @Test("JSON → YAML → JSON keeps every workflow equal")
    func roundTrip() throws {
        let files = WorkflowTestFiles.roundTripSample()
        #expect(files.count >= 1)
        var checked = 0
        for url in files where url.pathExtension == "json" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let original = try JSONValue(parsing: text)
            let first = Self.exact.load(text: text, format: .json, fileName: url.path)
            guard let document = first.document else { continue }  // not a workflow: nothing to convert
            let yaml = document.yamlText()
            let second = Self.exact.load(text: yaml, format: .yaml, fileName: url.path + ".yaml")
            let back = try #require(second.document, "\(url.lastPathComponent): \(second.diagnostics)")
            #expect(back.jsonValue == original, "\(url.lastPathComponent)")
            #expect(try JSONValue(parsing: back.jsonText()) == original, "\(url.lastPathComponent)")
            checked += 1
        }
        #expect(checked == files.filter { $0.pathExtension == "json" }.count || checked > 0)
    }

    static let awkwardStrings: [String] = [
        "", " lead", "trail ", "yes", "No", "null", "Null", "~", "TRUE", "123", "-.5", "+1", "1e3", "0x1F", "0o17",
        "1_000", "1.0", ".inf", "=expr {{ $json.a }}", "a: b", "- x", "#c", "a #b", "[a]", "{a}", "*alias",
        "&anchor", "!tag", "%dir", "`tick", "'q'", "\"dq\"", "...", "---", "@at", "multi\nline", "multi\nline\n",
        "multi\n\n", "\n", "\n\n", "  indented\nx", "x\n  indented", "tab\tin", "\ttab first\nx", "trailing\n  ",
        "a\n\n\nb\n", "\u{85}", "x\u{2028}y", "é", "emoji 😀", "CRLF\r\nx", "\u{7F}", "x\u{FEFF}", "\u{FEFF}country", "\u{0}", "\u{1B}[0m",
        "key: value\n  more: x", "return items.map(i => ({json: i.json}))\n// done", "Node \"quoted\"", "back\\slash",
        "ÿ", "日本語", "x:", ":x", "?", "-", "<<", "y", "n", "on", "OFF",
    ]

    @Test("YAML writing keeps awkward strings, keys and numbers", arguments: awkwardStrings)
    func awkward(_ s: String) throws {
        let value: JSONValue = .object([
            "k": .string(s), s: .number(1), "list": .array([.string(s), .object(["inner": .string(s)])]),
        ])
        let yaml = YAMLWriter.write(value)
        var reader = YAMLReader()
        let back = try reader.read(yaml)
        #expect(back == value, "\(yaml)")
    }

    @Test("numbers and nested collections survive YAML")
    func numbersAndNesting() throws {
        let value: JSONValue = [
            "n": [0.1, -0.0, 1e21, 1.5e-7, 2.2, 1.2345678901234568e20, -42, 3.4],
            "empty": [[], [:], [[1]], ["a": []]], "deep": [[[["x": [[true, nil]]]]]],
        ]
        var reader = YAMLReader()
        #expect(try reader.read(YAMLWriter.write(value)) == value)
    }

    @Test("YAML authoring defaults give ids, positions, typeVersions and parameters, the same each time")
    func authoringDefaults() throws {
        let yaml = """
            name: Hello
            nodes:
              - name: Start
                type: n8n-nodes-base.manualTrigger
              - name: Check
                type: n8n-nodes-base.if
              - name: Yes
                type: n8n-nodes-base.noOp
              - name: No
                type: n8n-nodes-base.noOp
            connections:
              Start:
                main:
                  - - node: Check
                      type: main
                      index: 0
              Check:
                main:
                  - - node: "Yes"
                      type: main
                      index: 0
                  - - node: "No"
                      type: main
                      index: 0

            """
        let loader = WorkflowLoader(configuration: .init(newestTypeVersion: { $0 == "n8n-nodes-base.if" ? 2.2 : 1 }))
        let result = loader.load(text: yaml, format: .yaml, fileName: "hello.yaml")
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let document = try #require(result.document)
        let ids = document.nodes.compactMap(\.id)
        #expect(ids.count == 4 && Set(ids).count == 4)
        #expect(ids.allSatisfy { $0.count == 36 && $0.split(separator: "-").count == 5 })
        #expect(document.nodes.map(\.typeVersion) == [1, 2.2, 1, 1])
        let x = document.nodes.map { $0.position?.x ?? -1 }
        #expect(x[0] < x[1] && x[1] < x[2] && x[2] == x[3])
        #expect(document.nodes[2].position != document.nodes[3].position)
        #expect(document.nodes.allSatisfy { $0.fields["parameters"] == .object([:]) })
        let again = try #require(loader.load(text: yaml, format: .yaml, fileName: "hello.yaml").document)
        #expect(again.jsonText() == document.jsonText())
        // The JSON written reads back as the same workflow.
        let json = Self.exact.load(text: document.jsonText(), format: .json, fileName: "hello.json")
        #expect(json.document?.jsonValue == document.jsonValue)
    }

    @Test("layout ends on loops and places AI sub-nodes under their consumer")
    func layoutLoops() throws {
        var document = WorkflowDocument()
        for name in ["T", "A", "B", "Model"] {
            document.nodes.append(NodeDocument(fields: ["name": .string(name), "type": "n8n-nodes-base.noOp"]))
        }
        document.connections.add(.init(source: "T", target: "A"))
        document.connections.add(.init(source: "A", target: "B"))
        document.connections.add(.init(source: "B", target: "A"))
        document.connections.add(.init(source: "Model", kind: "ai_languageModel", target: "B", targetKind: "ai_languageModel"))
        WorkflowAuthoringDefaults(newestTypeVersion: { _ in 1 }).fill(&document)
        let p = document.nodes.map { try! #require($0.position) }
        #expect(p[0].x < p[1].x && p[1].x < p[2].x)
        #expect(p[3].x == p[2].x && p[3].y > p[2].y)
    }
}
