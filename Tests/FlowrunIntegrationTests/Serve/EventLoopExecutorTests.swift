import FlowrunCore
import FlowrunExpressions
import FlowrunSQLite
import Foundation
import Testing

/// `FLOWRUN_EXECUTOR`: where `flowrun serve` and `flowrun worker` run their Swift tasks (NIO's event
/// loops or Swift's pool), and that serving works the same on either.
@Suite("Serve task executor", .serialized)
struct EventLoopExecutorTests {
    /// Webhook (answered by Respond to Webhook) → Set → Respond to Webhook, as the benchmark's.
    static let workflow: JSONValue = [
        "name": "executor-greet", "id": "executor-greet",
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "5b0b5f8e-0000-4000-8000-0000000000e1",
             "parameters": ["httpMethod": "POST", "path": "greet", "responseMode": "responseNode", "options": [:]]],
            ["name": "Greeting", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "greeting", "value": "=Hello, {{ $json.body.name }}!", "type": "string"],
             ]], "options": [:]]],
            ["name": "Respond", "type": "n8n-nodes-base.respondToWebhook", "typeVersion": 1.1, "position": [400, 0],
             "parameters": ["respondWith": "firstIncomingItem", "options": [:]]],
        ],
        "connections": [
            "Webhook": ["main": [[["node": "Greeting", "type": "main", "index": 0]]]],
            "Greeting": ["main": [[["node": "Respond", "type": "main", "index": 0]]]],
        ],
        "settings": ["executionOrder": "v1"],
    ]

    static func folder() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName("flowrun-executor"))
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try Data(Self.workflow.jsonString().utf8).write(to: workflows.appendingPathComponent("greet.json"))
        return directory
    }

    /// 200 requests, 20 at a time: each answered with its own name, each execution recorded.
    static func serveRequests(_ serve: ServeProcess) async throws {
        try await withThrowingTaskGroup(of: (Int, ServeProcess.Answer).self) { group in
            for batch in 0..<10 {
                for index in (batch * 20)..<(batch * 20 + 20) {
                    group.addTask { (index, try await serve.request("POST", "/webhook/greet", json: ["name": .string("n\(index)")])) }
                }
                for _ in 0..<20 {
                    let (index, answer) = try #require(try await group.next())
                    #expect(answer.status == 200, "request \(index): \(answer.body)")
                    #expect(try JSONValue(parsing: answer.body) == ["greeting": .string("Hello, n\(index)!")])
                }
            }
        }
    }

    @Test("FLOWRUN_EXECUTOR=eventloops: serve's tasks run on the event loops, and every request is answered and recorded")
    func eventLoops() async throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try await ServeProcess.start(["--data-dir", "data", "workflows"], environment: ["FLOWRUN_EXECUTOR": "eventloops"], in: directory, logName: "serve.log")
        defer { serve.kill() }
        let listening = try #require(serve.logLines.first { $0["message"] == "Listening" })
        #expect(listening["flowrun.executor"] == "eventloops", "\(listening)")
        try await Self.serveRequests(serve)
        try await serve.terminate()
        #expect(serve.process.terminationStatus == 0)
        let store = SQLiteStateStore(configuration: .dataDirectory(directory.appendingPathComponent("data").path))
        let records = try await store.executions(matching: ExecutionQuery(workflowID: "executor-greet", limit: 1000))
        #expect(records.count == 200)
        #expect(records.allSatisfy { $0.status == .success }, "\(records.map(\.status))")
        try store.close()
    }

    @Test("by default serve with the embedded store keeps Swift's pool; an unknown FLOWRUN_EXECUTOR is a usage error")
    func defaultAndUnknown() async throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try await ServeProcess.start(["workflows"], in: directory, logName: "serve.log")
        defer { serve.kill() }
        let listening = try #require(serve.logLines.first { $0["message"] == "Listening" })
        #expect(listening["flowrun.executor"] == "pool", "\(listening)")
        let answer = try await serve.request("POST", "/webhook/greet", json: ["name": "Ada"])
        #expect(try JSONValue(parsing: answer.body) == ["greeting": "Hello, Ada!"])
        try await serve.terminate()

        let (status, stderr) = try Self.run(["serve", "--port", "0", "workflows"], in: directory, environment: ["FLOWRUN_EXECUTOR": "fibers"])
        #expect(status == 2)
        #expect(stderr.contains("FLOWRUN_EXECUTOR") && stderr.contains("fibers"), "\(stderr)")
    }

    /// Runs `flowrun ARGUMENTS` to its end; its exit status and standard error.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = try FlowrunBinary.require()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
