import FlowrunExpressions
import Foundation
import Testing

@Suite("Reloading workflow files")
struct ReloadTests {
    static func rewrite(_ text: String, at path: String, bump: Double) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(bump)], ofItemAtPath: path)
    }

    /// The `Workflow not loaded` log lines for `file`, with their diagnostics.
    static func failures(_ lines: LogLines, file: String) -> [String] {
        lines.all.filter { $0["message"] == "Workflow not loaded" && $0["flowrun.file"]?.stringValue?.hasSuffix(file) == true }
            .compactMap { $0["flowrun.diagnostics"]?.stringValue }
    }

    @Test("an invalid change keeps the old version and logs the diagnostics; a valid change, a new file and a removal are picked up")
    func reload() async throws {
        let v1 = Flows.chain([Flows.webhook(["path": "v1", "responseMode": "lastNode"]), Flows.set("S", [("v", "1")])])
        let v2 = Flows.chain([Flows.webhook(["path": "v2", "responseMode": "lastNode"]), Flows.set("S", [("v", "2")])])
        var danglingObject = v1.objectValue!
        danglingObject["connections"] = ["Webhook": ["main": [[["node": "Nowhere", "type": "main", "index": 0]]]]]
        let dangling = JSONValue.object(danglingObject)
        let lines = LogLines()
        try await ServerHarness.with(
            workflows: ["a.json": v1], reloadInterval: .milliseconds(100), configure: { server in server.logger = lines.logger() }
        ) { server in
            let file = server.directory + "/workflows/a.json"
            #expect(try await server.request("GET", "/webhook/v1").json == ["v": "1"])

            // Not JSON: the failure is logged and counted; the old version keeps serving.
            try Self.rewrite("{ \"nodes\": [ broken", at: file, bump: 10)
            #expect(try await ServerHarness.eventually { !Self.failures(lines, file: "a.json").isEmpty }, "the broken file is reported")
            #expect(try await server.request("GET", "/readyz").json?["failed"] == 1)
            #expect(try await server.request("GET", "/webhook/v1").json == ["v": "1"])

            // Valid JSON, invalid workflow: the validator's diagnostic (naming the missing node) is logged.
            try Self.rewrite(dangling.jsonString(), at: file, bump: 20)
            #expect(try await ServerHarness.eventually { Self.failures(lines, file: "a.json").contains { $0.contains("Nowhere") } },
                    "\(Self.failures(lines, file: "a.json"))")
            #expect(try await server.request("GET", "/webhook/v1").json == ["v": "1"])

            // A valid change replaces it.
            try Self.rewrite(v2.jsonString(), at: file, bump: 30)
            #expect(try await ServerHarness.eventually { try await server.request("GET", "/webhook/v2").status == 200 })
            #expect(try await server.request("GET", "/webhook/v2").json == ["v": "2"])
            #expect(try await server.request("GET", "/webhook/v1").status == 404)
            #expect(try await server.request("GET", "/readyz").json?["failed"] == 0)

            // A new file is served; a removed one no longer is.
            let added = Flows.chain([Flows.webhook(["path": "added", "responseMode": "lastNode"]), Flows.set("S", [("v", "new")])], name: "added")
            try ServerHarness.write(added, to: server.directory + "/workflows/b.json")
            #expect(try await ServerHarness.eventually { try await server.request("GET", "/webhook/added").status == 200 })
            try FileManager.default.removeItem(atPath: file)
            #expect(try await ServerHarness.eventually { try await server.request("GET", "/webhook/v2").status == 404 })
            #expect(try await server.request("GET", "/webhook/added").json == ["v": "new"])
            #expect(try await server.request("GET", "/healthz").status == 200)
        }
    }
}
