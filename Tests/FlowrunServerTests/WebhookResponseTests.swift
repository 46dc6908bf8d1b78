import FlowrunExpressions
import Foundation
import Testing

@Suite("Webhook serving and response modes")
struct WebhookResponseTests {
    @Test("onReceived answers at once with n8n's body and the item has n8n's shape")
    func onReceived() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "hello", "httpMethod": "POST"])])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.post("/webhook/hello?x=1&x=2", json: ["name": "Ada"])
            #expect(answer.status == 200)
            #expect(answer.json == ["message": "Workflow was started"])
            #expect(answer.header("x-flowrun-execution-id") != nil)
        }
    }

    @Test("lastNode firstEntryJson returns the last node's first item; the item carries headers, params, query, body")
    func lastNodeFirstEntry() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "user/:id", "httpMethod": "POST", "responseMode": "lastNode"]),
            Flows.set("Shape", [
                ("id", "={{ $json.params.id }}"), ("q", "={{ $json.query.x }}"), ("name", "={{ $json.body.name }}"),
                ("ua", "={{ $json.headers['x-test'] }}"), ("mode", "={{ $json.executionMode }}"),
            ]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.post(
                "/webhook/9f1c1a4e-0000-4000-8000-000000000001/user/42?x=7", json: ["name": "Ada"], headers: [("X-Test", "yes")])
            #expect(answer.status == 200)
            let json = try #require(answer.json?.objectValue)
            #expect(json["id"] == "42")
            #expect(json["q"] == "7")
            #expect(json["name"] == "Ada")
            #expect(json["ua"] == "yes")
            #expect(json["mode"] == "production")
            let test = try await server.post("/webhook-test/9f1c1a4e-0000-4000-8000-000000000001/user/1", json: [:])
            #expect(test.json?.objectValue?["mode"] == "test")
        }
    }

    @Test("lastNode allEntries, responsePropertyName, noData, and responseCode")
    func lastNodeVariants() async throws {
        let all = Flows.chain([
            Flows.webhook(["path": "all", "responseMode": "lastNode", "responseData": "allEntries", "options": ["responseCode": ["values": ["responseCode": 201]]]]),
            Flows.set("S", [("a", "x")]),
        ], name: "all")
        let prop = Flows.chain([
            Flows.webhook(["path": "prop", "responseMode": "lastNode", "options": ["responsePropertyName": "a"]]),
            Flows.set("S", [("a", "value-a")]),
        ], name: "prop")
        let none = Flows.chain([
            Flows.webhook(["path": "none", "responseMode": "lastNode", "responseData": "noData"]),
            Flows.set("S", [("a", "x")]),
        ], name: "none")
        try await ServerHarness.with(workflows: ["all.json": all, "prop.json": prop, "none.json": none]) { server in
            let a = try await server.request("GET", "/webhook/all")
            #expect(a.status == 201)
            #expect(a.json == [["a": "x"]])
            let p = try await server.request("GET", "/webhook/prop")
            #expect(p.json == "value-a")
            let n = try await server.request("GET", "/webhook/none")
            #expect(n.status == 200)
            #expect(n.body.isEmpty)
        }
    }

    @Test("lastNode answers 500 'Error in workflow' when the execution fails")
    func lastNodeError() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "boom", "responseMode": "lastNode"]),
            Flows.node("Stop", "n8n-nodes-base.stopAndError", 1, ["errorMessage": "nope"]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.request("GET", "/webhook/boom")
            #expect(answer.status == 500)
            #expect(answer.json == ["message": "Error in workflow"])
        }
    }

    @Test("responseNode: Respond to Webhook json, text, allIncomingItems, redirect, noData with code, headers and key",
          arguments: [
            ("json", ["respondWith": "json", "responseBody": "={{ { \"got\": $json.n } }}"] as JSONObject, 200, "{\"got\":3}"),
            ("text", ["respondWith": "text", "responseBody": "=hi {{ $json.n }}", "options": ["responseCode": 202]] as JSONObject, 202, "hi 3"),
            ("all", ["respondWith": "allIncomingItems", "options": ["responseKey": "items"]] as JSONObject, 200, "{\"items\":[{\"n\":3}]}"),
            ("noData", ["respondWith": "noData", "options": ["responseCode": 204]] as JSONObject, 204, ""),
          ])
    func responseNode(name: String, parameters: JSONObject, status: Int, body: String) async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "r", "httpMethod": "POST", "responseMode": "responseNode"]),
            Flows.node("Body", "n8n-nodes-base.set", 3.4, ["mode": "raw", "jsonOutput": "={{ $json.body }}", "options": [:]]),
            Flows.node("Respond", "n8n-nodes-base.respondToWebhook", 1.1, parameters.merging([
                "options": .object((parameters["options"]?.objectValue ?? [:]).merging(["responseHeaders": ["entries": [["name": "X-Mode", "value": .string(name)]]]]) { a, _ in a }),
            ]) { _, b in b }),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.post("/webhook/r", json: ["n": 3])
            #expect(answer.status == status)
            #expect(answer.text == body)
            #expect(answer.header("x-mode") == name)
        }
    }

    @Test("responseNode redirect sends Location with 307")
    func redirect() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "go", "responseMode": "responseNode"]),
            Flows.node("Respond", "n8n-nodes-base.respondToWebhook", 1.1, ["respondWith": "redirect", "redirectURL": "https://example.com/x"]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.request("GET", "/webhook/go")
            #expect(answer.status == 307)
            #expect(answer.header("location") == "https://example.com/x")
        }
    }

    @Test("unknown path and wrong method get n8n's 404 bodies")
    func notFound() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "only-post", "httpMethod": "POST"])])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let unknown = try await server.request("GET", "/webhook/nope")
            #expect(unknown.status == 404)
            #expect(unknown.json?.objectValue?["message"] == "The requested webhook \"GET nope\" is not registered.")
            #expect(unknown.json?.objectValue?["code"] == 404)
            #expect(unknown.json?.objectValue?["hint"] != nil)
            let wrong = try await server.request("GET", "/webhook/only-post")
            #expect(wrong.status == 404)
            #expect(wrong.json?.objectValue?["message"] == "This webhook is not registered for GET requests. Did you mean to make a POST request?")
        }
    }

    @Test("multipart form-data: fields as n8n gives them, files as binary")
    func multipart() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "form", "httpMethod": "POST", "responseMode": "lastNode"], version: 1),
            Flows.set("Out", [("body", "={{ JSON.stringify($json.body) }}"), ("file", "={{ $binary.doc.fileName }}")]),
        ])
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"n.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n"
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let answer = try await server.request("POST", "/webhook/form", headers: [("Content-Type", "multipart/form-data; boundary=XyZ")], body: Array(body.utf8))
            #expect(answer.status == 200)
            #expect(answer.json?.objectValue?["body"] == "{\"a\":[\"b\"]}")
            #expect(answer.json?.objectValue?["file"] == "n.txt")
        }
    }
}
