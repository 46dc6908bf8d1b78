import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunNodes

/// HTTP Request typeVersion 1 and 2 (n8n's `HttpRequestV1`/`HttpRequestV2`): parameters decoded at
/// load, requests built, credentials, errors.
@Suite("HTTP Request v1/v2: parameters and requests")
struct HTTPRequestLegacyTests {
    /// The error diagnostics of a workflow holding one HTTP Request node of `version`.
    static func diagnostics(_ parameters: JSONObject, version: Double) -> [String] {
        let workflow: JSONValue = [
            "name": "legacy", "connections": [:],
            "nodes": [["name": "Node", "type": "n8n-nodes-base.httpRequest", "typeVersion": .number(version), "position": [0, 0],
                       "parameters": .object(parameters)]],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "legacy.json")
        guard let document = loaded.document else { return ["not loaded"] }
        return WorkflowGraph.build(document, registry: .builtIn).diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test("v1 and v2 load with their parameters; unknown choices are load-time errors naming the parameter")
    func decoding() {
        let valid: JSONObject = [
            "requestMethod": "POST", "url": "https://h/x", "responseFormat": "string", "dataPropertyName": "out", "jsonParameters": true,
            "bodyParametersJson": #"{"a":1}"#, "options": ["bodyContentType": "raw", "fullResponse": true, "splitIntoItems": true],
        ]
        #expect(Self.diagnostics(valid.merging(["authentication": "headerAuth"]) { $1 }, version: 1).isEmpty)
        #expect(Self.diagnostics(valid.merging(["authentication": "genericCredentialType", "genericAuthType": "httpBasicAuth"]) { $1 }, version: 2).isEmpty)
        let bad = Self.diagnostics([
            "requestMethod": "FETCH", "url": "https://h/x", "authentication": "bearer", "responseFormat": "xml",
            "options": ["bodyContentType": "xml"],
        ], version: 1)
        #expect(bad.count == 4, "\(bad)")
        for parameter in ["requestMethod", "authentication", "responseFormat", "options.bodyContentType"] {
            #expect(bad.contains { $0.contains("parameter \"\(parameter)\"") }, "\(parameter) in \(bad)")
        }
        // v1's authentication names are not v2's.
        #expect(Self.diagnostics(["url": "https://h/x", "authentication": "basicAuth"], version: 2).count == 1)
    }

    @Test("UI parameters: lower-cased headers, repeated query names as indexed arrays, JSON body; n8n v1 defaults")
    func uiParameters() async throws {
        let t = FakeTransport()
        let run = await HTTPRun.run([
            "requestMethod": "POST", "url": "https://h/items",
            "queryParametersUi": ["parameter": [["name": "a", "value": "1"], ["name": "a", "value": "2"], ["name": "q", "value": "={{ $json.q }}"]]],
            "headerParametersUi": ["parameter": [["name": "X-Trace", "value": "t1"]]],
            "bodyParametersUi": ["parameter": [["name": "name", "value": "x"], ["name": "n", "value": "={{ 2 }}"]]],
        ], version: 1, items: [["q": "z"]], transport: t)
        #expect(run.error == nil)
        let r = try #require(t.requests.first)
        #expect(r.method == "POST")
        #expect(r.url == "https://h/items?a%5B0%5D=1&a%5B1%5D=2&q=z")
        #expect(r.header("x-trace") == "t1")
        #expect(r.header("content-type") == "application/json")
        #expect(r.bodyText == #"{"name":"x","n":2}"#)
        #expect(r.header("accept") == "application/json,text/*;q=0.99")
        #expect(r.timeout == .milliseconds(3_600_000))
        #expect(!r.followRedirects, "the request client follows POST redirects only with followAllRedirects")

        let get = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/g", "queryParametersUi": ["parameter": [["name": "a", "value": "1"], ["name": "a", "value": "2"]]],
                               "options": ["useQueryString": true, "timeout": 500]], version: 2, transport: get)
        let g = try #require(get.requests.first)
        #expect(g.url == "https://h/g?a=1&a=2")
        #expect(g.followRedirects && g.timeout == .milliseconds(500))
        #expect(g.body == nil)
    }

    @Test("JSON parameters: parsed text, n8n's error for invalid JSON, raw bodies with a custom MIME type, form encodings")
    func jsonParameters() async throws {
        let t = FakeTransport()
        _ = await HTTPRun.run([
            "requestMethod": "PUT", "url": "https://h/j", "jsonParameters": true, "bodyParametersJson": "={{ JSON.stringify({ id: $json.id }) }}",
            "headerParametersJson": #"{"X-Key":"k"}"#, "queryParametersJson": #"{"page":3}"#,
        ], version: 1, items: [["id": 7]], transport: t)
        let r = try #require(t.requests.first)
        #expect(r.bodyText == #"{"id":7}"#)
        #expect(r.header("x-key") == "k")
        #expect(r.url == "https://h/j?page=3")

        // An empty expression is an empty parameter (skipped); a Content-Type header of the user's is the only one.
        let typed = FakeTransport()
        let typedRun = await HTTPRun.run([
            "requestMethod": "PATCH", "url": "https://h/t", "jsonParameters": true, "bodyParametersJson": "={{ { a: [1] } }}",
            "queryParametersJson": "=", "headerParametersJson": #"{"Content-Type":"application/json; v=2"}"#,
        ], version: 1, transport: typed)
        #expect(typedRun.error == nil)
        let tr = try #require(typed.requests.first)
        #expect(tr.url == "https://h/t")
        #expect(tr.bodyText == #"{"a":[1]}"#)
        #expect(tr.headers.filter { $0.name.lowercased() == "content-type" }.map(\.value) == ["application/json; v=2"])

        let invalid = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/j", "jsonParameters": true, "bodyParametersJson": "<a/>"],
                                        version: 1, transport: FakeTransport())
        #expect(invalid.error?.message == "The data in \"Body Parameters\" is no valid JSON. Set Body Content Type to \"RAW/Custom\" for XML or other types of payloads")
        #expect(invalid.error?.parameter == "bodyParametersJson")

        let raw = FakeTransport()
        _ = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/r", "jsonParameters": true, "bodyParametersJson": "<a/>",
                               "options": ["bodyContentType": "raw", "bodyContentCustomMimeType": "text/xml"]], version: 2, transport: raw)
        #expect(raw.requests.first?.bodyText == "<a/>")
        #expect(raw.requests.first?.header("content-type") == "text/xml")

        let form = FakeTransport()
        _ = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/f", "bodyParametersUi": ["parameter": [["name": "a", "value": "b c"]]],
                               "options": ["bodyContentType": "form-urlencoded"]], version: 1, transport: form)
        #expect(form.requests.first?.bodyText == "a=b%20c")
        #expect(form.requests.first?.header("content-type") == "application/x-www-form-urlencoded")

        let multipart = FakeTransport()
        _ = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/m", "bodyParametersUi": ["parameter": [["name": "field", "value": "v1"]]],
                               "options": ["bodyContentType": "multipart-form-data"]], version: 1, transport: multipart)
        #expect(multipart.requests.first?.header("content-type")?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(multipart.requests.first?.bodyText.contains("name=\"field\"\r\n\r\nv1\r\n") == true)
    }

    @Test("sendBinaryData: the file as raw body or named multipart parts; other body types fail with n8n's message")
    func binaryBodies() async throws {
        let binary: JSONObject = ["data": ["data": .string(Data("PDF!".utf8).base64EncodedString()), "mimeType": "application/pdf", "fileName": "a.pdf"]]
        let raw = FakeTransport()
        let r1 = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/u", "jsonParameters": true, "sendBinaryData": true,
                                    "options": ["bodyContentType": "raw"]], version: 1, binary: binary, transport: raw)
        #expect(r1.error == nil)
        #expect(raw.requests.first?.bodyText == "PDF!")

        let multi = FakeTransport()
        _ = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/u", "jsonParameters": true, "sendBinaryData": true,
                               "binaryPropertyName": "doc:data", "options": ["bodyContentType": "multipart-form-data"]], version: 2, binary: binary, transport: multi)
        let body = try #require(multi.requests.first?.bodyText)
        #expect(body.contains("name=\"doc\"; filename=\"a.pdf\""))
        #expect(body.contains("PDF!"))

        let wrong = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/u", "jsonParameters": true, "sendBinaryData": true],
                                      version: 1, binary: binary, transport: FakeTransport())
        #expect(wrong.error?.message == "Sending binary data is only supported when option \"Body Content Type\" is set to \"RAW/CUSTOM\" or \"FORM-DATA/MULTIPART\"!")
        let missing = await HTTPRun.run(["requestMethod": "POST", "url": "https://h/u", "jsonParameters": true, "sendBinaryData": true,
                                         "binaryPropertyName": "nope", "options": ["bodyContentType": "raw"]], version: 1, binary: binary, transport: FakeTransport())
        #expect(missing.error?.message == "The item has no binary field 'nope'")
        #expect(missing.error?.parameter == "binaryPropertyName")
    }

    @Test("credentials: v1 basic/header/query, v2 generic and predefined; digest and OAuth fail naming the type")
    func credentials() async throws {
        let creds: [String: JSONObject] = [
            "httpBasicAuth": ["user": "u", "password": "p"], "httpHeaderAuth": ["name": "X-Api-Key", "value": "secret"],
            "httpQueryAuth": ["name": "key", "value": "qv"],
        ]
        let basic = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/a", "authentication": "basicAuth"], version: 1, transport: basic, credentials: creds)
        #expect(basic.requests.first?.header("authorization") == "Basic dTpw")
        let header = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/a", "authentication": "headerAuth"], version: 1, transport: header, credentials: creds)
        #expect(header.requests.first?.header("x-api-key") == "secret")
        let query = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/a", "authentication": "queryAuth"], version: 1, transport: query, credentials: creds)
        #expect(query.requests.first?.url == "https://h/a?key=qv")
        let generic = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/a", "authentication": "genericCredentialType", "genericAuthType": "httpHeaderAuth"],
                              version: 2, transport: generic, credentials: creds)
        #expect(generic.requests.first?.header("x-api-key") == "secret")

        let oauth = FakeTransport()
        let o = await HTTPRun.run(["url": "https://h/a", "authentication": "oAuth2"], version: 1, transport: oauth, credentials: creds)
        #expect(o.error?.code == .credentials)
        #expect(o.error?.message == "Credential type \"oAuth2Api\" is not supported by flowrun's HTTP Request node (typeVersion 1)")
        #expect(o.error?.node == "Node")
        #expect(oauth.requests.isEmpty, "nothing is sent unauthenticated")
        let digest = await HTTPRun.run(["url": "https://h/a", "authentication": "genericCredentialType", "genericAuthType": "httpDigestAuth"],
                                       version: 2, transport: FakeTransport(), credentials: creds)
        #expect(digest.error?.message.contains("\"httpDigestAuth\"") == true)
        let predefined = await HTTPRun.run(["url": "https://h/a", "authentication": "predefinedCredentialType", "nodeCredentialType": "githubApi"],
                                           version: 2, transport: FakeTransport(), credentials: ["githubApi": ["accessToken": "t"]])
        #expect(predefined.error?.message == "Credential type \"githubApi\" is not supported by flowrun's HTTP Request node")
    }

    @Test("batching only when batchSize and batchInterval are both set, on the execution clock")
    func batching() async {
        let clock = InstantClock()
        let t = FakeTransport()
        _ = await HTTPRun.run(["url": "https://h/b", "options": ["batchSize": 2, "batchInterval": 250]], version: 1,
                              items: [[:], [:], [:], [:], [:]], transport: t, clock: clock)
        #expect(t.requests.count == 5)
        #expect(clock.recorded.filter { $0 > .milliseconds(200) }.count == 2)
        let unbatched = InstantClock()
        _ = await HTTPRun.run(["url": "https://h/b", "options": ["batchInterval": 250]], version: 1, items: [[:], [:]],
                              transport: FakeTransport(), clock: unbatched)
        #expect(unbatched.recorded.filter { $0 > .milliseconds(200) }.isEmpty)
    }
    @Test("continue on fail: the client's error object, a text body quoted in the message; other items still run")
    func continueOnFailItems() async throws {
        let t = FakeTransport { r, _ in
            r.url.hasSuffix("bad")
                ? HTTPResponseData(status: 500, statusText: "Internal", headers: [HTTPField("content-type", "text/plain")], body: Array("oops".utf8))
                : FakeTransport.json(#"{"ok":1}"#)
        }
        let run = await HTTPRun.run(["url": "=https://h/{{ $json.p }}"], version: 2, items: [["p": "bad"], ["p": "good"]], transport: t,
                                    extra: ["onError": "continueRegularOutput"])
        #expect(run.error == nil)
        let error = try #require(run.items.first?["error"])
        #expect(error == ["message": #"500 - "oops""#, "name": "AxiosError", "code": "ERR_BAD_RESPONSE", "status": 500, "statusCode": 500, "error": "oops"])
        #expect(run.items.last == ["ok": 1])
        let stopped = await HTTPRun.run(["url": "https://h/bad"], version: 1, transport: t)
        #expect(stopped.error?.message == "The service was not able to process your request")
    }
}
