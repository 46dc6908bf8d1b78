import AsyncHTTPClient
import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import FlowrunSQLite
import Foundation
import NIOCore
import Synchronization
import Testing

/// The rate-limit node's promise with real processes: 200 concurrent webhook executions spread over
/// `flowrun serve` processes sharing one store (4 on Postgres, 1 on SQLite), limit 20 per sender per
/// day: exactly 20 allowed, 180 over the limit, none lost; and again with a process SIGKILLed
/// mid-run and restarted, where every accepted execution is resumed to its end.
@Suite("Rate limit across processes", .serialized)
struct MultiProcessRateLimitTests {
    static let workflowID = "wf-rate-processes"
    static let requests = 200
    static let limit = 20

    /// Webhook (answers with the last node's first item) → Limit → Allowed/Over (Set: outcome,
    /// request) → Hold (Wait 2 s, so executions are in flight when a process is killed).
    static let workflow: JSONValue = [
        "id": .string(workflowID), "name": "Rate limit across processes",
        "settings": ["executionOrder": "v1", "timezone": "Europe/Berlin", "flowrun": ["resumeOnCrash": true]],
        "nodes": [
            ["name": "Webhook", "type": "n8n-nodes-base.webhook", "typeVersion": 2, "position": [0, 0],
             "webhookId": "4f1c2a9e-0d6b-4c1e-9a53-7e2b8c0d1f01",
             "parameters": ["path": "send", "httpMethod": "POST", "responseMode": "lastNode", "options": [:]]],
            ["name": "Limit", "type": "flowrun.rateLimit", "typeVersion": 1, "position": [200, 0],
             "parameters": ["key": "={{ $json.body.sender }}", "limit": .number(Double(limit)), "window": "day", "onLimit": "route"]],
            outcome("Allowed", "allowed", y: -100),
            outcome("Over", "over", y: 100),
            ["name": "Hold", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [600, 0],
             "parameters": ["resume": "timeInterval", "amount": 2, "unit": "seconds"]],
        ],
        "connections": [
            "Webhook": ["main": [[["node": "Limit", "type": "main", "index": 0]]]],
            "Limit": ["main": [[["node": "Allowed", "type": "main", "index": 0]], [["node": "Over", "type": "main", "index": 0]]]],
            "Allowed": ["main": [[["node": "Hold", "type": "main", "index": 0]]]],
            "Over": ["main": [[["node": "Hold", "type": "main", "index": 0]]]],
        ],
    ]

