import FlowrunCore
import FlowrunExpressions
import Foundation
import Synchronization

@testable import FlowrunNodes

/// A transport that records requests and answers from a closure.
final class FakeTransport: HTTPTransport {
    private let log = Mutex<[HTTPRequestSpec]>([])
    let answer: @Sendable (HTTPRequestSpec, Int) throws -> HTTPResponseData

    init(_ answer: @escaping @Sendable (HTTPRequestSpec, Int) throws -> HTTPResponseData) {
        self.answer = answer
    }

    /// Answers every request with `status` and a JSON body.
    convenience init(status: Int = 200, json: String = #"{"ok":true}"#) {
        self.init { _, _ in HTTPResponseData(status: status, statusText: "S", headers: [HTTPField("Content-Type", "application/json")], body: Array(json.utf8)) }
    }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let n = log.withLock { l in
            l.append(request)
            return l.count - 1
        }
        return try answer(request, n)
    }

    var requests: [HTTPRequestSpec] { log.withLock { $0 } }

    static func json(_ text: String, status: Int = 200, headers: [HTTPField] = []) -> HTTPResponseData {
        HTTPResponseData(status: status, statusText: status == 200 ? "OK" : "Error",
                         headers: [HTTPField("content-type", "application/json")] + headers, body: Array(text.utf8))
    }
}

/// Credentials by type from a dictionary.
struct FakeCredentials: CredentialResolver {
    var byType: [String: JSONObject]

    func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        guard let data = byType[type] else { throw NodeError(.credentials, "no \(type) credential", node: node) }
        return ResolvedCredential(type: type, name: reference?["name"]?.stringValue, data: data)
    }
}

extension HTTPRequestSpec {
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    var bodyText: String { String(decoding: body ?? [], as: UTF8.self) }
}

/// Runs an HTTP Request node (named "Node") after Test Data items, with the fake services.
struct HTTPRun {
    var result: ExecutionResult

    var items: [JSONObject] { result.runData["Node"]?.last?.output?.first?.map(\.json) ?? [] }
    var outputItems: [Item] { result.runData["Node"]?.last?.output?.first ?? [] }
    var error: NodeError? { result.runData["Node"]?.last?.error }

    static func run(
        _ parameters: JSONObject, version: Double = 4.2, items: [JSONObject] = [[:]], binary: JSONObject? = nil,
        transport: FakeTransport, credentials: [String: JSONObject] = [:], extra: JSONObject = [:], clock: InstantClock = InstantClock()
    ) async -> HTTPRun {
        var nodeObject: JSONObject = ["name": "Node", "type": "n8n-nodes-base.httpRequest", "typeVersion": .number(version),
                                      "position": [600, 0], "parameters": .object(parameters)]
        for (k, v) in extra { nodeObject[k] = v }
        let pinned = items.map { Item(json: $0, binary: binary) }
        let workflow: JSONValue = [
            "name": "http", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Data", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0], "parameters": [:]],
                .object(nodeObject),
            ],
            "connections": [
                "Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
                "Data": ["main": [[["node": "Node", "type": "main", "index": 0]]]],
            ],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "http.json")
        let graph = WorkflowGraph.build(loaded.document!, registry: .builtIn).graph
        let services = NodeServices(credentials: FakeCredentials(byType: credentials), http: transport)
        let engine = Engine(configuration: .init(clock: clock, services: services))
        return HTTPRun(result: await engine.run(graph, options: .init(pinData: ["Data": pinned])))
    }
}
