import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Synchronization
import Testing

/// Runs n8n's HTTP Request workflow fixtures with flowrun's workflow-test runner, answering the
/// node's requests from the nock mocks n8n's own tests register (see the fixtures'
/// NOCK-MOCKS.md). A request no mock matches fails, as with nock's disabled net connect.
@Suite("n8n HTTP Request fixtures")
struct HTTPFixtureTests {
    static let directory = FixtureConformanceTests.fixtures.appendingPathComponent("HttpRequest")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("every HTTP Request fixture passes against the nock mocks", arguments: HTTPFixtureTests.files)
    func fixture(_ file: String) async throws {
        let transport = NockTransport(mocks: NockTransport.dummyJSON)
        var configuration = Engine.Configuration()
        configuration.services = NodeServices(http: transport)
        let runner = WorkflowTestRunner(registry: .builtIn, engine: Engine(configuration: configuration))
        let outcome = await runner.run(file: Self.directory.appendingPathComponent(file).path)
        #expect(outcome.verdict == .passed, "\(file): \(outcome.failures.map(\.description).joined(separator: "; ")); unmatched: \(transport.unmatched)")
    }

    @Test("the fixtures are there")
    func present() {
        #expect(Self.files.count >= 6)
    }
}

/// A nock-like transport: each mock matches method, URL (with query) and optionally a JSON body
/// and header values; unmatched requests throw.
final class NockTransport: HTTPTransport {
    struct Mock: Sendable {
        var method: String
        var url: String
        var body: String? = nil
        var headers: [String: String] = [:]
        var status: Int = 200
        var contentType: String = "application/json"
        var reply: [UInt8]
    }

    struct NoMatch: Error, CustomStringConvertible {
        var description: String
    }

    let mocks: [Mock]
    private let misses = Mutex<[String]>([])

    init(mocks: [Mock]) {
        self.mocks = mocks
    }

    var unmatched: [String] { misses.withLock { $0 } }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        for mock in mocks where mock.method == request.method && mock.url == request.url {
            if let body = mock.body, !Self.sameJSON(body, request.body ?? []) { continue }
            let headersMatch = mock.headers.allSatisfy { name, value in
                request.headers.contains { $0.name.lowercased() == name && $0.value == value }
            }
            guard headersMatch else { continue }
            return HTTPResponseData(status: mock.status, statusText: "OK", headers: [HTTPField("content-type", mock.contentType)],
                                    body: mock.reply, url: request.url)
        }
        let miss = "\(request.method) \(request.url) body=\(String(decoding: request.body ?? [], as: UTF8.self)) headers=\(request.headers.map { "\($0.name): \($0.value)" })"
        misses.withLock { $0.append(miss) }
        throw NoMatch(description: "Nock: No match for request \(miss)")
    }

    static func sameJSON(_ expected: String, _ actual: [UInt8]) -> Bool {
        guard let a = try? JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSObject,
            let b = try? JSONSerialization.jsonObject(with: Data(actual)) as? NSObject
        else { return false }
        return a.isEqual(b)
    }

    static func json(_ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], _ reply: String) -> Mock {
        Mock(method: method, url: url, body: body, headers: headers, reply: Array(reply.utf8))
    }

    /// The mocks of n8n's test/node and test/encoding HTTP Request tests.
    static let dummyJSON: [Mock] = [
        json("GET", "https://dummyjson.com/todos/1", #"{"id":1,"todo":"Do something nice for someone I care about","completed":true,"userId":26}"#),
        json("GET", "https://dummyjson.com/todos/3", headers: ["authorization": "Bearer 12345"],
             #"{"id":3,"todo":"Watch a classic movie","completed":false,"userId":4}"#),
        json("GET", "https://dummyjson.com/todos?limit=2&skip=10",
             #"{"todos":[{"id":11,"todo":"Text a friend I haven't talked to in a long time","completed":false,"userId":39},{"id":12,"todo":"Organize pantry","completed":true,"userId":39}],"total":150,"skip":10,"limit":2}"#),
        json("POST", "https://dummyjson.com/todos/add", body: #"{"todo":"Use DummyJSON in the project","completed":false,"userId":"5"}"#,
             #"{"id":151,"todo":"Use DummyJSON in the project","completed":false,"userId":"5"}"#),
        json("POST", "https://dummyjson.com/todos/add2", body: #"{"todo":"Use DummyJSON in the project","completed":false,"userId":15}"#,
             #"{"id":151,"todo":"Use DummyJSON in the project","completed":false,"userId":15}"#),
        json("PUT", "https://dummyjson.com/todos/10", body: #"{"userId":"42"}"#,
             #"{"id":10,"todo":"Have a football scrimmage with some friends","completed":false,"userId":"42"}"#),
        json("DELETE", "https://dummyjson.com/todos/1",
             #"{"id":1,"todo":"Do something nice for someone I care about","completed":true,"userId":26,"isDeleted":true,"deletedOn":"2023-02-09T05:37:31.720Z"}"#),
        json("DELETE", "https://dummyjson.com/todos/delete", body: #"{"ids":[1,2,3]}"#, #"{"deleted":[1,2,3],"count":3}"#),
        json("GET", "https://ua.example.com/default", headers: ["user-agent": "n8n"], #"{"ok":true,"seen":"default"}"#),
        json("GET", "https://ua.example.com/override", headers: ["user-agent": "MyCustomAgent/1.0"], #"{"ok":true,"seen":"override"}"#),
        Mock(method: "GET", url: "https://dummyjson.com/html", contentType: "text/html; charset=utf-8",
             reply: Array("<!DOCTYPE html><html><body>not json</body></html>".utf8)),
        Mock(method: "GET", url: "https://dummy.domain/index.html", contentType: "text/plain; charset=latin1",
             reply: Array("El rápido zorro marrón salta sobre el perro perezoso. ¡Qué bello día en París! Árbol, cañón, façade."
                .data(using: .isoLatin1)!)),
    ]
}
