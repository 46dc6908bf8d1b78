import FlowrunCore
import FlowrunExpressions
import Foundation
import Testing

/// `flowrun serve` killed with SIGKILL while webhook executions wait: every execution a webhook
/// answered 200 for is in the store (it is recorded before the answer), and after a restart each
/// one ends crashed, or resumed to success when its workflow opts in; none is lost or left running.
@Suite("Serve crash recovery", .serialized)
struct ServeCrashTests {
    static func workflow(id: String, path: String, wait: JSONValue, resume: Bool) -> JSONValue {
        var settings: JSONObject = ["executionOrder": "v1"]
        if resume { settings["flowrun"] = ["resumeOnCrash": true] }
        return [
            "name": .string(id), "id": .string(id),
            "nodes": [
                ["parameters": ["path": .string(path), "httpMethod": "POST", "responseMode": "onReceived", "options": [:]],
                 "name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
                 "webhookId": .string("5b7f3a2e-0000-4000-8000-\(path == "crash" ? "000000000001" : "000000000002")")],
                ["parameters": ["assignments": ["assignments": [["id": "1", "name": "n", "value": "={{ $json.body.n }}", "type": "number"]]], "options": [:]],
                 "name": "Before", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0]],
                ["parameters": wait, "name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [400, 0]],
                ["parameters": [:], "name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [600, 0]],
            ],
            "connections": [
                "Webhook": ["main": [[["node": "Before", "type": "main", "index": 0]]]],
                "Before": ["main": [[["node": "Wait", "type": "main", "index": 0]]]],
                "Wait": ["main": [[["node": "After", "type": "main", "index": 0]]]],
            ],
            "settings": .object(settings),
        ]
    }

    /// A folder with the two workflows: `crash` waits 60 s (in process: waits of 65 s and more are parked in the
    /// store as `waiting`); `resume` waits until `until` and opts in to resumption.
    static func folder(until: Date) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName("flowrun-serve-crash"))
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        let iso = ISO8601DateFormatter().string(from: until)
        try Data(Self.workflow(id: "serve-crashes", path: "crash", wait: ["resume": "timeInterval", "amount": 60, "unit": "seconds"], resume: false)
            .jsonString().utf8).write(to: workflows.appendingPathComponent("crashes.json"))
        try Data(Self.workflow(id: "serve-resumes", path: "resume", wait: ["resume": "specificTime", "dateTime": .string(iso)], resume: true)
            .jsonString().utf8).write(to: workflows.appendingPathComponent("resumes.json"))
        return directory
    }

    @Test("SIGTERM with executions that outlast the grace period: a clean exit, their records left for recovery, then crashed or resumed")
    func gracePeriodEnds() async throws {
        let directory = try Self.folder(until: Date().addingTimeInterval(20))
        defer { try? FileManager.default.removeItem(at: directory) }
        try await CrashTests.withTarget(.sqlite, directory: directory) { target in
            let first = try await ServeProcess.start(["workflows", "--shutdown-grace", "1"] + target.arguments, in: directory, logName: "first.log")
            defer { first.kill() }
            var accepted: [(String, String)] = []
            for n in 0..<4 {
                let path = n % 2 == 0 ? "/webhook/crash" : "/webhook/resume"
                let answer = try await first.request("POST", path, json: ["n": .number(Double(n))])
                #expect(answer.status == 200)
                accepted.append((path, try #require(answer.header("x-flowrun-execution-id"))))
            }
            // All four wait in their Wait node.
            let waiting = try await ServeProcess.eventually {
                let records = try await target.store.unfinishedExecutions()
                return records.count == 4 && records.allSatisfy { $0.lastNode == "Before" }
            }
            #expect(waiting)
            try await first.terminate()
            #expect(first.process.terminationReason == .exit && first.process.terminationStatus == 0, "a clean exit after the grace period")
            let left = try await target.store.unfinishedExecutions()
            #expect(Set(left.map(\.id)) == Set(accepted.map(\.1)), "cut short, not recorded as canceled: \(left.map { "\($0.id) \($0.status)" })")
            #expect(first.logLines.contains { $0["message"] == "Execution cut short by the shutdown; left for recovery at the next start" })

            let second = try await ServeProcess.start(["workflows"] + target.arguments, in: directory, logName: "second.log")
            defer { second.kill() }
            let settled = try await ServeProcess.eventually(seconds: 180) { try await target.store.unfinishedExecutions().isEmpty }
            #expect(settled)
            for (path, id) in accepted {
                let record = try #require(try await target.store.execution(id: id))
                #expect(record.status == (path == "/webhook/crash" ? .crashed : .success), "\(id) \(path): \(record.status)")
            }
            try await second.terminate()
        }
    }

    @Test("SIGKILL with webhook executions in flight: every answered execution is recorded, then crashed or resumed", arguments: StoreKind.allCases)
    func killServe(kind: StoreKind) async throws {
        // Resumed executions wait until a fixed time, so after the restart they wait only what is left.
        let directory = try Self.folder(until: Date().addingTimeInterval(20))
        defer { try? FileManager.default.removeItem(at: directory) }
        let perWorkflow = 12

        try await CrashTests.withTarget(kind, directory: directory) { target in
            let first = try await ServeProcess.start(["workflows"] + target.arguments, environment: target.environment, in: directory, logName: "first.log")
            defer { first.kill() }
            // Requests sent together; the answers that came back before the kill are the accepted ones.
            let answers = await withTaskGroup(of: (String, ServeProcess.Answer?).self) { group in
                for n in 0..<(2 * perWorkflow) {
                    let path = n % 2 == 0 ? "/webhook/crash" : "/webhook/resume"
                    group.addTask { (path, try? await first.request("POST", path, json: ["n": .number(Double(n))])) }
                }
                var out: [(String, ServeProcess.Answer?)] = []
                for await answer in group { out.append(answer) }
                return out
            }
            let accepted = answers.compactMap { path, answer -> (String, String)? in
                guard let answer, answer.status == 200, let id = answer.header("x-flowrun-execution-id") else { return nil }
                return (path, id)
            }
            #expect(accepted.count == 2 * perWorkflow, "every request answered 200: \(answers.map { $0.1?.status ?? 0 })")
            // Killed right after the answers: most executions have not reached their Wait node yet.
            first.kill()
            #expect(first.process.terminationReason == .uncaughtSignal)
            let recorded = Dictionary(try await target.store.executions(matching: ExecutionQuery(limit: 1000)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (_, id) in accepted {
                #expect(recorded[id] != nil, "execution \(id) was answered 200 but is not in the store")
            }

            let second = try await ServeProcess.start(["workflows"] + target.arguments, environment: target.environment, in: directory, logName: "second.log")
            defer { second.kill() }
            let ids = Set(accepted.map(\.1))
            let settled = try await ServeProcess.eventually(seconds: 180) {
                let records = try await target.store.executions(matching: ExecutionQuery(limit: 1000))
                return records.filter { ids.contains($0.id) }.allSatisfy { !$0.status.isUnfinished } && records.count >= ids.count
            }
            #expect(settled, "every accepted execution ends after the restart")
            let records = Dictionary(try await target.store.executions(matching: ExecutionQuery(limit: 1000)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (path, id) in accepted {
                let record = try #require(records[id], "execution \(id) lost")
                if path == "/webhook/crash" {
                    #expect(record.status == .crashed, "\(id): \(record.status)")
                    #expect(record.error?["code"] == "crashed")
                } else {
                    #expect(record.status == .success, "\(id): \(record.status) \(record.error?.jsonString() ?? "")")
                    let runs = try await target.store.nodeRuns(executionID: id)
                    let counts = Dictionary(grouping: runs, by: \.node).mapValues(\.count)
                    // Each node ran to the end once; the trigger input came back from the record.
                    #expect(counts["After"] == 1 && counts["Before"] == 1, "\(id): \(counts)")
                    let after = try #require(runs.first { $0.node == "After" })
                    let items = NodeRunRecord(jsonValue: after.data).output?.first ?? []
                    #expect(items.count == 1 && items.first?.json["n"]?.numberValue != nil)
                }
            }
            #expect(try await target.store.unfinishedExecutions().isEmpty)
            let recovered = second.logLines.first { $0["message"] == "Executions recovered" }
            #expect(recovered?["flowrun.recovery.crashed"] == .string(String(perWorkflow)), "\(String(describing: recovered))")
            try await second.terminate()
            #expect(second.process.terminationStatus == 0, "a graceful exit on SIGTERM")
        }
    }
}