    static func outcome(_ name: String, _ value: String, y: Double) -> JSONValue {
        ["name": .string(name), "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [400, .number(y)],
         "parameters": ["assignments": ["assignments": [
             ["id": "o", "name": "outcome", "value": .string(value), "type": "string"],
             ["id": "r", "name": "request", "value": "={{ $json.body.request }}", "type": "string"],
         ]], "options": [:]]]
    }

    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case postgres, sqlite
        var testDescription: String { self == .postgres ? "Postgres, 4 processes" : "SQLite, 1 process" }
        var processes: Int { self == .postgres ? 4 : 1 }
    }

    enum Part: Sendable {
        case answer(String, Answer)
        case killed(midRun: Bool)
    }

    /// What a request got back: the outcome the answer named, or why there was no answer.
    enum Answer: Sendable, Equatable {
        case outcome(String)
        case failed(String)
    }

    @Test("200 concurrent webhook executions over serve processes, limit 20: exactly 20 allowed, 180 over, none lost",
          arguments: Backend.allCases)
    func concurrent(backend: Backend) async throws {
        try await Self.scenario(backend, killing: false)
    }

    @Test("the same with a process SIGKILLed mid-run and restarted: still exactly 20, every accepted execution resumed to its end",
          arguments: Backend.allCases)
    func killedAndRestarted(backend: Backend) async throws {
        try await Self.scenario(backend, killing: true)
    }

    static func scenario(_ backend: Backend, killing: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-rate-processes-\(UInt64.random(in: 1...UInt64.max))")
        let workflows = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try workflow.jsonString(indent: 2).write(to: workflows.appendingPathComponent("send.json"), atomically: true, encoding: .utf8)
        switch backend {
        case .postgres:
            try await OwnDatabase.with("flowrun_resilience") { url in
                try await PostgresStateStore.with(.init(url: url, schema: "flowrun"), logger: OwnDatabase.logger) { store in
                    try await run(store: store, storeArguments: ["--store", url], processes: backend.processes, killing: killing, directory: directory)
                }
            }
        case .sqlite:
            let data = directory.appendingPathComponent("data").path
            let store = SQLiteStateStore(configuration: .dataDirectory(data))
            defer { try? store.close() }
            try await run(store: store, storeArguments: ["--data-dir", data], processes: backend.processes, killing: killing, directory: directory)
        }
    }

    static func run(
        store: any ExecutionStore & RateLimitStore, storeArguments: [String], processes count: Int, killing: Bool, directory: URL
    ) async throws {
        let arguments = ["serve", "workflows", "--host", "127.0.0.1", "--port", "0", "--log-format", "json", "--reload-interval", "0",
                         "--no-metrics"] + storeArguments
        let servers = ServerSet()
        defer { servers.killAll() }
        for index in 0..<count {
            try servers.start(index, arguments: arguments, in: directory)
        }
        for index in 0..<count { servers.setPort(index, try await servers.process(index).listeningPort()) }

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: requests)
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(300))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            try await exercise(client: client, store: store, servers: servers, arguments: arguments, directory: directory, killing: killing)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func exercise(
        client: HTTPClient, store: any ExecutionStore & RateLimitStore, servers: ServerSet, arguments: [String], directory: URL, killing: Bool
    ) async throws {
        let ids = (0..<requests).map { "request-\($0)" }
        let victim = 0
        var killedMidRun = false
        var answers: [String: Answer] = [:]
        try await withThrowingTaskGroup(of: Part.self) { group in
            for (i, id) in ids.enumerated() {
                let port = servers.port(i % servers.count)
                group.addTask { .answer(id, await send(client, port: port, request: id)) }
            }
            if killing {
                group.addTask {
                    // Kill the victim once executions it accepted are in flight (past the Limit, holding).
                    let pid = servers.process(victim).pid
                    let deadline = Date().addingTimeInterval(120)
                    var inFlight = false
                    while !inFlight, Date() < deadline {
                        let mine = (try? await store.unfinishedExecutions())?.filter { $0.ownerID?.contains(":\(pid):") == true } ?? []
                        inFlight = mine.contains { $0.lastNode == "Allowed" || $0.lastNode == "Over" }
                        if !inFlight { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    servers.process(victim).kill()
                    return .killed(midRun: inFlight)
                }
            }
            for try await part in group {
                switch part {
                case .answer(let id, let answer): answers[id] = answer
                case .killed(let midRun): killedMidRun = midRun
                }
            }
        }
        #expect(answers.count == requests)

        if killing {
            #expect(killedMidRun, "the victim was killed while its executions were in flight")
            #expect(servers.process(victim).process.terminationReason == .uncaughtSignal)
            // The restart: serve recovers the dead process's executions at start and resumes them
            // (the workflow opts in), so they all end.
            try servers.start(victim, arguments: arguments, in: directory)
            servers.setPort(victim, try await servers.process(victim).listeningPort())
            let deadline = Date().addingTimeInterval(180)
            var unfinished: [ExecutionRecord] = []
            repeat {
                unfinished = try await store.unfinishedExecutions()
                if unfinished.isEmpty { break }
                try await Task.sleep(for: .milliseconds(200))
            } while Date() < deadline
            #expect(unfinished.isEmpty, "after the restart every execution ended; still unfinished: \(unfinished.map { "\($0.id) \($0.status) \($0.lastNode ?? "-")" })")
            // A client resends what was not accepted: requests without an answer and without a record.
            let recorded = Set(try await outcomes(in: store).compactMap(\.request))
            let lost = ids.filter { if case .failed = answers[$0] { return !recorded.contains($0) } else { return false } }
            for id in lost { answers[id] = await send(client, port: servers.port(victim), request: id) }
        }

        let executions = try await outcomes(in: store)
        // None lost, none twice: one execution per request, and each ended successfully.
        #expect(executions.count == requests, "\(executions.count) executions recorded for \(requests) requests")
        #expect(Set(executions.compactMap(\.request)) == Set(ids))
        for execution in executions {
            #expect(execution.status == .success, "\(execution.id) (\(execution.request ?? "?")): \(execution.status) \(execution.error ?? "")")
            #expect(execution.allowed + execution.over == 1, "\(execution.id): the item left on exactly one output")
        }
        #expect(executions.map(\.allowed).reduce(0, +) == limit)
        #expect(executions.map(\.over).reduce(0, +) == requests - limit)
        // Every answer that came back says what the record says.
        for execution in executions {
            guard let request = execution.request, case .outcome(let said) = answers[request] else { continue }
            #expect(said == (execution.allowed == 1 ? "allowed" : "over"), "\(request)")
        }
        let answered = answers.values.compactMap { if case .outcome(let o) = $0 { o } else { nil } }
        if !killing {
            #expect(answered.count == requests, "failed: \(answers.filter { if case .failed = $0.value { true } else { false } }.prefix(5))")
            #expect(answered.filter { $0 == "allowed" }.count == limit)
            #expect(answered.filter { $0 == "over" }.count == requests - limit)
        }
        // The store holds exactly 20 grants for the sender, whatever process made them: asking for
        // 1000 under a limit of 1000 gets 1000 − 20.
        let now = Date().timeIntervalSince1970 * 1000
        let probe = try await store.reserve(key: "day:alice@example.com", window: .sliding(milliseconds: 2 * 86_400_000), limit: 1000, count: 1000,
                                            now: now, reservation: nil)
        #expect(1000 - probe.granted == limit, "grants in the store")
    }

    /// POSTs one request to `/webhook/send`; the outcome its answer names.
    static func send(_ client: HTTPClient, port: Int, request id: String) async -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhook/send")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"sender":"alice@example.com","request":"\#(id)"}"#))
        do {
            let response = try await client.execute(request, timeout: .seconds(300))
            let body = try await response.body.collect(upTo: 1 << 20)
            let json = try JSONValue(parsing: String(buffer: body))
            guard response.status.code == 200, json["request"]?.stringValue == id, let outcome = json["outcome"]?.stringValue else {
                return .failed("HTTP \(response.status.code): \(String(buffer: body).prefix(200))")
            }
            return .outcome(outcome)
        } catch {
            return .failed("\(error)")
        }
    }

    struct Recorded {
        var id: String
        var status: ExecutionRecord.Status
        var error: String?
        var request: String?
        var allowed = 0
        var over = 0
    }

    /// Every recorded execution of the workflow: the request it served (from the Allowed/Over
    /// node's output) and the Limit node's outputs.
    static func outcomes(in store: any ExecutionStore) async throws -> [Recorded] {
        var out: [Recorded] = []
        for record in try await store.executions(matching: ExecutionQuery(workflowID: workflowID, limit: 100_000)) {
            var recorded = Recorded(id: record.id, status: record.status, error: record.error?.jsonString())
            for run in try await store.nodeRuns(executionID: record.id) {
                let output = NodeRunRecord(jsonValue: run.data).output ?? []
                switch run.node {
                case "Limit":
                    recorded.allowed += output.first?.count ?? 0
                    recorded.over += output.count > 1 ? output[1].count : 0
                case "Allowed", "Over":
                    recorded.request = output.first?.first?.json["request"]?.stringValue
                default: break
                }
            }
            out.append(recorded)
        }
        return out
    }
}

/// The serve processes of a test, by index; a restarted process takes its index again.
final class ServerSet: Sendable {
    private let state = Mutex<(processes: [Int: FlowrunProcess], ports: [Int: Int], all: [FlowrunProcess])>(([:], [:], []))

    var count: Int { state.withLock { $0.processes.count } }
    func process(_ index: Int) -> FlowrunProcess { state.withLock { $0.processes[index]! } }
    func port(_ index: Int) -> Int { state.withLock { $0.ports[index] ?? 0 } }
    func setPort(_ index: Int, _ port: Int) { state.withLock { $0.ports[index] = port } }

    func start(_ index: Int, arguments: [String], in directory: URL) throws {
        let generation = state.withLock { $0.all.count }
        let log = directory.appendingPathComponent("serve-\(index)-\(generation).log")
        let process = try FlowrunProcess(arguments, in: directory, log: log)
        state.withLock {
            $0.processes[index] = process
            $0.all.append(process)
        }
    }

    /// SIGKILLs every process started (the test's own children only).
    func killAll() {
        for process in state.withLock({ $0.all }) { process.kill() }
    }
}
