import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import FlowrunSQLite
import Foundation
import Testing

/// Kills the real `flowrun` binary (SIGKILL) while it runs executions that wait, restarts it
/// (`flowrun executions recover`), and checks that every accepted execution is accounted for:
/// crashed, or resumed to the end when its workflow opts in, and none left running or lost.
@Suite("Crash recovery", .serialized)
struct CrashTests {
    static func workflow(name: String, wait: JSONValue, resume: Bool) -> String {
        var settings: JSONObject = ["executionOrder": "v1"]
        if resume { settings["flowrun"] = ["resumeOnCrash": true] }
        let document: JSONValue = [
            "name": .string(name), "id": .string(name),
            "nodes": [
                ["parameters": [:], "name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]],
                ["parameters": ["assignments": ["assignments": [["id": "1", "name": "step", "value": "before", "type": "string"]]], "options": [:]],
                 "name": "Before", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0]],
                ["parameters": wait, "name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [400, 0]],
                ["parameters": [:], "name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [600, 0]],
            ],
            "connections": [
                "Start": ["main": [[["node": "Before", "type": "main", "index": 0]]]],
                "Before": ["main": [[["node": "Wait", "type": "main", "index": 0]]]],
                "Wait": ["main": [[["node": "After", "type": "main", "index": 0]]]],
            ],
            "settings": .object(settings),
        ]
        return document.jsonString(indent: 2)
    }

    /// Where the processes keep their state, and a store the test reads it with.
    struct Target {
        var arguments: [String]
        var environment: [String: String]
        var store: any ExecutionStore
    }

    static func withTarget<T: Sendable>(_ kind: StoreKind, directory: URL, _ body: (Target) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let data = directory.appendingPathComponent("data").path
            let store = SQLiteStateStore(configuration: .dataDirectory(data))
            defer { try? store.close() }
            return try await body(Target(arguments: ["--data-dir", data], environment: [:], store: store))
        case .postgres:
            let schema = StoreFixtures.uniqueName("crash_test")
            let configuration = PostgresStateStore.Configuration(url: StoreFixtures.postgresURL, schema: schema)
            return try await PostgresStateStore.with(configuration, logger: StoreFixtures.logger) { store in
                do {
                    let result = try await body(Target(arguments: ["--store", StoreFixtures.postgresURL], environment: ["FLOWRUN_STORE_SCHEMA": schema], store: store))
                    try await store.dropSchema()
                    return result
                } catch {
                    try? await store.dropSchema()
                    throw error
                }
            }
        }
    }

    static func launch(_ arguments: [String], environment: [String: String], in directory: URL) throws -> Process {
        let binary = try FlowrunBinary.require()
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL during waiting executions: on restart every accepted execution is crashed or resumed, none lost",
          arguments: StoreKind.allCases)
    func killAndRecover(kind: StoreKind) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName("flowrun-crash"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Resumed executions wait until a fixed time, so after the restart they wait only what is left.
        let until = Date().addingTimeInterval(25)
        let iso = ISO8601DateFormatter().string(from: until)
        try Self.workflow(name: "crashes", wait: ["resume": "timeInterval", "amount": 600, "unit": "seconds"], resume: false)
            .write(to: directory.appendingPathComponent("crashes.json"), atomically: true, encoding: .utf8)
        try Self.workflow(name: "resumes", wait: ["resume": "specificTime", "dateTime": .string(iso)], resume: true)
            .write(to: directory.appendingPathComponent("resumes.json"), atomically: true, encoding: .utf8)

        try await Self.withTarget(kind, directory: directory) { target in
            var processes: [Process] = []
            defer { for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) } }
            for file in ["crashes.json", "resumes.json", "crashes.json", "resumes.json", "crashes.json", "resumes.json"] {
                processes.append(try Self.launch(["run", file] + target.arguments, environment: target.environment, in: directory))
            }
            // Every process has accepted its execution and recorded "Before": it is in the Wait node.
            let deadline = Date().addingTimeInterval(60)
            var waiting: [ExecutionRecord] = []
            while Date() < deadline {
                waiting = (try? await target.store.unfinishedExecutions()) ?? []
                if waiting.count == 6, waiting.allSatisfy({ $0.lastNode == "Before" }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(waiting.count == 6, "6 executions accepted and waiting, found \(waiting.map { "\($0.id) \($0.status) \($0.lastNode ?? "-")" })")
            for process in processes { kill(process.processIdentifier, SIGKILL) }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationReason == .uncaughtSignal })
            let accepted = Set(waiting.map(\.id))
            #expect(Set(try await target.store.unfinishedExecutions().map(\.id)) == accepted)

            // The restart: recovery finds the dead owners' executions.
            let recover = try Self.launch(["executions", "recover"] + target.arguments, environment: target.environment, in: directory)
            recover.waitUntilExit()
            #expect(recover.terminationStatus == 0)

            #expect(try await target.store.unfinishedExecutions().isEmpty)
            let all = try await target.store.executions(matching: ExecutionQuery(limit: 100))
            #expect(Set(all.map(\.id)) == accepted, "no execution lost or added")
            for record in all {
                let runs = try await target.store.nodeRuns(executionID: record.id)
                let ranOnce = Dictionary(grouping: runs, by: \.node).mapValues(\.count)
                if record.workflowID == "crashes" {
                    #expect(record.status == .crashed, "\(record.id)")
                    #expect(record.error?["code"] == "crashed")
                    #expect(ranOnce == ["Start": 1, "Before": 1])
                } else {
                    #expect(record.workflowID == "resumes")
                    #expect(record.status == .success, "\(record.id): \(record.error?.jsonString() ?? "")")
                    // Finished nodes are not run again; the Wait node that was running is run again.
                    #expect(ranOnce == ["Start": 1, "Before": 1, "Wait": 1, "After": 1])
                    let after = try #require(runs.first { $0.node == "After" })
                    let items = NodeRunRecord(jsonValue: after.data).output?.first ?? []
                    #expect(items.map { $0.json["step"] } == ["before"])
                }
            }
        }
    }
}
