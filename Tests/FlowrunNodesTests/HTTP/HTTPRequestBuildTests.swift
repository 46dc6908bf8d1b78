import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

@Suite("HTTP Request: building requests")
struct HTTPRequestBuildTests {
    @Test("GET with keypair query, headers lower-cased, n8n's default user agent and accept")
    func queryAndHeaders() async throws {
        let t = FakeTransport()
        let run = await HTTPRun.run([
            "url": "https://api.example.com/items?fixed=1", "sendQuery": true,
            "queryParameters": ["parameters": [["name": "q", "value": "a b&c"], ["name": "n", "value": "={{ 1 + 1 }}"]]],
            "sendHeaders": true, "headerParameters": ["parameters": [["name": "X-Trace", "value": "t1"], ["name": "", "value": "skip"]]],
        ], transport: t)
        #expect(run.error == nil)
        let r = try #require(t.requests.first)
        #expect(r.method == "GET")
        #expect(r.url == "https://api.example.com/items?fixed=1&q=a%20b%26c&n=2")
        #expect(r.header("x-trace") == "t1")
        #expect(r.headers.contains { $0.name == "x-trace" })
        #expect(r.header("user-agent") == "n8n")
        #expect(r.header("accept")?.hasPrefix("application/json,text/html") == true)
        #expect(r.followRedirects && r.maxRedirects == 21)
        #expect(r.timeout == .milliseconds(300_000))
        #expect(run.items == [["ok": true]])
    }

    @Test("JSON query and JSON headers; v3 does not follow redirects unless told")
    func jsonQueryHeaders() async throws {
        let t = FakeTransport()
        _ = await HTTPRun.run([
            "url": "https://h.example/x", "sendQuery": true, "specifyQuery": "json", "jsonQuery": #"{"a":[1,2],"b":{"c":"d"}}"#,
            "sendHeaders": true, "specifyHeaders": "json", "jsonHeaders": #"{"X-A":"1"}"#,
            "options": ["timeout": 1500, "queryParameterArrays": "indices"],
        ], version: 3, transport: t)
        let r = try #require(t.requests.first)
        #expect(r.url == "https://h.example/x?a%5B0%5D=1&a%5B1%5D=2&b%5Bc%5D=d")
        #expect(r.header("x-a") == "1")
        #expect(r.followRedirects == false)
        #expect(r.timeout == .milliseconds(1500))
    }

    @Test("JSON body from keypairs: strings stay strings, expressions keep types, dotted names nest (v4+)")
    func keypairJSON() async throws {
        let t = FakeTransport()
        _ = await HTTPRun.run([
            "method": "POST", "url": "https://h.example/p", "sendBody": true,
            "bodyParameters": ["parameters": [["name": "user.id", "value": "5"], ["name": "ok", "value": "={{ false }}"]]],
        ], transport: t)
        let r = try #require(t.requests.first)
        #expect(r.bodyText == #"{"user":{"id":"5"},"ok":false}"#)
        #expect(r.header("content-type") == "application/json")
    }

    @Test("v4.3 repeated body names become arrays; v3 keeps dotted names flat")
    func versions() async throws {
        let t = FakeTransport()
        let rows: JSONValue = ["parameters": [["name": "a.b", "value": "1"], ["name": "a.b", "value": "2"]]]
        _ = await HTTPRun.run(["method": "POST", "url": "https://h.example/p", "sendBody": true, "bodyParameters": rows], version: 3, transport: t)
        _ = await HTTPRun.run(["method": "POST", "url": "https://h.example/p", "sendBody": true, "contentType": "form-urlencoded", "bodyParameters": rows], version: 4.3, transport: t)
        #expect(t.requests[0].bodyText == #"{"a.b":"2"}"#)
        #expect(t.requests[1].bodyText == "a.b%5B%5D=1&a.b%5B%5D=2")
        #expect(t.requests[1].header("content-type") == "application/x-www-form-urlencoded")
    }

