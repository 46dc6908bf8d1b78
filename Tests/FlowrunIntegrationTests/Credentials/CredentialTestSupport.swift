import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRuntime
import Foundation
import Logging
import Synchronization
import Testing

/// Log records kept in memory, for asserting what reached the logs.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
    var text: String { all.joined(separator: "\n") }

    var logger: Logger {
        var logger = Logger(label: "flowrun.test") { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        sink.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

/// A node that misbehaves the way a careless integration does: it logs its credential's secret,
/// puts it in its output and fails with it in the message.
struct LeakyNode: Node {
    static let description = NodeDescription(type: "test.leaky", typeVersions: [1], displayName: "Leaky", hasSideEffects: true)
    let type: String
    let reference: JSONValue?

    init(configuration c: NodeConfiguration) throws {
        type = c.parameters["credentialType"].literal(default: "").stringValue ?? ""
        reference = c.credentials?[type]
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let credential = try await context.services.credentials.resolve(type: type, reference: reference, node: context.nodeName)
        let secret = credential.secretFieldNames.map { credential.string($0) }.first { !$0.isEmpty } ?? ""
        context.logger.info("Connecting with \(secret)", metadata: ["test.secret": "\(secret)"])
        if input.main.first?.json["fail"] == .bool(true) {
            throw context.error("login failed for secret \(secret)", detail: "sent \(secret)")
        }
        return [[Item(json: ["echo": .string(secret), "nested": .object(["list": .array([.string("x\(secret)y")])])])]]
    }
}

enum CredentialFixtures {
    /// One credential per type, each with a distinctive secret.
    static let secrets: [(type: String, data: JSONObject, secret: String)] = [
        ("httpHeaderAuth", ["name": "X-Api-Key", "value": "hdr-SECRET-1111"], "hdr-SECRET-1111"),
        ("httpBasicAuth", ["user": "alice", "password": "basic-SECRET-2222"], "basic-SECRET-2222"),
        ("httpBearerAuth", ["token": "bearer-SECRET-3333"], "bearer-SECRET-3333"),
        ("httpQueryAuth", ["name": "api_key", "value": "query-SECRET-4444"], "query-SECRET-4444"),
        ("postgres", ["host": "127.0.0.1", "user": "flowrun", "password": "pg-SECRET-5555", "port": 55432], "pg-SECRET-5555"),
        ("redis", ["host": "127.0.0.1", "password": "redis-SECRET-6666"], "redis-SECRET-6666"),
        ("anthropicApi", ["apiKey": "sk-ant-SECRET-7777"], "sk-ant-SECRET-7777"),
        ("jwtAuth", ["keyType": "passphrase", "secret": "jwt-SECRET-8888"], "jwt-SECRET-8888"),
    ]

    static func file(_ entries: [JSONValue]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-creds-\(UUID().uuidString).json").path
        try JSONValue.array(entries).jsonString(indent: 2).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func entry(_ type: String, name: String, id: String? = nil, data: JSONObject) -> JSONValue {
        var o: JSONObject = ["name": .string(name), "type": .string(type), "data": .object(data)]
        if let id { o["id"] = .string(id) }
        return .object(o)
    }

    /// Manual trigger → Leaky (using `type`'s credential "Main").
    static func leakyWorkflow(type: String) throws -> WorkflowGraph {
        let text = """
            {"name":"Leak","nodes":[
              {"parameters":{},"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
              {"parameters":{"credentialType":"\(type)","query":"={{ $json.leak ?? '' }}"},"name":"Leaky","type":"test.leaky","typeVersion":1,"position":[200,0],
               "credentials":{"\(type)":{"id":"c1","name":"Main"}}}],
             "connections":{"Start":{"main":[[{"node":"Leaky","type":"main","index":0}]]}}}
            """
        let loaded = WorkflowLoader().load(text: text, format: .json, fileName: "leak.json")
        let document = try #require(loaded.document)
        return WorkflowGraph.build(document, registry: NodeRegistry(BuiltInNodes.all + [LeakyNode.self])).graph
    }
}
