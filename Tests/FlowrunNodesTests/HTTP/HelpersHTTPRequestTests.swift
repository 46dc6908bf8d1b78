import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// The Code node's `this.helpers.httpRequest` through `services.http`.
@Suite("Code node this.helpers.httpRequest")
struct HelpersHTTPRequestTests {
    static func run(_ code: String, transport: FakeTransport) async throws -> ExecutionResult {
        let workflow: JSONValue = [
            "name": "t", "settings": ["executionOrder": "v1"], "connections": [:],
            "nodes": [["name": "Code", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [0, 0],
                       "parameters": ["mode": "runOnceForAllItems", "jsCode": .string(code)]]],
        ]
        let document = try #require(WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "t.json").document)
        let graph = WorkflowGraph.build(document, registry: .builtIn).graph
        let engine = Engine(configuration: .init(services: NodeServices(http: transport)))
        return await engine.run(graph, options: .init(mode: .manual, startNode: "Code"))
    }

    @Test("url, method, qs, headers, JSON body and returnFullResponse follow IHttpRequestOptions")
    func request() async throws {
        let t = FakeTransport { _, _ in FakeTransport.json(#"{"echo":true}"#, headers: [HTTPField("X-Reply", "1")]) }
        let result = try await Self.run("""
            const r = await this.helpers.httpRequest({ url: 'https://api.example.com/v1/things', method: 'POST', qs: { page: 2 },
              headers: { 'X-Custom': 'c' }, body: { name: 'n', tags: ['a'] }, json: true, returnFullResponse: true });
            const plain = await this.helpers.httpRequest({ url: 'https://api.example.com/v1/plain' });
            return [{ json: { status: r.statusCode, body: r.body, reply: r.headers['x-reply'], plain } }];
            """, transport: t)
        #expect(result.status == .success, "\(String(describing: result.error))")
        let json = result.runData["Code"]?.first?.output?.first?.first?.json
        #expect(json == ["status": 200, "body": ["echo": true], "reply": "1", "plain": ["echo": true]])
        let first = try #require(t.requests.first)
        #expect(first.method == "POST")
        #expect(first.url == "https://api.example.com/v1/things?page=2")
        #expect(first.header("X-Custom") == "c")
        #expect(first.header("content-type") == "application/json")
        #expect(first.bodyText == #"{"name":"n","tags":["a"]}"#)
        #expect(t.requests[1].method == "GET")
    }

    @Test("a 404 throws axios's message into the code; ignoreHttpStatusErrors returns the body")
    func statusErrors() async throws {
        let t = FakeTransport { _, _ in FakeTransport.json(#"{"missing":true}"#, status: 404) }
        let result = try await Self.run("""
            let message = '';
            try { await this.helpers.httpRequest({ url: 'https://h.example/x' }); } catch (e) { message = e.message; }
            const body = await this.helpers.httpRequest({ url: 'https://h.example/x', ignoreHttpStatusErrors: true });
            return [{ json: { message, body } }];
            """, transport: t)
        #expect(result.status == .success, "\(String(describing: result.error))")
        let json = result.runData["Code"]?.first?.output?.first?.first?.json
        #expect(json?["message"]?.stringValue?.contains("Request failed with status code 404") == true)
        #expect(json?["body"] == ["missing": true])
    }
}
