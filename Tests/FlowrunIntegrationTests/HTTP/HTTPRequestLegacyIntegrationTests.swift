import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunNodes
import FlowrunStandIns
import Foundation
import Testing

/// HTTP Request typeVersion 1 and 2 end to end: engine → node → AsyncHTTPClient → local server;
/// the items n8n's v1/v2 output for each response format and failure.
@Suite("HTTP Request v1/v2 against a local server")
struct HTTPRequestLegacyIntegrationTests {
    static func run(
        _ parameters: JSONObject, version: Double, transport: AsyncHTTPClientTransport, items: [JSONObject] = [[:]], continueOnFail: Bool = false
    ) async throws -> (items: [Item], error: NodeError?) {
        var node: JSONObject = ["name": "HTTP", "type": "n8n-nodes-base.httpRequest", "typeVersion": .number(version), "position": [200, 0],
                                "parameters": .object(parameters)]
        if continueOnFail { node["onError"] = "continueRegularOutput" }
        let workflow: JSONValue = [
            "name": "http", "settings": ["executionOrder": "v1"],
            "nodes": [["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]], .object(node)],
            "connections": ["Trigger": ["main": [[["node": "HTTP", "type": "main", "index": 0]]]]],
        ]
        let document = try #require(WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "http.json").document)
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: .builtIn)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let engine = Engine(configuration: .init(services: NodeServices(http: transport)))
        let result = await engine.run(graph, options: .init(input: items.map { Item(json: $0) }))
        let run = result.runData["HTTP"]?.last
        return (run?.output?.first ?? [], run?.error)
    }

    @Test("a JSON array is one item (keys 0, 1) unless splitIntoItems; fullResponse gives body, headers, status")
    func arraysAndFullResponse() async throws {
        let t = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/list", always: .json(#"[{"id":1},{"id":2}]"#))
            let url = JSONValue.string("\(server.baseURL)/list")
            for version in [1.0, 2.0] {
                let whole = try await Self.run(["url": url], version: version, transport: t)
                #expect(whole.items.map(\.json) == [["0": ["id": 1], "1": ["id": 2]]])
                let split = try await Self.run(["url": url, "options": ["splitIntoItems": true]], version: version, transport: t, items: [[:], [:]])
                #expect(split.items.map(\.json) == [["id": 1], ["id": 2], ["id": 1], ["id": 2]])
                #expect(split.items.map { $0.pairedItem?.first?.item } == [0, 0, 1, 1])
            }
            let full = try await Self.run(["url": url, "options": ["fullResponse": true, "splitIntoItems": true]], version: 1, transport: t)
            let json = try #require(full.items.first?.json)
            #expect(Array(json.keys) == ["body", "headers", "statusCode", "statusMessage"])
            #expect(json["body"] == [["id": 1], ["id": 2]])
            #expect(json["statusCode"] == 200)
            #expect(json["headers"]?["content-type"] == "application/json")
        }
        await t.shutdown()
    }

