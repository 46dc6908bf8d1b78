import AsyncHTTPClient
import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import FlowrunServer
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

/// A `WorkflowServer` on 127.0.0.1, a random port, serving workflow files written to a temporary
/// folder; requests go through AsyncHTTPClient.
struct ServerHarness: Sendable {
    let port: Int
    let directory: String
    let runtime: Runtime

    struct Answer: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONValue(parsing: body) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// Writes `workflows` (file name → workflow JSON) and serves them while `body` runs.
    static func with(
        workflows: [String: JSONValue], credentials: JSONValue? = nil, environment: [String: String] = [:],
        reloadInterval: Duration? = nil, recordsExecutions: Bool = false, configure: @Sendable (inout WorkflowServer) -> Void = { _ in },
        configureRuntime: @Sendable (inout RuntimeConfiguration) -> Void = { _ in },
        _ body: @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "flowrun-serve-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory + "/workflows", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, workflow) in workflows {
            try Self.write(workflow, to: directory + "/workflows/" + name)
        }
        var credentialsFile: String?
        if let credentials {
            credentialsFile = directory + "/credentials.json"
            try Data(credentials.jsonString().utf8).write(to: URL(fileURLWithPath: credentialsFile!))
        }
        var configuration = WorkflowServer.Configuration(paths: [directory + "/workflows"])
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.handlesSignals = false
        configuration.reloadInterval = reloadInterval
        configuration.timeZone = "UTC"
        var server = WorkflowServer(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, prometheus: nil)
        configure(&server)
        let shutdown = ServerShutdown()
        server.shutdown = shutdown
        var runtimeConfiguration = RuntimeConfiguration(
            dataDirectory: directory + "/data", credentialsFile: credentialsFile, environment: environment, recordsExecutions: recordsExecutions)
        configureRuntime(&runtimeConfiguration)
        let runner = server
        try await Runtime.with(runtimeConfiguration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }) { runtime in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
                group.addTask {
                    defer { continuation.finish() }
                    try await runner.run(runtime: runtime) { port in continuation.yield(port) }
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else {
                    // The server ended before it listened: its error says why.
                    try await group.waitForAll()
                    throw HarnessError(description: "the server did not start")
                }
                var failure: (any Error)?
                do {
                    try await body(ServerHarness(port: port, directory: directory, runtime: runtime))
                } catch {
                    failure = error
                }
                // A graceful shutdown, awaited: cancelling the server task instead can end a
                // connection's writer before it finished (NIOAsyncWriter's fatal error).
                await shutdown.trigger()
                try await group.waitForAll()
                if let failure { throw failure }
            }
        }
    }

    /// A client that does not follow redirects (tests look at the 3xx itself); process-wide, never shut down.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    static func write(_ workflow: JSONValue, to path: String) throws {
        try Data(workflow.jsonString(indent: 2).utf8).write(to: URL(fileURLWithPath: path))
    }

    /// - Parameter chunked: send the body without a Content-Length (chunked transfer encoding).
    func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, chunked: Bool = false
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = chunked ? .bytes(body, length: .unknown) : .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(20))
        let buffer = try await response.body.collect(upTo: 10 * 1024 * 1024)
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Array(buffer.readableBytesView))
    }

    /// Polls `check` every 50 ms until it holds, for up to `seconds` (generous: the machine is loaded).
    static func eventually(seconds: Double = 60, _ check: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await check()
    }

    func post(_ path: String, json: JSONValue, headers: [(String, String)] = []) async throws -> Answer {
        try await request("POST", path, headers: headers + [("Content-Type", "application/json")], body: Array(json.jsonString().utf8))
    }
}

/// Collects the lines of a `JSONLogHandler` (tests look at messages and metadata).
final class LogLines: Sendable {
    private let lines = Mutex<[JSONObject]>([])
    var all: [JSONObject] { lines.withLock { $0 } }

    var sink: JSONLogHandler.Sink {
        JSONLogHandler.Sink { bytes in
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                if let o = try? JSONValue(parsing: Array(line)).objectValue { self.lines.withLock { $0.append(o) } }
            }
        }
    }

    /// A logger writing JSON lines here, at `level`.
    func logger(level: Logger.Level = .debug) -> Logger {
        let sink = self.sink
        return Logger(label: "flowrun.serve") { JSONLogHandler(label: $0, level: level, sink: sink) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// Small workflow builders: a Webhook node, then nodes in a chain.
enum Flows {
    static func webhook(_ parameters: JSONObject, version: Double = 2, extra: JSONObject = [:]) -> JSONValue {
        var node: JSONObject = [
            "name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": .number(version), "position": [0, 0],
            "webhookId": "9f1c1a4e-0000-4000-8000-000000000001", "parameters": .object(parameters),
        ]
        for (k, v) in extra { node[k] = v }
        return .object(node)
    }

    static func node(_ name: String, _ type: String, _ version: Double, _ parameters: JSONObject) -> JSONValue {
        ["name": .string(name), "type": .string(type), "typeVersion": .number(version), "position": [200, 0], "parameters": .object(parameters)]
    }

    /// A workflow of `nodes` connected in order.
    static func chain(_ nodes: [JSONValue], name: String = "test", settings: JSONObject = [:], id: String? = nil) -> JSONValue {
        var connections: JSONObject = [:]
        for (a, b) in zip(nodes, nodes.dropFirst()) {
            let from = a.objectValue?["name"]?.stringValue ?? "", to = b.objectValue?["name"]?.stringValue ?? ""
            connections[from] = ["main": [[["node": .string(to), "type": "main", "index": 0]]]]
        }
        var workflow: JSONObject = ["name": .string(name), "nodes": .array(nodes), "connections": .object(connections), "settings": .object(settings)]
        if let id { workflow["id"] = .string(id) }
        return .object(workflow)
    }

    /// A Set node (v3.4) assigning string fields from expressions.
    static func set(_ name: String, _ fields: [(String, String)]) -> JSONValue {
        node(name, "n8n-nodes-base.set", 3.4, [
            "assignments": ["assignments": .array(fields.enumerated().map { i, f in
                ["id": .string("a\(i)"), "name": .string(f.0), "value": .string(f.1), "type": "string"]
            })],
            "options": [:],
        ])
    }
}
