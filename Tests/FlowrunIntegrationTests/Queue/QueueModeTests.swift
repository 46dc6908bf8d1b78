import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunPostgres
import Foundation
import Synchronization
import Testing

/// Queue mode with the real binaries: `flowrun serve --queue` main processes and `flowrun worker`
/// processes against the test Postgres and Redis (issue 8's done-when test).
@Suite("Queue mode with real processes", .serialized)
struct QueueModeTests {
    /// Webhook (lastNode: the request waits for its worker's answer) → Set → Set.
    static let loadWorkflow: JSONValue = [
        "name": "queue-load", "id": "queue-load",
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "5b0b5f8e-0000-4000-8000-00000000000a",
             "parameters": ["httpMethod": "POST", "path": "queue-load", "responseMode": "lastNode", "options": [:]]],
            ["name": "Number", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "seq", "value": "={{ $json.body.seq }}", "type": "number"],
             ]], "options": [:]]],
            ["name": "Answer", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [400, 0],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "seq", "value": "={{ $json.seq }}", "type": "number"],
                ["id": "2", "name": "doubled", "value": "={{ $json.seq * 2 }}", "type": "number"],
             ]], "options": [:]]],
        ],
        "connections": [
            "Webhook": ["main": [[["node": "Number", "type": "main", "index": 0]]]],
            "Number": ["main": [[["node": "Answer", "type": "main", "index": 0]]]],
        ],
        "settings": ["executionOrder": "v1"],
    ]

    struct Answer: Sendable {
        var seq: Int
        var status: Int
        var body: JSONValue?
        var executionID: String?
        var failure: String?
    }

    @Test("1,000 lastNode webhooks through one main and three workers, one worker SIGKILLed twice: each execution completes once, every request is answered")
    func thousandWebhooksWithKills() async throws {
        try await QueueCluster.with(workflows: ["load.json": Self.loadWorkflow]) { cluster in
            let port = try await cluster.startMain("main")
            for name in ["w1", "w2", "w3"] { try cluster.startWorker(name) }
            let total = 1000, inFlight = 50
            let url = "http://127.0.0.1:\(port)/webhook/queue-load"
            // AsyncHTTPClient keeps 8 connections per host and client: 7 clients for 50 requests in flight.
            let answers: [Answer] = try await Self.withTransports(7) { transports in
                var answers: [Answer] = []
                var killed: [String] = []
                var victim = "w1"
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: Answer.self) { group in
                    var next = 0
                    func send(_ seq: Int) {
                        let transport = transports[seq % transports.count]
                        group.addTask { await Self.post(seq, to: url, with: transport) }
                    }
                    while next < min(inFlight, total) { send(next); next += 1 }
                    while let answer = try await group.next() {
                        answers.append(answer)
                        if next < total { send(next); next += 1 }
                        // SIGKILL the same worker slot twice mid-run; a new worker takes its place each time.
                        if (answers.count == 250 && killed.isEmpty) || (answers.count == 600 && killed.count == 1) {
                            cluster.kill9(victim)
                            killed.append(victim)
                            victim = "w1-restart\(killed.count)"
                            try cluster.startWorker(victim)
                        }
                    }
                }
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print("queue mode: \(total) webhook executions (lastNode) in \(String(format: "%.1f", seconds)) s, "
                      + "\(String(format: "%.0f", Double(total) / seconds)) per second, 1 main + 3 workers (concurrency 4), "
                      + "\(inFlight) in flight, SIGKILLed \(killed.joined(separator: ", "))")
                #expect(killed.count == 2)
                return answers
            }

            // Every request got its answer: 200 with its own workflow output.
            #expect(answers.count == total)
            let bad = answers.filter { $0.status != 200 || $0.body != ["seq": .number(Double($0.seq)), "doubled": .number(Double($0.seq * 2))] }
            #expect(bad.isEmpty, "\(bad.count) requests without their answer, e.g. \(bad.prefix(3).map { "\($0.seq): \($0.status) \($0.failure ?? $0.body?.jsonString() ?? "")" })\n\(cluster.tail("main"))")
            #expect(Set(answers.map(\.seq)) == Set(0..<total))

            // The store: one execution per request, all ended in success, none left new or running.
            var records: [ExecutionRecord] = []
            let deadline = ContinuousClock.now + .seconds(120)
            repeat {
                records = try await cluster.executions(of: "queue-load")
                if records.count >= total, records.allSatisfy({ !$0.status.isUnfinished }) { break }
                try await Task.sleep(for: .milliseconds(250))
            } while ContinuousClock.now < deadline
            #expect(records.count == total)
            #expect(Set(records.map(\.id)).count == total)
            let unfinished = records.filter { $0.status.isUnfinished }
            #expect(unfinished.isEmpty, "left \(unfinished.map { "\($0.id) \($0.status)" }.prefix(5))")
            let failed = records.filter { $0.status != .success }
            #expect(failed.isEmpty, "\(failed.prefix(3).map { "\($0.id) \($0.status) \($0.error?.jsonString() ?? "")" })")
            let seqs = records.compactMap { $0.triggerInput?.arrayValue?.first?["json"]?["body"]?["seq"]?.numberValue }.map { Int($0) }
            #expect(seqs.count == total && Set(seqs) == Set(0..<total), "each request started exactly one execution")
            #expect(Set(answers.compactMap(\.executionID)) == Set(records.map(\.id)), "each answer names its execution")
            #expect(records.allSatisfy { $0.lastNode == "Answer" && $0.ownerID == nil })
            // Exactly one run of each node per execution (sampled: the store keeps one row per node and run index).
            for record in records.prefix(50) {
                let runs = try await cluster.store.nodeRuns(executionID: record.id)
                #expect(runs.map { "\($0.node)#\($0.runIndex)" }.sorted() == ["Answer#0", "Number#0", "Webhook#0"], "\(record.id)")
            }
            // The killed workers' jobs were taken over by the others (their logs say so).
            let reclaimed = ["w2", "w3", "w1-restart1", "w1-restart2"].map { cluster.log($0).components(separatedBy: "Job reclaimed from a dead worker").count - 1 }
            print("queue mode: \(reclaimed.reduce(0, +)) jobs reclaimed from the killed workers")
            #expect(reclaimed.reduce(0, +) > 0)
            // The queue is drained: nothing waiting, nothing pending.
            let pending = try await cluster.redis.xpending("\(cluster.prefix):executions", group: "\(cluster.prefix)-workers")
            #expect(pending.count == 0)
            for name in ["main", "w2", "w3", "w1-restart2"] { try await cluster.stop(name) }
        }
    }

    /// Schedule Trigger every second → Set.
    static let scheduleWorkflow: JSONValue = [
        "name": "queue-schedule", "id": "queue-schedule",
        "nodes": [
            ["name": "Every second", "type": "n8n-nodes-base.scheduleTrigger", "typeVersion": 1.2, "position": [0, 0],
             "parameters": ["rule": ["interval": [["field": "seconds", "secondsInterval": 1]]]]],
            ["name": "Tick", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "at", "value": "={{ $json.timestamp }}", "type": "string"],
             ]], "options": [:]]],
        ],
        "connections": ["Every second": ["main": [[["node": "Tick", "type": "main", "index": 0]]]]],
        "settings": ["executionOrder": "v1", "timezone": "UTC"],
    ]

    @Test("two main processes serving the same schedule: each tick fires exactly once")
    func scheduleOncePerTick() async throws {
        try await QueueCluster.with(workflows: ["schedule.json": Self.scheduleWorkflow]) { cluster in
            try cluster.startWorker("w1")
            _ = try await cluster.startMain("main1")
            _ = try await cluster.startMain("main2")
            // Both mains compute every tick; let them overlap for a while.
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                if try await cluster.executions(of: "queue-schedule").count >= 12 { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            try await cluster.stop("main1")
            try await cluster.stop("main2")
            var records: [ExecutionRecord] = []
            let drained = ContinuousClock.now + .seconds(120)
            repeat {
                records = try await cluster.executions(of: "queue-schedule")
                if records.allSatisfy({ !$0.status.isUnfinished }) { break }
                try await Task.sleep(for: .milliseconds(250))
            } while ContinuousClock.now < drained
            let ticks = records.compactMap { $0.triggerInput?.arrayValue?.first?["json"]?["timestamp"]?.stringValue }
            #expect(ticks.count == records.count)
            #expect(records.count >= 12, "\(records.count) executions\n\(cluster.tail("main1"))\n\(cluster.tail("w1"))")
            let repeated = Dictionary(grouping: ticks, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            #expect(repeated.isEmpty, "ticks fired more than once: \(repeated)")
            #expect(records.allSatisfy { $0.status == .success }, "\(records.map(\.status))")
            let claims = try await cluster.redis.send(["KEYS", .string("\(cluster.prefix):tick:*")]).array?.count ?? 0
            // One claim per fired tick (a main stopped between a claim and its submit leaves a claim without execution).
            #expect(claims >= records.count && claims <= records.count + 2, "\(claims) claims for \(records.count) executions")
            try await cluster.stop("w1")
        }
    }

    /// Webhook (responseNode) → Respond to Webhook with a status and a header.
    static let respondWorkflow: JSONValue = [
        "name": "queue-respond", "id": "queue-respond",
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "5b0b5f8e-0000-4000-8000-00000000000b",
             "parameters": ["httpMethod": "POST", "path": "queue-respond", "responseMode": "responseNode", "options": [:]]],
            ["name": "Respond", "type": "n8n-nodes-base.respondToWebhook", "typeVersion": 1.1, "position": [200, 0],
             "parameters": ["respondWith": "json", "responseBody": "={{ { \"got\": $json.body.seq } }}",
                            "options": ["responseCode": 201, "responseHeaders": ["entries": [["name": "X-Queue", "value": "worker"]]]]]],
        ],
        "connections": ["Webhook": ["main": [[["node": "Respond", "type": "main", "index": 0]]]]],
        "settings": ["executionOrder": "v1"],
    ]

    @Test("a Respond to Webhook answer given at a worker reaches the waiting request: status, header and body")
    func respondToWebhookThroughTheQueue() async throws {
        try await QueueCluster.with(workflows: ["respond.json": Self.respondWorkflow]) { cluster in
            let port = try await cluster.startMain("main")
            try cluster.startWorker("w1")
            try await Self.withTransports(1) { transports in
                for seq in 0..<5 {
                    let request = HTTPRequestSpec(method: "POST", url: "http://127.0.0.1:\(port)/webhook/queue-respond",
                                                  headers: [HTTPField("Content-Type", "application/json")],
                                                  body: Array(#"{"seq":\#(seq)}"#.utf8), timeout: .seconds(300))
                    let response = try await transports[0].send(request)
                    #expect(response.status == 201, "\(String(decoding: response.body, as: UTF8.self))\n\(cluster.tail("main"))")
                    #expect(response.headers.contains { $0.name.lowercased() == "x-queue" && $0.value == "worker" })
                    #expect(try JSONValue(parsing: String(decoding: response.body, as: UTF8.self)) == ["got": .number(Double(seq))])
                }
            }
            let records = try await cluster.executions(of: "queue-respond")
            #expect(records.count == 5 && records.allSatisfy { $0.status == .success })
            try await cluster.stop("main")
            try await cluster.stop("w1")
        }
    }

    /// Webhook (onReceived) → Wait for a webhook call → Set.
    static let waitWorkflow: JSONValue = [
        "name": "queue-wait", "id": "queue-wait",
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "5b0b5f8e-0000-4000-8000-00000000000c",
             "parameters": ["httpMethod": "POST", "path": "queue-wait", "responseMode": "onReceived", "options": [:]]],
            ["name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [200, 0], "webhookId": "5b0b5f8e-0000-4000-8000-00000000000d",
             "parameters": ["resume": "webhook", "httpMethod": "POST", "responseMode": "lastNode", "options": [:]]],
            ["name": "After", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [400, 0],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "resumedWith", "value": "={{ $json.body.answer }}", "type": "string"],
             ]], "options": [:]]],
        ],
        "connections": [
            "Webhook": ["main": [[["node": "Wait", "type": "main", "index": 0]]]],
            "Wait": ["main": [[["node": "After", "type": "main", "index": 0]]]],
        ],
        "settings": ["executionOrder": "v1"],
    ]

    @Test("a Wait node resumed by a webhook call at the main process continues at a worker, which answers the call")
    func waitResumedThroughTheQueue() async throws {
        try await QueueCluster.with(workflows: ["wait.json": Self.waitWorkflow]) { cluster in
            let port = try await cluster.startMain("main")
            try cluster.startWorker("w1")
            try await Self.withTransports(1) { transports in
                let start = try await transports[0].send(HTTPRequestSpec(
                    method: "POST", url: "http://127.0.0.1:\(port)/webhook/queue-wait", headers: [HTTPField("Content-Type", "application/json")],
                    body: Array(#"{"question":"?"}"#.utf8), timeout: .seconds(300)))
                #expect(start.status == 200)
                let id = try #require(start.headers.first { $0.name.lowercased() == "x-flowrun-execution-id" }?.value)
                var record: ExecutionRecord?
                let deadline = ContinuousClock.now + .seconds(120)
                repeat {
                    record = try await cluster.store.execution(id: id)
                    if record?.status == .waiting { break }
                    try await Task.sleep(for: .milliseconds(200))
                } while ContinuousClock.now < deadline
                #expect(record?.status == .waiting, "\(cluster.tail("w1"))")
                let resumed = try await transports[0].send(HTTPRequestSpec(
                    method: "POST", url: "http://127.0.0.1:\(port)/webhook-waiting/\(id)", headers: [HTTPField("Content-Type", "application/json")],
                    body: Array(#"{"answer":"yes"}"#.utf8), timeout: .seconds(300)))
                #expect(resumed.status == 200, "\(String(decoding: resumed.body, as: UTF8.self))\n\(cluster.tail("main"))\n\(cluster.tail("w1"))")
                #expect(try JSONValue(parsing: String(decoding: resumed.body, as: UTF8.self)) == ["resumedWith": "yes"])
                let done = try await cluster.store.execution(id: id)
                #expect(done?.status == .success)
                #expect(done?.lastNode == "After")
            }
            try await cluster.stop("main")
            try await cluster.stop("w1")
        }
    }

    /// Webhook (lastNode) → Stop and Error; its own Error Trigger → Set.
    static let failingWorkflow: JSONValue = [
        "name": "queue-error", "id": "queue-error",
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "5b0b5f8e-0000-4000-8000-00000000000e",
             "parameters": ["httpMethod": "POST", "path": "queue-error", "responseMode": "lastNode", "options": [:]]],
            ["name": "Fail", "type": "n8n-nodes-base.stopAndError", "typeVersion": 1, "position": [200, 0],
             "parameters": ["errorMessage": "boom"]],
            ["name": "On error", "type": "n8n-nodes-base.errorTrigger", "typeVersion": 1, "position": [0, 300], "parameters": [:]],
            ["name": "Handled", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 300],
             "parameters": ["assignments": ["assignments": [
                ["id": "1", "name": "failed", "value": "={{ $json.execution.id }}", "type": "string"],
             ]], "options": [:]]],
        ],
        "connections": [
            "Webhook": ["main": [[["node": "Fail", "type": "main", "index": 0]]]],
            "On error": ["main": [[["node": "Handled", "type": "main", "index": 0]]]],
        ],
        "settings": ["executionOrder": "v1"],
    ]

    @Test("a failed execution at a worker answers the waiting request 500 and starts the workflow's error workflow there")
    func errorWorkflowAtTheWorker() async throws {
        try await QueueCluster.with(workflows: ["error.json": Self.failingWorkflow]) { cluster in
            let port = try await cluster.startMain("main")
            try cluster.startWorker("w1")
            let response = try await Self.withTransports(1) { transports in
                try await transports[0].send(HTTPRequestSpec(
                    method: "POST", url: "http://127.0.0.1:\(port)/webhook/queue-error", headers: [HTTPField("Content-Type", "application/json")],
                    body: Array("{}".utf8), timeout: .seconds(300)))
            }
            #expect(response.status == 500)
            let failedID = try #require(response.headers.first { $0.name.lowercased() == "x-flowrun-execution-id" }?.value)
            var records: [ExecutionRecord] = []
            let deadline = ContinuousClock.now + .seconds(120)
            repeat {
                records = try await cluster.executions(of: "queue-error")
                if records.count == 2, records.allSatisfy({ !$0.status.isUnfinished }) { break }
                try await Task.sleep(for: .milliseconds(200))
            } while ContinuousClock.now < deadline
            let failed = records.first { $0.id == failedID }
            #expect(failed?.status == .error && failed?.mode == "webhook")
            // The error workflow's execution is recorded beside it (same workflow: its own Error Trigger).
            let handler = try #require(records.first { $0.id != failedID }, "no error-workflow execution: \(cluster.tail("w1"))")
            #expect(handler.status == .success && handler.lastNode == "Handled")
            let runs = try await cluster.store.nodeRuns(executionID: handler.id)
            let output = runs.first { $0.node == "Handled" }.map { NodeRunRecord(jsonValue: $0.data) }?.output?.first?.first
            #expect(output?.json["failed"] == .string(failedID))
            try await cluster.stop("main")
            try await cluster.stop("w1")
        }
    }

    static func withTransports<T: Sendable>(_ count: Int, _ body: ([AsyncHTTPClientTransport]) async throws -> T) async throws -> T {
        let transports = (0..<count).map { _ in AsyncHTTPClientTransport(configuration: .init(defaultTimeout: .seconds(300))) }
        do {
            let result = try await body(transports)
            for transport in transports { await transport.shutdown() }
            return result
        } catch {
            for transport in transports { await transport.shutdown() }
            throw error
        }
    }

    static func post(_ seq: Int, to url: String, with transport: AsyncHTTPClientTransport) async -> Answer {
        let request = HTTPRequestSpec(method: "POST", url: url, headers: [HTTPField("Content-Type", "application/json")],
                                      body: Array(#"{"seq":\#(seq)}"#.utf8), timeout: .seconds(300))
        do {
            let response = try await transport.send(request)
            let body = try? JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
            let id = response.headers.first { $0.name.lowercased() == "x-flowrun-execution-id" }?.value
            return Answer(seq: seq, status: response.status, body: body, executionID: id)
        } catch {
            return Answer(seq: seq, status: 0, body: nil, executionID: nil, failure: "\(error)")
        }
    }
}