    @Test("string and file formats put the answer under dataPropertyName; a non-JSON answer fails the json format")
    func stringAndFile() async throws {
        let t = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/text", always: .text("hello"))
            server.script("/obj", always: .text(#"{"a":1}"#))
            server.script("/files/report.pdf", always: .respond(status: 200, body: Array("PDF!".utf8), headers: [TestHTTPHeader("content-type", "application/pdf")]))
            let text = try await Self.run(["url": .string("\(server.baseURL)/text"), "responseFormat": "string", "dataPropertyName": "page"], version: 1, transport: t)
            #expect(text.items.map(\.json) == [["page": "hello"]])
            server.script("/empty", always: .text(""))
            let empty = try await Self.run(["url": .string("\(server.baseURL)/empty"), "responseFormat": "string"], version: 1, transport: t)
            #expect(empty.items.map(\.json) == [[:]], "an empty answer is undefined in n8n: no property")
            // The request client parses JSON whatever the content type (not with a raw body content type).
            let parsed = try await Self.run(["url": .string("\(server.baseURL)/obj"), "responseFormat": "string"], version: 2, transport: t)
            #expect(parsed.items.map(\.json) == [["data": ["a": 1]]])
            let rawText = try await Self.run(["url": .string("\(server.baseURL)/obj"), "responseFormat": "string", "options": ["bodyContentType": "raw"]],
                                             version: 2, transport: t)
            #expect(rawText.items.map(\.json) == [["data": #"{"a":1}"#]])
            let fullText = try await Self.run(["url": .string("\(server.baseURL)/text"), "responseFormat": "string", "options": ["fullResponse": true]],
                                              version: 1, transport: t)
            #expect(fullText.items.first?.json["data"] == "hello")
            #expect(fullText.items.first?.json["statusCode"] == 200)

            let file = try await Self.run(["url": .string("\(server.baseURL)/files/report.pdf"), "responseFormat": "file", "dataPropertyName": "doc"],
                                          version: 1, transport: t, items: [["keep": true]])
            let item = try #require(file.items.first)
            #expect(item.json == ["keep": true])
            #expect(item.binary?["doc"]?["data"] == .string(Data("PDF!".utf8).base64EncodedString()))
            #expect(item.binary?["doc"]?["fileName"] == "report.pdf")
            #expect(item.binary?["doc"]?["mimeType"] == "application/pdf")

            let notJSON = try await Self.run(["url": .string("\(server.baseURL)/text")], version: 1, transport: t)
            #expect(notJSON.error?.message == "Response body is not valid JSON. Change \"Response Format\" to \"String\"")
        }
        await t.shutdown()
    }

    @Test("non-2xx fails with n8n's message; ignoreResponseCode reads it; continue-on-fail gives error items")
    func failures() async throws {
        let t = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/nf", always: .json(#"{"message":"nope"}"#, status: 404))
            server.script("/ok", always: .json(#"{"ok":true}"#))
            let nf = try await Self.run(["url": .string("\(server.baseURL)/nf")], version: 1, transport: t)
            #expect(nf.error?.message == "The resource you are requesting could not be found")
            #expect(nf.error?.extra["httpCode"] == "404")
            let ignored = try await Self.run(["url": .string("\(server.baseURL)/nf"), "options": ["ignoreResponseCode": true, "fullResponse": true]],
                                             version: 2, transport: t)
            #expect(ignored.error == nil)
            #expect(ignored.items.first?.json["statusCode"] == 404)
            #expect(ignored.items.first?.json["body"] == ["message": "nope"])
            let mixed = try await Self.run(["url": .string("=\(server.baseURL)/{{ $json.p }}")], version: 1, transport: t,
                                           items: [["p": "ok"], ["p": "nf"]], continueOnFail: true)
            #expect(mixed.error == nil)
            #expect(mixed.items.count == 2)
            #expect(mixed.items.first?.json == ["ok": true])
            // v1/v2 keep the client's error object: status, message with the body, the body itself.
            let error = try #require(mixed.items.last?.json["error"])
            #expect(error["message"] == #"404 - {"message":"nope"}"#)
            #expect(error["statusCode"] == 404)
            #expect(error["error"] == ["message": "nope"])
            #expect(mixed.items.last?.pairedItem?.first?.item == 1)
        }
        await t.shutdown()
    }

    @Test("a v1 POST arrives with its JSON body, lower-cased headers and query; redirects of GET are followed")
    func requestOnTheWire() async throws {
        let t = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/post", always: .echo)
            server.script("/moved", always: .redirect(to: "/post"))
            let post = try await Self.run([
                "requestMethod": "POST", "url": .string("\(server.baseURL)/post"),
                "bodyParametersUi": ["parameter": [["name": "a", "value": "1"]]],
                "headerParametersUi": ["parameter": [["name": "X-Trace", "value": "t"]]],
                "queryParametersUi": ["parameter": [["name": "q", "value": "x"]]],
            ], version: 1, transport: t)
            #expect(post.items.first?.json["body"] == #"{"a":"1"}"#)
            let recorded = try #require(server.requests(path: "/post").first)
            #expect(recorded.method == "POST")
            #expect(recorded.query == "q=x")
            #expect(recorded.header("x-trace") == "t")
            #expect(recorded.header("content-type") == "application/json")
            let moved = try await Self.run(["url": .string("\(server.baseURL)/moved")], version: 2, transport: t)
            #expect(moved.items.first?.json["method"] == "GET")
            let notFollowed = try await Self.run(["url": .string("\(server.baseURL)/moved"), "options": ["followRedirect": false]], version: 2, transport: t)
            #expect(notFollowed.error?.extra["httpCode"] == "302")
        }
        await t.shutdown()
    }
}
