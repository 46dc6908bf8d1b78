import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("HTTP Request: responses, errors, pagination")
struct HTTPRequestResponseTests {
    static func answer(_ body: String, type: String, status: Int = 200) -> FakeTransport {
        FakeTransport { _, _ in HTTPResponseData(status: status, statusText: "OK", headers: [HTTPField("Content-Type", type)], body: Array(body.utf8)) }
    }

    @Test("autodetect: JSON array → one item each; text → data; empty JSON → {}")
    func autodetect() async {
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: Self.answer(#"[{"a":1},{"a":2}]"#, type: "application/json")).items == [["a": 1], ["a": 2]])
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: Self.answer("hello", type: "text/html")).items == [["data": "hello"]])
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: Self.answer("", type: "application/json")).items == [[:]])
    }

    @Test("autodetect: a binary type becomes binary data under outputPropertyName, json kept")
    func file() async throws {
        let run = await HTTPRun.run(["url": "https://h/files/pic.png", "options": ["response": ["response": ["outputPropertyName": "img"]]]],
                                    items: [["keep": true]], transport: Self.answer("PNG", type: "image/png"))
        let item = try #require(run.outputItems.first)
        #expect(item.json == ["keep": true])
        let binary = try #require(item.binary?["img"])
        #expect(binary["data"] == .string(Data("PNG".utf8).base64EncodedString()))
        #expect(binary["mimeType"] == "image/png")
        #expect(binary["fileName"] == "pic.png")
    }

    @Test("full response, text format with the body under its property")
    func fullResponse() async {
        let run = await HTTPRun.run(["url": "https://h/x", "options": ["response": ["response": ["fullResponse": true]]]],
                                    transport: Self.answer(#"{"a":1}"#, type: "application/json"))
        #expect(run.items.first?["body"] == ["a": 1])
        #expect(run.items.first?["statusCode"] == 200)
        #expect(run.items.first?["headers"]?["content-type"] == "application/json")
        let text = await HTTPRun.run(["url": "https://h/x", "options": ["response": ["response": ["responseFormat": "text", "outputPropertyName": "t"]]]],
                                     transport: Self.answer("plain", type: "text/plain"))
        #expect(text.items == [["t": "plain"]])
    }

    @Test("JSON format on a non-JSON answer fails as n8n; latin1 text decodes by charset")
    func formats() async {
        let run = await HTTPRun.run(["url": "https://h/x", "options": ["response": ["response": ["responseFormat": "json"]]]],
                                    transport: Self.answer("<html>", type: "text/html"))
        #expect(run.error?.message == "Response body is not valid JSON. Change \"Response Format\" to \"Text\"")
        let latin = FakeTransport { _, _ in
            HTTPResponseData(status: 200, headers: [HTTPField("content-type", "text/plain; charset=latin1")], body: Array("façade".data(using: .isoLatin1)!))
        }
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: latin).items == [["data": "façade"]])
    }

    @Test("404 becomes n8n's message, status in extra, secrets hidden in the excerpt")
    func statusError() async throws {
        let t = Self.answer(#"{"error":"token sekret-123 is unknown"}"#, type: "application/json", status: 404)
        let run = await HTTPRun.run(["url": "https://h/x", "authentication": "genericCredentialType", "genericAuthType": "httpBearerAuth"],
                                    transport: t, credentials: ["httpBearerAuth": ["token": "sekret-123"]])
        let error = try #require(run.error)
        #expect(error.message == "The resource you are requesting could not be found")
        #expect(error.extra["httpCode"] == "404")
        #expect(error.detail?.contains("**hidden**") == true)
        let detail = error.detail ?? ""
        let excerpt = error.extra["responseBody"]?.stringValue ?? ""
        #expect(detail.contains("sekret-123") == false)
        #expect(excerpt.contains("sekret-123") == false)
        #expect(excerpt.contains("**hidden**"))
    }

    @Test("429 and 5xx messages; neverError passes the answer through")
    func otherStatuses() async {
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: Self.answer("{}", type: "application/json", status: 429)).error?.message
            == "The service is receiving too many requests from you")
        #expect(await HTTPRun.run(["url": "https://h/x"], transport: Self.answer("{}", type: "application/json", status: 503)).error?.message
            == "Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)")
        let ok = await HTTPRun.run(["url": "https://h/x", "options": ["response": ["response": ["neverError": true]]]],
                                   transport: Self.answer(#"{"e":1}"#, type: "application/json", status: 500))
        #expect(ok.items == [["e": 1]])
    }

    @Test("continue on fail: a failing item becomes an error item, the others still run")
    func continueOnFail() async {
        let t = FakeTransport { r, _ in
            r.url.hasSuffix("bad") ? FakeTransport.json("{}", status: 400) : FakeTransport.json(#"{"ok":1}"#)
        }
        let run = await HTTPRun.run(["url": "=https://h/{{ $json.p }}"], items: [["p": "good"], ["p": "bad"]], transport: t,
                                    extra: ["onError": "continueRegularOutput"])
        #expect(run.items.count == 2)
        #expect(run.items[0] == ["ok": 1])
        #expect(run.items[1]["error"]?["message"] == "Bad request - please check your parameters")
    }

    @Test("pagination: update a parameter with $pageCount until the response is empty")
    func paginationParameter() async {
        let t = FakeTransport { r, n in
            n < 3 ? FakeTransport.json(#"[{"page":\#(n)}]"#) : FakeTransport.json("[]")
        }
        let run = await HTTPRun.run([
            "url": "https://h/list",
            "options": ["pagination": ["pagination": ["parameters": ["parameters": [["name": "page", "value": "={{ $pageCount + 1 }}"]]]]]],
        ], transport: t)
        #expect(t.requests.map(\.url) == ["https://h/list?page=1", "https://h/list?page=2", "https://h/list?page=3", "https://h/list?page=4"])
        #expect(run.items == [["page": 0], ["page": 1], ["page": 2]])
    }

    @Test("pagination: next URL from $response, stop on a status code, maxRequests")
    func paginationNextURL() async {
        let t = FakeTransport { r, n in
            n < 2 ? FakeTransport.json(#"{"next":"https://h/p\#(n + 1)","n":\#(n)}"#) : FakeTransport.json(#"{"done":true}"#, status: 404)
        }
        let run = await HTTPRun.run([
            "url": "https://h/p0",
            "options": ["pagination": ["pagination": [
                "paginationMode": "responseContainsNextURL", "nextURL": "={{ $response.body.next }}",
                "paginationCompleteWhen": "receiveSpecificStatusCodes", "statusCodesWhenComplete": "404",
            ]]],
        ], transport: t)
        #expect(t.requests.map(\.url) == ["https://h/p0", "https://h/p1", "https://h/p2"])
        #expect(run.items.count == 3)
        let limited = FakeTransport { _, n in FakeTransport.json(#"[{"n":\#(n)}]"#) }
        let capped = await HTTPRun.run([
            "url": "https://h/x",
            "options": ["pagination": ["pagination": [
                "parameters": ["parameters": [["type": "qs", "name": "offset", "value": "={{ $pageCount * 10 }}"]]],
                "limitPagesFetched": true, "maxRequests": 3, "requestInterval": 5,
            ]]],
        ], transport: limited)
        #expect(limited.requests.count == 3)
        #expect(capped.items.count == 3)
    }

    @Test("pagination: a non-2xx page while more are wanted fails with n8n's error")
    func paginationError() async {
        let t = FakeTransport { _, n in n == 0 ? FakeTransport.json(#"[{"a":1}]"#) : FakeTransport.json(#"{"x":1}"#, status: 500) }
        let run = await HTTPRun.run([
            "url": "https://h/x",
            "options": ["pagination": ["pagination": ["parameters": ["parameters": [["name": "p", "value": "={{ $pageCount }}"]]]]]],
        ], transport: t)
        #expect(run.error?.message == "The service was not able to process your request")
    }

    @Test("transport failures map to n8n's connection messages")
    func transportErrors() async {
        struct Refused: Error, CustomStringConvertible {
            var code = "connectionRefused"
            var description: String { "HTTP request to h:80 failed: refused" }
        }
        let run = await HTTPRun.run(["url": "https://h/x"], transport: FakeTransport { _, _ in throw Refused() })
        #expect(run.error?.message == "The service refused the connection - perhaps it is offline")
        #expect(run.error?.extra["code"] == "ECONNREFUSED")
    }
}
