import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunCore

/// Hostile and broken input: loading and validation must answer, without crashing, in bounded time.
@Suite("Workflow loader fuzzing")
struct WorkflowLoaderFuzzTests {
    static let sample = """
        {"name":"Fuzz","nodes":[
          {"parameters":{"conditions":{"conditions":[{"leftValue":"={{ $json.a }}","rightValue":1,"operator":{"type":"number","operation":"gt"}}]}},
           "id":"1","name":"If","type":"n8n-nodes-base.if","typeVersion":2.2,"position":[200,0]},
          {"parameters":{},"id":"2","name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0],
           "credentials":{"httpHeaderAuth":{"id":"9","name":"H"}},"disabled":false,"onError":"continueErrorOutput"}],
         "connections":{"Start":{"main":[[{"node":"If","type":"main","index":0}]]},"If":{"main":[[],null]}},
         "settings":{"executionOrder":"v1","timezone":"Europe/Berlin"},"pinData":{"Start":[{"json":{"a":2}}]},
         "active":false,"tags":[]}
        """

    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static func validate(_ text: String, _ format: WorkflowFormat) -> WorkflowValidator.Report {
        WorkflowValidator().validate(text: text, format: format, fileName: "fuzz.\(format.rawValue)")
    }

    static var yamlSample: String {
        let document = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: false))
            .load(text: sample, format: .json, fileName: "s.json").document
        return document?.yamlText() ?? ""
    }

    @Test("every truncation of a workflow is answered", arguments: WorkflowFormat.allCases)
    func truncations(_ format: WorkflowFormat) {
        let text = format == .json ? Self.sample : Self.yamlSample
        #expect(Self.validate(text, format).isValid)
        let scalars = Array(text.unicodeScalars)
        for length in stride(from: 0, to: scalars.count, by: 3) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[..<length])
            let report = Self.validate(String(prefix), format)
            if !report.isValid { #expect(!report.diagnostics.isEmpty) }
        }
    }

    @Test("random byte mutations are answered", arguments: WorkflowFormat.allCases)
    func mutations(_ format: WorkflowFormat) {
        let bytes = Array((format == .json ? Self.sample : Self.yamlSample).utf8)
        let alphabet = Array("{}[]\":,-\n 0a\\#&*!|>'?".utf8) + [0, 0xFF, 0xC3]
        var random = Random(state: format == .json ? 1 : 2)
        for _ in 0..<600 {
            var mutated = bytes
            for _ in 0..<(1 + random.below(4)) {
                let position = random.below(mutated.count)
                switch random.below(3) {
                case 0: mutated[position] = alphabet[random.below(alphabet.count)]
                case 1: mutated.remove(at: position)
                default: mutated.insert(alphabet[random.below(alphabet.count)], at: position)
                }
            }
            let text = String(decoding: mutated, as: UTF8.self)
            let report = Self.validate(text, format)
            if !report.isValid { #expect(!report.diagnostics.isEmpty) }
        }
    }

    @Test("every value replaced by each wrong type is answered")
    func wrongTypes() throws {
        let root = try JSONValue(parsing: Self.sample)
        let replacements: [JSONValue] = [.null, 7, -1.5, "text", true, [], [:], [[1]], ["x": ["y": nil]]]
        var paths: [[PathStep]] = []
        Self.collectPaths(root, [], into: &paths)
        var checked = 0
        for path in paths {
            for replacement in replacements {
                let mutated = Self.replacing(root, at: path[...], with: replacement)
                let report = Self.validate(mutated.jsonString(), .json)
                if !report.isValid { #expect(!report.diagnostics.isEmpty) }
                checked += 1
            }
        }
        #expect(checked > 300)
    }

    @Test("deep nesting, huge strings, alias bombs and odd encodings are refused or read, never crash")
    func hostile() {
        let hostile: [(String, WorkflowFormat)] = [
            (String(repeating: "[", count: 200_000), .json),
            (String(repeating: "{\"a\":", count: 100_000), .json),
            (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), .yaml),
            (String(repeating: "- ", count: 50_000) + "x", .yaml),
            ((0..<3000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1", .yaml),
            ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                + (1...12).map { "a\($0): &a\($0) [*a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1)), *a\($0 == 1 ? "" : String($0 - 1))]" }
                    .joined(separator: "\n") + "\nnodes: *a12\n", .yaml),
            ("{\"nodes\":[{\"name\":\"" + String(repeating: "x", count: 5_000_000) + "\"}],\"connections\":{}}", .json),
            ("nodes: [" + String(repeating: "{name: a, type: b}, ", count: 20_000) + "]", .yaml),
            ("\u{FEFF}{\"nodes\":[],\"connections\":{}}", .json),
            ("nodes: !!binary aGVsbG8=\n", .yaml),
            ("? [a, b]\n: c\nnodes: []\n", .yaml),
            ("<<: {nodes: []}\n", .yaml),
            ("%YAML 1.1\n---\nnodes: []\n---\nnodes: []\n", .yaml),
            ("\u{0}\u{1}\u{2}", .json), ("\u{0}\u{1}\u{2}", .yaml), ("", .json), ("", .yaml), ("null", .json), ("~", .yaml),
        ]
        for (text, format) in hostile {
            let report = Self.validate(text, format)
            #expect(!report.diagnostics.isEmpty || report.isValid)
        }
    }

    @Test("YAML nesting is refused beyond 256 levels, with the place, but deep indentation in text is fine")
    func yamlDepth() throws {
        let deep = "nodes: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"
        let report = Self.validate(deep, .yaml)
        let failure = try #require(report.diagnostics.first)
        #expect(failure.code == .invalidYAML && failure.message.contains("256") && failure.line == 1)
        let code = "x = 1\n" + String(repeating: " ", count: 600) + "# far right\n"
        var document = WorkflowDocument()
        document.nodes = [NodeDocument(name: "Start", type: "n8n-nodes-base.manualTrigger", typeVersion: 1,
                                       parameters: ["code": .string(code)])]
        let yaml = document.yamlText()
        #expect(Self.validate(yaml, .yaml).isValid)
    }

    @Test("a workflow with many nodes and a dense loop validates and lays out")
    func large() {
        var nodes: [JSONValue] = []
        var connections = JSONObject()
        for i in 0..<3000 {
            nodes.append(["name": .string("n\(i)"), "type": "n8n-nodes-base.noOp", "parameters": [:]])
            let targets: [JSONValue] = [["node": .string("n\((i + 1) % 3000)"), "type": "main", "index": 0],
                                        ["node": .string("n\((i * 7) % 3000)"), "type": "main", "index": 0]]
            connections["n\(i)"] = ["main": [.array(targets)]]
        }
        let text = JSONValue.object(["nodes": .array(nodes), "connections": .object(connections)]).jsonString()
        let report = Self.validate(text, .json)
        #expect(report.document?.nodes.allSatisfy { $0.position != nil } == true)
    }

    @Test("thousands of connections to missing nodes are each reported")
    func manyBrokenConnections() {
        var nodes: [JSONValue] = []
        var connections = JSONObject()
        for i in 0..<4000 {
            nodes.append(["name": .string("node \(i)"), "type": "n8n-nodes-base.noOp", "parameters": [:]])
            connections["node \(i)"] = ["main": [[["node": .string("nope \(i)"), "type": "main", "index": 0]]]]
        }
        let text = JSONValue.object(["nodes": .array(nodes), "connections": .object(connections)]).jsonString()
        let report = Self.validate(text, .json)
        #expect(report.diagnostics.count { $0.code == .unknownConnectionTarget } == 4000)
    }

    enum PathStep { case key(String), index(Int) }

    static func collectPaths(_ value: JSONValue, _ prefix: [PathStep], into paths: inout [[PathStep]]) {
        switch value {
        case .object(let o):
            for (k, v) in o {
                paths.append(prefix + [.key(k)])
                collectPaths(v, prefix + [.key(k)], into: &paths)
            }
        case .array(let a):
            for (i, v) in a.enumerated() {
                paths.append(prefix + [.index(i)])
                collectPaths(v, prefix + [.index(i)], into: &paths)
            }
        default: break
        }
    }

    static func replacing(_ value: JSONValue, at path: ArraySlice<PathStep>, with replacement: JSONValue) -> JSONValue {
        guard let step = path.first else { return replacement }
        switch (step, value) {
        case (.key(let k), .object(var o)):
            o[k] = replacing(o[k] ?? .null, at: path.dropFirst(), with: replacement)
            return .object(o)
        case (.index(let i), .array(var a)) where i < a.count:
            a[i] = replacing(a[i], at: path.dropFirst(), with: replacement)
            return .array(a)
        default: return value
        }
    }
}
