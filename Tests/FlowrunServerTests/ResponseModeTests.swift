import FlowrunExpressions
import Foundation
import Testing

/// Response modes and body limits not covered by WebhookResponseTests: binary answers, the
/// first incoming item, onReceived options, and bodies over the limit without a Content-Length.
@Suite("Webhook response modes: binary, first item, onReceived options, limits")
struct ResponseModeTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xFF, 0x00, 0x7F]

    @Test("lastNode firstEntryBinary answers the binary body of a v2 binary request with its MIME type")
    func lastNodeBinary() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "echo-bin", "httpMethod": "POST", "responseMode": "lastNode", "responseData": "firstEntryBinary"])])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.request("POST", "/webhook/echo-bin", headers: [("Content-Type", "image/png")], body: Self.png)
            #expect(answer.status == 200)
            #expect(answer.body == Self.png)
            #expect(answer.header("content-type") == "image/png")
        }
    }

    @Test("responseNode: Respond to Webhook with binary and with the first incoming item (v1.1, headers option)")
    func responseNodeBinaryAndFirstItem() async throws {
        let binary = Flows.chain([
            Flows.webhook(["path": "bin", "httpMethod": "POST", "responseMode": "responseNode"]),
            Flows.node("Respond", "n8n-nodes-base.respondToWebhook", 1.1, ["respondWith": "binary"]),
        ], name: "bin")
        let first = Flows.chain([
            Flows.webhook(["path": "first", "httpMethod": "POST", "responseMode": "responseNode"]),
            Flows.set("Shape", [("got", "={{ $json.body.n }}")]),
            Flows.node("Respond", "n8n-nodes-base.respondToWebhook", 1.1, [
                "respondWith": "firstIncomingItem",
                "options": ["responseCode": 201, "responseHeaders": ["entries": [["name": "X-Answer", "value": "={{ $json.got }}"]]]],
            ]),
        ], name: "first")
        try await ServerHarness.with(workflows: ["bin.json": binary, "first.json": first]) { server in
            let bin = try await server.request("POST", "/webhook/bin", headers: [("Content-Type", "image/png")], body: Self.png)
            #expect(bin.status == 200)
            #expect(bin.body == Self.png)
            #expect(bin.header("content-type") == "image/png")
            let answer = try await server.post("/webhook/first", json: ["n": "7"])
            #expect(answer.status == 201)
            #expect(answer.json == ["got": "7"])
            #expect(answer.header("x-answer") == "7")
        }
    }

    @Test("onReceived options: custom body and content type, response headers, noResponseBody")
    func onReceivedOptions() async throws {
        let custom = Flows.chain([Flows.webhook(["path": "custom", "options": [
            "responseData": "<b>thanks</b>", "responseContentType": "text/html", "responseCode": ["values": ["responseCode": 202]],
            "responseHeaders": ["entries": [["name": "X-Handled-By", "value": "flowrun"]]],
        ]])], name: "custom")
        let empty = Flows.chain([Flows.webhook(["path": "empty", "options": ["noResponseBody": true]])], name: "empty")
        try await ServerHarness.with(workflows: ["c.json": custom, "e.json": empty]) { server in
            let answer = try await server.request("GET", "/webhook/custom")
            #expect(answer.status == 202)
            #expect(answer.text == "<b>thanks</b>")
            #expect(answer.header("content-type") == "text/html")
            #expect(answer.header("x-handled-by") == "flowrun")
            let none = try await server.request("GET", "/webhook/empty")
            #expect(none.status == 200)
            #expect(none.body.isEmpty)
        }
    }

    @Test("bodies over the limit get 413 without a Content-Length (chunked) too, per workflow and server-wide")
    func sizeLimits() async throws {
        let small = Flows.chain([Flows.webhook(["path": "small", "httpMethod": "POST", "responseMode": "lastNode"], extra: ["flowrun": ["maxBodyBytes": 64]])], name: "small")
        let open = Flows.chain([Flows.webhook(["path": "open", "httpMethod": "POST", "responseMode": "lastNode"])], name: "open")
        try await ServerHarness.with(workflows: ["s.json": small, "o.json": open], configure: { $0.configuration.maxBodyBytes = 1024 }) { server in
            let big = Array(JSONValue.object(["a": .string(String(repeating: "x", count: 200))]).jsonString().utf8)
            let chunked = try await server.request("POST", "/webhook/small", headers: [("Content-Type", "application/json")], body: big, chunked: true)
            #expect(chunked.status == 413)
            #expect(chunked.header("x-flowrun-execution-id") == nil, "the workflow did not run")
            let fits = try await server.request("POST", "/webhook/small", headers: [("Content-Type", "application/json")], body: Array("{\"a\":1}".utf8), chunked: true)
            #expect(fits.status == 200)
            let huge = Array(JSONValue.object(["a": .string(String(repeating: "y", count: 4000))]).jsonString().utf8)
            #expect(try await server.request("POST", "/webhook/open", headers: [("Content-Type", "application/json")], body: huge).status == 413)
            #expect(try await server.request("POST", "/webhook/open", headers: [("Content-Type", "application/json")], body: huge, chunked: true).status == 413)
            #expect(try await server.request("POST", "/webhook/open", headers: [("Content-Type", "application/json")], body: big).status == 200)
        }
    }
}