    @Test("JSON body from text and from an expression object; invalid JSON fails before sending")
    func jsonBody() async throws {
        let t = FakeTransport()
        _ = await HTTPRun.run(["method": "POST", "url": "https://h.example/p", "sendBody": true, "specifyBody": "json", "jsonBody": #"{"n": 15}"#], transport: t)
        _ = await HTTPRun.run(["method": "PUT", "url": "https://h.example/p", "sendBody": true, "specifyBody": "json", "jsonBody": "={{ { k: $json.v } }}"], items: [["v": 3]], transport: t)
        #expect(t.requests.map(\.bodyText) == [#"{"n":15}"#, #"{"k":3}"#])
        let bad = FakeTransport()
        let run = await HTTPRun.run(["method": "POST", "url": "https://h.example/p", "sendBody": true, "specifyBody": "json", "jsonBody": "{ \"q\": 1, }"], transport: bad)
        #expect(run.error?.message == "JSON parameter needs to be valid JSON")
        #expect(run.error?.parameter == "jsonBody")
        #expect(bad.requests.isEmpty)
    }

    @Test("form-urlencoded from a string, raw body with its content type")
    func formAndRaw() async throws {
        let t = FakeTransport()
        _ = await HTTPRun.run(["method": "POST", "url": "https://h.example/f", "sendBody": true, "contentType": "form-urlencoded", "specifyBody": "string", "body": "a=1&b=x%20y"], transport: t)
        _ = await HTTPRun.run(["method": "POST", "url": "https://h.example/r", "sendBody": true, "contentType": "raw", "rawContentType": "text/csv", "body": "a,b\n1,2"], transport: t)
        #expect(t.requests[0].bodyText == "a=1&b=x%20y")
        #expect(t.requests[1].bodyText == "a,b\n1,2")
        #expect(t.requests[1].header("content-type") == "text/csv")
    }

    @Test("multipart with a text field and a file from binary data; binaryData body")
    func multipartAndBinary() async throws {
        let t = FakeTransport()
        let binary: JSONObject = ["file": ["data": .string(Data("hello".utf8).base64EncodedString()), "mimeType": "text/plain", "fileName": "h.txt"]]
        _ = await HTTPRun.run([
            "method": "POST", "url": "https://h.example/m", "sendBody": true, "contentType": "multipart-form-data",
            "bodyParameters": ["parameters": [["name": "title", "value": "T"], ["parameterType": "formBinaryData", "name": "upload", "inputDataFieldName": "file"]]],
        ], binary: binary, transport: t)
        _ = await HTTPRun.run(["method": "PUT", "url": "https://h.example/b", "sendBody": true, "contentType": "binaryData", "inputDataFieldName": "file"],
                              binary: binary, transport: t)
        let m = t.requests[0]
        let type = try #require(m.header("content-type"))
        #expect(type.hasPrefix("multipart/form-data; boundary="))
        let boundary = String(type.dropFirst("multipart/form-data; boundary=".count))
        #expect(m.bodyText == "--\(boundary)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"h.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--\(boundary)--\r\n")
        #expect(t.requests[1].bodyText == "hello")
        #expect(t.requests[1].header("content-type") == "text/plain")
        let missing = await HTTPRun.run(["method": "PUT", "url": "https://h.example/b", "sendBody": true, "contentType": "binaryData", "inputDataFieldName": "nope"],
                                        binary: binary, transport: FakeTransport())
        #expect(missing.error?.message == "The item has no binary field 'nope'")
    }

    @Test("generic credentials: header, bearer, basic, query; predefined anthropicApi")
    func credentials() async throws {
        let t = FakeTransport()
        let creds: [String: JSONObject] = [
            "httpHeaderAuth": ["name": "X-Key", "value": "k1"], "httpBearerAuth": ["token": "tok"],
            "httpBasicAuth": ["user": "u", "password": "p"], "httpQueryAuth": ["name": "key", "value": "q1"], "anthropicApi": ["apiKey": "sk"],
        ]
        for type in ["httpHeaderAuth", "httpBearerAuth", "httpBasicAuth", "httpQueryAuth"] {
            _ = await HTTPRun.run(["url": "https://h.example/a", "authentication": "genericCredentialType", "genericAuthType": .string(type)],
                                  transport: t, credentials: creds, extra: ["credentials": .object([type: ["id": "1", "name": "c"]])])
        }
        _ = await HTTPRun.run(["url": "https://h.example/a", "authentication": "predefinedCredentialType", "nodeCredentialType": "anthropicApi"],
                              transport: t, credentials: creds)
        let r = t.requests
        #expect(r[0].header("x-key") == "k1")
        #expect(r[1].header("authorization") == "Bearer tok")
        #expect(r[2].header("authorization") == "Basic dTpw")
        #expect(r[3].url == "https://h.example/a?key=q1")
        #expect(r[4].header("x-api-key") == "sk")
    }

    @Test("URL checks as n8n words them")
    func urlChecks() async {
        let run = await HTTPRun.run(["url": "ftp://x"], transport: FakeTransport())
        #expect(run.error?.message == "Invalid URL: ftp://x. URL must start with \"http\" or \"https\".")
        let empty = await HTTPRun.run(["url": "  "], transport: FakeTransport())
        #expect(empty.error?.message == "URL parameter cannot be empty")
    }

    @Test("batching sleeps batchInterval after every batchSize items, on the execution clock")
    func batching() async {
        let t = FakeTransport()
        let clock = InstantClock()
        let run = await HTTPRun.run(["url": "https://h.example/b", "options": ["batching": ["batch": ["batchSize": 2, "batchInterval": 250]]]],
                                    items: [[:], [:], [:], [:], [:]], transport: t, clock: clock)
        #expect(run.error == nil)
        #expect(t.requests.count == 5)
        #expect(clock.recorded.filter { $0 > .milliseconds(200) }.count == 2)
        #expect(run.outputItems.map { $0.pairedItem?.first?.item } == [0, 1, 2, 3, 4])
    }
}
