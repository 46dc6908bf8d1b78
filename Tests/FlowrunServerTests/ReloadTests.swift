import FlowrunExpressions
import Foundation
import Testing

@Suite("Reloading workflow files")
struct ReloadTests {
    static func rewrite(_ text: String, at path: String, bump: Double) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(bump)], ofItemAtPath: path)
    }

    /// Polls until `check` holds (the reload runs every 100 ms), failing after about 5 seconds.
    static func eventually(_ check: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("an invalid change keeps the old version; a valid change replaces it")
    func reload() async throws {
        let v1 = Flows.chain([Flows.webhook(["path": "v1", "responseMode": "lastNode"]), Flows.set("S", [("v", "1")])])
        let v2 = Flows.chain([Flows.webhook(["path": "v2", "responseMode": "lastNode"]), Flows.set("S", [("v", "2")])])
        try await ServerHarness.with(workflows: ["a.json": v1], reloadInterval: .milliseconds(100)) { server in
            let file = server.directory + "/workflows/a.json"
            #expect(try await server.request("GET", "/webhook/v1").json == ["v": "1"])
            try Self.rewrite("{ \"nodes\": [ broken", at: file, bump: 10)
            // Give the poller several rounds to (not) act on the broken file.
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await server.request("GET", "/webhook/v1").json == ["v": "1"])
            try Self.rewrite(v2.jsonString(), at: file, bump: 20)
            #expect(try await Self.eventually { try await server.request("GET", "/webhook/v2").status == 200 })
            #expect(try await server.request("GET", "/webhook/v2").json == ["v": "2"])
            #expect(try await server.request("GET", "/webhook/v1").status == 404)
            let ready = try await server.request("GET", "/readyz")
            #expect(ready.status == 200)
            #expect(try await server.request("GET", "/healthz").status == 200)
        }
    }
}
