import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunNodes
import FlowrunStandIns
import Foundation
import Testing

/// The HTTP Request node end to end: engine → node → AsyncHTTPClient → local server.
@Suite("HTTP Request node against a local server")
struct HTTPRequestNodeIntegrationTests {
    static func run(_ parameters: JSONObject, transport: AsyncHTTPClientTransport, items: Int = 1) async throws -> ExecutionResult {
        let workflow: JSONValue = [
            "name": "http", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "HTTP", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [200, 0], "parameters": .object(parameters)],
            ],
            "connections": ["Trigger": ["main": [[["node": "HTTP", "type": "main", "index": 0]]]]],
        ]
        let document = try #require(WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "http.json").document)
        let graph = WorkflowGraph.build(document, registry: .builtIn).graph
        let engine = Engine(configuration: .init(services: NodeServices(http: transport)))
        return await engine.run(graph, options: .init(input: Array(repeating: Item(), count: items)))
    }

    static func items(_ result: ExecutionResult) -> [JSONObject] {
        result.runData["HTTP"]?.last?.output?.first?.map(\.json) ?? []
    }

    @Test("JSON answers become items; a POST body arrives as JSON")
    func success() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/list", always: .json(#"[{"id":1},{"id":2}]"#))
            let t = AsyncHTTPClientTransport()
            let list = try await Self.run(["url": .string("\(server.baseURL)/list")], transport: t)
            #expect(Self.items(list) == [["id": 1], ["id": 2]])
            server.script("/post", always: .echo)
            let post = try await Self.run(["method": "POST", "url": .string("\(server.baseURL)/post"), "sendBody": true,
                                           "bodyParameters": ["parameters": [["name": "a", "value": "1"]]]], transport: t)
            #expect(Self.items(post).first?["body"] == #"{"a":"1"}"#)
            #expect(server.requests(path: "/post").first?.header("content-type") == "application/json")
            await t.shutdown()
        }
    }

    @Test("4xx/5xx, malformed JSON, server down and timeout fail with n8n's messages")
    func failures() async throws {
        let t = AsyncHTTPClientTransport()
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/nf", always: .json(#"{"message":"nope"}"#, status: 404))
            server.script("/err", always: .status(500))
            server.script("/bad", always: .json(#"{"unterminated": "#))
            server.script("/hang", always: .hang)
            let nf = try await Self.run(["url": .string("\(server.baseURL)/nf")], transport: t)
            #expect(nf.runData["HTTP"]?.last?.error?.message == "The resource you are requesting could not be found")
            #expect(nf.runData["HTTP"]?.last?.error?.extra["httpCode"] == "404")
            #expect(nf.runData["HTTP"]?.last?.error?.detail?.contains("nope") == true)
            let err = try await Self.run(["url": .string("\(server.baseURL)/err")], transport: t)
            #expect(err.runData["HTTP"]?.last?.error?.message == "The service was not able to process your request")
            let bad = try await Self.run(["url": .string("\(server.baseURL)/bad")], transport: t)
            #expect(bad.runData["HTTP"]?.last?.error?.message == "Invalid JSON in response body")
            let hang = try await Self.run(["url": .string("\(server.baseURL)/hang"), "options": ["timeout": 300]], transport: t)
            #expect(hang.runData["HTTP"]?.last?.error?.code == .timeout)
        }
        let port = try await TestHTTPServer.withRunning { $0.port }
        let down = try await Self.run(["url": .string("http://127.0.0.1:\(port)/x")], transport: t)
        #expect(down.runData["HTTP"]?.last?.error?.message == "The service refused the connection - perhaps it is offline")
        await t.shutdown()
    }

    @Test("pagination over real pages with $response and a next-url header")
    func pagination() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/p", [.json(#"[{"n":1}]"#, headers: [TestHTTPHeader("next-url", "\(server.baseURL)/p2")])], then: .json("[]"))
            server.script("/p2", always: .json(#"[{"n":2}]"#, headers: [TestHTTPHeader("next-url", "\(server.baseURL)/p3")]))
            server.script("/p3", always: .json("[]"))
            let t = AsyncHTTPClientTransport()
            let result = try await Self.run([
                "url": .string("\(server.baseURL)/p"),
                "options": ["pagination": ["pagination": ["paginationMode": "responseContainsNextURL", "nextURL": "={{ $response.headers['next-url'] }}"]]],
            ], transport: t)
            #expect(Self.items(result) == [["n": 1], ["n": 2]])
            #expect(server.requests().map(\.path) == ["/p", "/p2", "/p3"])
            await t.shutdown()
        }
    }
}
