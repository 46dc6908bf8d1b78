import AsyncHTTPClient
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRuntime
import FlowrunServer
import FlowrunStandIns
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The wall time the server, the engine (`$now`, rate-limit windows, breaker cool-downs) and the
/// stand-ins read: it moves only when the test advances it.
final class TestNow: Sendable {
    private let date: Mutex<Date>
    init(_ start: Date) { date = Mutex(start) }
    var now: Date { date.withLock { $0 } }
    func advance(by seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Every execution the server accepted (by the dispatcher) and every one that ended (by an
/// engine observer), so the test can wait for the pipeline to come to rest.
final class ExecutionLog: ExecutionObserver {
    struct Submitted: Sendable {
        var id: String
        var workflow: String
    }

    private let state = Mutex<(submitted: [Submitted], finished: [String: ExecutionResult])>(([], [:]))

    func submitted(_ job: ExecutionJob) {
        state.withLock { $0.submitted.append(Submitted(id: job.executionID, workflow: job.workflow.id)) }
    }

    func executionFinished(_ result: ExecutionResult) async {
        state.withLock { $0.finished[result.executionID] = result }
    }

    /// Executions of `workflow` the server accepted so far.
    func count(_ workflow: String) -> Int { state.withLock { $0.submitted.filter { $0.workflow == workflow }.count } }

    /// Whether every accepted execution has ended.
    var isIdle: Bool { state.withLock { s in s.submitted.allSatisfy { s.finished[$0.id] != nil } } }

    /// The failed executions, one line each (workflow, last node, error), for failure messages.
    var failures: String {
        state.withLock { s in
            s.submitted.compactMap { job -> String? in
                guard let r = s.finished[job.id], r.status != .success else { return nil }
                let detail = r.error?.nodeError.map { " | \($0.detail ?? "")" } ?? ""
                return "\(job.workflow) [\(r.lastNodeExecuted ?? "-")]: \(r.error.map { "\($0)" } ?? "\(r.status)")\(detail)"
            }.joined(separator: "\n")
        }
    }

    /// The ended executions of `workflow`, in acceptance order.
    func results(_ workflow: String) -> [ExecutionResult] {
        state.withLock { s in s.submitted.filter { $0.workflow == workflow }.compactMap { s.finished[$0.id] } }
    }
}

/// Forwards to `InProcessDispatcher`, telling the log about each accepted job first.
final class LoggingDispatcher: ExecutionDispatcher, Service {
    let inner: InProcessDispatcher
    let log: ExecutionLog

    init(inner: InProcessDispatcher, log: ExecutionLog) {
        self.inner = inner
        self.log = log
    }

    func submit(_ job: ExecutionJob, responder: (any WebhookResponder)?) async throws -> any ExecutionTicket {
        log.submitted(job)
        return try await inner.submit(job, responder: responder)
    }

    func run() async throws { try await inner.run() }
}

/// Circuit breaker transitions and retries, as the resilience service reports them.
final class BreakerLog: ResilienceObserver {
    struct Entry: Sendable, Equatable {
        var target: String
        var from: String
        var to: String
    }

    private let state = Mutex<(transitions: [Entry], retries: [String])>(([], []))

    func breakerTransition(_ transition: CircuitBreaker.Transition, target: String, context: ExecutionContext) async {
        state.withLock { $0.transitions.append(Entry(target: target, from: transition.from.rawValue, to: transition.to.rawValue)) }
    }

    func retryScheduled(target: String, attempt: Int, delay: Duration, error: any Error, context: ExecutionContext) async {
        state.withLock { $0.retries.append(target) }
    }

    var transitions: [Entry] { state.withLock { $0.transitions } }
    var retries: [String] { state.withLock { $0.retries } }
}

/// The Sales Machine running for a test: a fresh database (migrations + seed), the stand-ins with
/// Claude's canned answers on a random port, and an in-process `WorkflowServer` serving
/// workflows/ on the test clock, with a credentials file pointing the workflows at the stand-ins.
struct SalesMachine: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let jwtSecret = "sales-e2e-jwt-secret-with-at-least-32-characters"
    static let webhookSecret = "sales-e2e-webhook-secret"
    static let redisDatabase = 9

    let database: SalesDatabase
    let standIns: StandInClient
    let standInState: SalesStandInState
    let anthropic: AnthropicStandIn
    let port: Int
    let clock: TestNow
    let executions: ExecutionLog
    let breakers: BreakerLog
    let runtime: Runtime
    let environment: [String: String]

    static var workflowsDirectory: String { SalesDatabase.repositoryRoot.appendingPathComponent("workflows").path }

    static var redis: (host: String, port: Int) {
        let url = ProcessInfo.processInfo.environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379"
        let rest = url.components(separatedBy: "://").last ?? url
        let hostPort = rest.split(separator: "/").first.map(String.init) ?? rest
        let parts = hostPort.split(separator: "@").last.map(String.init) ?? hostPort
        let pieces = parts.split(separator: ":")
        return (pieces.first.map(String.init) ?? "127.0.0.1", pieces.count > 1 ? Int(pieces[1]) ?? 56379 : 56379)
    }

    /// Runs `body` with the whole machine; the database is dropped and the cache keys deleted after.
    static func with(
        database name: String, start: Date, standIns configure: (inout SalesStandIns.Configuration) -> Void = { _ in },
        _ body: @Sendable (SalesMachine) async throws -> Void
    ) async throws {
        let clock = TestNow(start)
        var configuration = SalesStandIns.Configuration()
        configuration.now = { clock.now }
        configure(&configuration)
        let sales = SalesStandIns(configuration: configuration)
        let anthropic = AnthropicStandIn()
        for (marker, text) in SalesClaudeReplies.all { anthropic.reply(whenPromptContains: marker, with: text) }
        let router = sales.router()
        anthropic.addRoutes(to: router.group("anthropic"))
        try await SalesDatabase.withFreshAsync(name) { database in
            try await StandInServer.withRunning(router: router) { baseURL in
                defer { Self.deleteCacheKeys(database) }
                try await Self.serve(
                    database: database, baseURL: baseURL, clock: clock, sales: sales, anthropic: anthropic, body)
            }
        }
    }

    private static func serve(
        database: SalesDatabase, baseURL: String, clock: TestNow, sales: SalesStandIns, anthropic: AnthropicStandIn,
        _ body: @Sendable (SalesMachine) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "flowrun-sales-e2e-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentialsFile = directory + "/credentials.json"
        try Data(credentials(database: database, baseURL: baseURL).jsonString(indent: 2).utf8)
            .write(to: URL(fileURLWithPath: credentialsFile))
        let environment = [
            "N8N_BLOCK_ENV_ACCESS_IN_NODE": "false",
            "PHANTOMBUSTER_BASE_URL": baseURL + "/phantombuster", "INSTANTLY_BASE_URL": baseURL + "/instantly",
            "CALCOM_BASE_URL": baseURL + "/calcom", "BUILTWITH_BASE_URL": baseURL + "/builtwith",
        ]
        let executions = ExecutionLog()
        let breakers = BreakerLog()
        var runtimeConfiguration = RuntimeConfiguration(
            dataDirectory: directory + "/data", credentialsFile: credentialsFile, environment: environment,
            recordsExecutions: false)
        runtimeConfiguration.resilience.observers.append(breakers)
        runtimeConfiguration.resilience.errorWorkflows.baseDirectory = workflowsDirectory
        runtimeConfiguration.resilience.service.now = { clock.now.timeIntervalSince1970 * 1000 }

        var serverConfiguration = WorkflowServer.Configuration(paths: [workflowsDirectory])
        serverConfiguration.host = "127.0.0.1"
        serverConfiguration.port = 0
        serverConfiguration.handlesSignals = false
        serverConfiguration.reloadInterval = nil
        serverConfiguration.timeZone = "UTC"
        serverConfiguration.shutdownGrace = .seconds(5)
        let logger = Logger(label: "sales-e2e") { _ in SwiftLogNoOpLogHandler() }
        var server = WorkflowServer(configuration: serverConfiguration, logger: logger, prometheus: nil)
        server.now = { clock.now }
        server.makeDispatcher = { engine in
            LoggingDispatcher(inner: InProcessDispatcher(engineConfiguration: engine, metrics: ServerMetrics(), logger: logger), log: executions)
        }
        let runner = server
        try await Runtime.with(runtimeConfiguration, logger: logger) { base in
            var runtime = base
            runtime.observers.append(executions)
            let served = runtime
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
                group.addTask { try await runner.run(runtime: served) { port in continuation.yield(port) } }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw Failure(description: "the workflow server did not start") }
                let machine = SalesMachine(
                    database: database, standIns: StandInClient(baseURL: baseURL), standInState: sales.state,
                    anthropic: anthropic, port: port, clock: clock, executions: executions, breakers: breakers,
                    runtime: served, environment: environment)
                do {
                    try await body(machine)
                    try await machine.settle()
                } catch {
                    group.cancelAll()
                    throw error
                }
                group.cancelAll()
            }
        }
    }

    /// The credentials the workflows name (workflows/src/nodes.py CRED), pointing at the stand-ins.
    static func credentials(database: SalesDatabase, baseURL: String) -> JSONValue {
        let admin = URL(string: SalesDatabase.adminURL)
        let redis = Self.redis
        func entry(_ id: String, _ name: String, _ type: String, _ data: JSONObject) -> JSONValue {
            ["id": .string(id), "name": .string(name), "type": .string(type), "data": .object(data)]
        }
        return [
            entry("sales-db", "Sales DB", "postgres", [
                "host": .string(admin?.host ?? "127.0.0.1"), "port": .number(Double(admin?.port ?? 55432)),
                "database": .string(database.name), "user": .string(admin?.user ?? "postgres"),
                "password": .string(admin?.password ?? "postgres"),
            ]),
            entry("sales-cache", "Sales Cache", "redis", [
                "host": .string(redis.host), "port": .number(Double(redis.port)), "database": .number(Double(redisDatabase)),
            ]),
            entry("anthropic", "Anthropic", "anthropicApi", ["apiKey": "sk-ant-standin", "url": .string(baseURL + "/anthropic")]),
            entry("phantombuster", "PhantomBuster", "httpHeaderAuth", ["name": "X-Phantombuster-Key-1", "value": "pb-standin-key"]),
            entry("instantly", "Instantly", "httpBearerAuth", ["token": "instantly-standin-key"]),
            entry("calcom", "Cal.com", "httpBearerAuth", ["token": "cal_test_standin"]),
            entry("builtwith", "BuiltWith", "httpQueryAuth", ["name": "KEY", "value": "builtwith-standin-key"]),
            entry("supabase-jwt", "Supabase JWT", "jwtAuth", [
                "keyType": "passphrase", "secret": .string(jwtSecret), "algorithm": "HS256",
            ]),
            entry("instantly-webhook", "Instantly Webhook", "httpHeaderAuth", ["name": "X-Webhook-Secret", "value": .string(webhookSecret)]),
            entry("calcom-webhook", "Cal.com Webhook", "httpHeaderAuth", ["name": "X-Webhook-Secret", "value": .string(webhookSecret)]),
        ]
    }

    /// Deletes the cached enrichments of the database's prospects (the test's Redis database).
    static func deleteCacheKeys(_ database: SalesDatabase) {
        guard let ids = try? database.owner("select id from sales.prospects"), !ids.isEmpty else { return }
        let redis = Self.redis
        _ = try? SalesDatabase.run(
            "/usr/bin/env",
            ["redis-cli", "-h", redis.host, "-p", String(redis.port), "-n", String(redisDatabase), "del"]
                + ids.map { "sales:enrichment:" + $0 })
    }

    // MARK: Driving the machine

    /// Polls `condition` until it holds (generous timeout: the machine is shared by several builds).
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(300), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw Failure(description: "timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Waits until every execution the server accepted has ended.
    func settle() async throws {
        try await waitUntil("every execution has ended") { executions.isIdle }
    }

    /// Advances the clock and waits until `workflow`'s schedule has fired once more and everything ended.
    func advance(by seconds: TimeInterval, firing workflow: String) async throws {
        let before = executions.count(workflow)
        clock.advance(by: seconds)
        try await waitUntil("\(workflow) fired after the clock moved") { executions.count(workflow) > before }
        try await settle()
    }

    /// A JWT as Supabase issues it (HS256 with the project's secret, aud/role authenticated).
    func jwt(sub: String, email: String) throws -> String {
        let now = Int(clock.now.timeIntervalSince1970)
        let header: JSONValue = ["alg": "HS256", "typ": "JWT"]
        let claims: JSONValue = [
            "aud": "authenticated", "role": "authenticated", "sub": .string(sub), "email": .string(email),
            "iss": "https://sales-e2e.supabase.co/auth/v1", "iat": .number(Double(now)), "exp": .number(Double(now + 86400 * 30)),
            "app_metadata": ["provider": "email"],
        ]
        let input = Self.base64URL(Data(header.jsonString().utf8)) + "." + Self.base64URL(Data(claims.jsonString().utf8))
        let signature = try SalesDatabase.runData(
            "/usr/bin/env", ["openssl", "dgst", "-sha256", "-hmac", Self.jwtSecret, "-binary"], input: Data(input.utf8))
        return input + "." + Self.base64URL(signature)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// POSTs JSON to a served webhook path; answers status and JSON body.
    func post(_ path: String, _ json: JSONValue, headers: [(String, String)] = []) async throws -> (status: Int, json: JSONValue) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhook/\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: json.jsonString()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        return (Int(response.status.code), text.isEmpty ? .null : ((try? JSONValue(parsing: text)) ?? .string(text)))
    }

    /// A gateway request as a signed-in user.
    func gateway(_ path: String, _ json: JSONValue, token: String) async throws -> (status: Int, json: JSONValue) {
        try await post(path, json, headers: [("Authorization", "Bearer \(token)")])
    }

    /// One number from SQL run as the owner.
    func count(_ sql: String) throws -> Int {
        Int(try database.owner(sql).first ?? "") ?? -1
    }

    /// Runs ai-enrichment for `prospectIDs` outside the server, on the same services and clock.
    func enrichAgain(_ prospectIDs: [String]) async throws -> [ExecutionResult] {
        let path = Self.workflowsDirectory + "/ai-enrichment.json"
        let loader = WorkflowLoader(configuration: .init(
            fillsAuthoringDefaults: true, newestTypeVersion: { NodeRegistry.builtIn.newestVersion(of: $0) }))
        guard let document = loader.load(contentsOf: path).document else { throw Failure(description: "\(path): not loadable") }
        let (graph, _) = WorkflowGraph.build(document, registry: .builtIn)
        let clock = self.clock
        var configuration = Engine.Configuration(
            nowMilliseconds: { clock.now.timeIntervalSince1970 * 1000 }, defaultTimeZone: "UTC",
            environment: environment, envAccessAllowed: true, services: runtime.services)
        configuration.subworkflows = FileSubworkflowRunner(registry: .builtIn, baseDirectory: Self.workflowsDirectory)
        let engine = Engine(configuration: configuration)
        var results: [ExecutionResult] = []
        for id in prospectIDs {
            let options = Engine.RunOptions(mode: .integrated, startNode: "Enrich a prospect", input: [Item(json: ["prospectId": .string(id)])])
            results.append(await engine.run(graph, options: options))
        }
        return results
    }
}
