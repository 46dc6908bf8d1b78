import AsyncHTTPClient
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRedis
import FlowrunRuntime
import FlowrunStandIns
import Foundation
import Logging
import PostgresNIO

/// HTTP Request, Postgres insert and Redis set/get through flowrun (a workflow whose node runs over
/// N items, with the runtime's clients) beside the same calls made directly with the same client
/// libraries: HTTP GETs sent together over the client's pool and their JSON parsed, as the HTTP
/// Request node does; the baseline's Postgres inserts and Redis SET+GETs go one call at a time. Needs the test Postgres and Redis
/// (scripts/services/*.sh; URLs from FLOWRUN_TEST_POSTGRES_URL / FLOWRUN_TEST_REDIS_URL).
struct IntegrationsSuite {
    let quick: Bool

    var environment: [String: String] { ProcessInfo.processInfo.environment }
    var postgresURL: String { environment["FLOWRUN_TEST_POSTGRES_URL"] ?? "postgres://flowrun:flowrun@127.0.0.1:55432/flowrun" }
    var redisURL: String { environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379" }

    func run(into report: inout Report) async throws {
        let count = quick ? 300 : 2_000
        let logger = Logger(label: "flowbench", factory: { _ in SwiftLogNoOpLogHandler() })
        let credentials = try FixedCredentials(postgresURL: postgresURL, redisURL: redisURL)
        try await Runtime.with(RuntimeConfiguration(dataDirectory: NSTemporaryDirectory() + "flowbench-\(getpid())", recordsExecutions: false),
                               logger: logger) { runtime in
            var services = runtime.services
            services.credentials = credentials
            let engine = Engine(configuration: .init(services: services))
            try await TestHTTPServer.withRunning { server in
                server.script("/item", always: .json(#"{"ok": true, "n": 1}"#))
                let url = server.baseURL + "/item"
                let flowrun = try await Self.time { try await Self.run(engine, Self.httpWorkflow(url: url), count: count) }
                // The HTTP Request node sends an input's requests together (n8n's Promise.allSettled)
                // over the client's pool and parses each JSON answer; the baseline does the same
                // with AsyncHTTPClient's default pool (8 connections per host) and flowrun's parser.
                let direct = try await Self.time {
                    try await withThrowingTaskGroup(of: JSONValue.self) { group in
                        for _ in 0..<count {
                            group.addTask {
                                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                                let body = try await response.body.collect(upTo: 1 << 20)
                                return try JSONValue(parsing: Array(buffer: body))
                            }
                        }
                        var parsed = 0
                        for try await value in group where value != .null { parsed += 1 }
                        precondition(parsed == count, "every direct GET answers JSON")
                    }
                }
                report.add("integrations", "http_ratio", flowrun / direct, unit: "×",
                           note: "\(count) GETs: flowrun \(Self.ms(flowrun)) ms, AsyncHTTPClient \(Self.ms(direct)) ms")
            }

            let table = "flowbench_\(getpid())"
            try await Self.withPostgres(postgresURL) { client in
                _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int, name text, score int)"))
                let measured: (flowrun: Double, direct: Double)
                do {
                    let flowrun = try await Self.time { try await Self.run(engine, Self.postgresWorkflow(table: table), count: count) }
                    let direct = try await Self.time {
                        for i in 0..<count {
                            _ = try await client.query("INSERT INTO \(unescaped: table) (id, name, score) VALUES (\(i), \("user\(i)"), \(i % 100))")
                        }
                    }
                    measured = (flowrun, direct)
                } catch {
                    _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
                    throw error
                }
                _ = try await client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"))
                let (flowrun, direct) = measured
                report.add("integrations", "postgres_ratio", flowrun / direct, unit: "×",
                           note: "\(count) inserts: flowrun \(Self.ms(flowrun)) ms, PostgresNIO \(Self.ms(direct)) ms")
            }

            try await RedisClient.withClient(url: redisURL) { redis in
                let prefix = "flowbench:\(getpid()):"
                let flowrun = try await Self.time { try await Self.run(engine, Self.redisWorkflow(prefix: prefix), count: count) }
                let direct = try await Self.time {
                    for i in 0..<count {
                        _ = try await redis.set("\(prefix)d\(i)", .string("user\(i)"))
                        _ = try await redis.get("\(prefix)d\(i)")
                    }
                }
                _ = try await redis.send(["EVAL", "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", "0", .string(prefix + "*")])
                report.add("integrations", "redis_ratio", flowrun / direct, unit: "×",
                           note: "\(count) SET+GET: flowrun \(Self.ms(flowrun)) ms, RedisClient \(Self.ms(direct)) ms")
            }
        }
    }

    static func ms(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let start = Measure.now()
        try await body()
        return Double(Measure.now() - start) / 1e9
    }

    static func run(_ engine: Engine, _ workflow: String, count: Int) async throws {
        guard let document = WorkflowLoader().load(text: workflow, format: .json, fileName: "bench.json").document else {
            throw ChildProcess.Failure(description: "benchmark workflow does not load")
        }
        let graph = WorkflowGraph.build(document, registry: .builtIn, file: "bench.json").graph
        let items = (0..<count).map { Item(json: ["id": .number(Double($0)), "name": .string("user\($0)"), "score": .number(Double($0 % 100))]) }
        let result = await engine.run(graph, options: .init(startNode: "Start", input: items))
        if let error = result.error { throw ChildProcess.Failure(description: "benchmark workflow failed: \(error)") }
    }

    static func workflow(_ node: String) -> String {
        """
        {"name": "bench", "nodes": [
          {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
          \(node)],
         "connections": {"Start": {"main": [[{"node": "Call", "type": "main", "index": 0}]]}}}
        """
    }

    static func httpWorkflow(url: String) -> String {
        workflow(#"{"name": "Call", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [200, 0], "parameters": {"url": "\#(url)", "options": {}}}"#)
    }

    static func postgresWorkflow(table: String) -> String {
        workflow(#"""
            {"name": "Call", "type": "n8n-nodes-base.postgres", "typeVersion": 2.5, "position": [200, 0],
             "credentials": {"postgres": {"id": "pg", "name": "bench"}},
             "parameters": {"operation": "insert", "schema": {"__rl": true, "mode": "list", "value": "public"},
               "table": {"__rl": true, "mode": "name", "value": "\#(table)"},
               "columns": {"mappingMode": "autoMapInputData", "value": {}}, "options": {}}}
            """#)
    }

    static func redisWorkflow(prefix: String) -> String {
        """
        {"name": "bench", "nodes": [
          {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": {}},
          {"name": "Call", "type": "n8n-nodes-base.redis", "typeVersion": 1, "position": [200, 0],
           "credentials": {"redis": {"id": "redis", "name": "bench"}},
           "parameters": {"operation": "set", "key": "=\(prefix)f{{ $json.id }}", "value": "={{ $json.name }}", "keyType": "string"}},
          {"name": "Get", "type": "n8n-nodes-base.redis", "typeVersion": 1, "position": [400, 0],
           "credentials": {"redis": {"id": "redis", "name": "bench"}},
           "parameters": {"operation": "get", "propertyName": "value", "key": "=\(prefix)f{{ $json.id }}", "keyType": "string", "options": {}}}],
         "connections": {"Start": {"main": [[{"node": "Call", "type": "main", "index": 0}]]},
                         "Call": {"main": [[{"node": "Get", "type": "main", "index": 0}]]}}}
        """
    }

    static func withPostgres<T: Sendable>(_ url: String, _ body: (PostgresClient) async throws -> T) async throws -> T {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw ChildProcess.Failure(description: "\(url): not a postgres:// URL")
        }
        let configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres", password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        let client = PostgresClient(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}

/// The benchmark's credentials: the test Postgres and Redis, by type.
struct FixedCredentials: CredentialResolver {
    let postgres: ResolvedCredential
    let redis: ResolvedCredential

    init(postgresURL: String, redisURL: String) throws {
        guard let pg = URLComponents(string: postgresURL), let r = URLComponents(string: redisURL) else {
            throw ChildProcess.Failure(description: "bad service URLs")
        }
        postgres = ResolvedCredential(type: "postgres", id: "pg", name: "bench", data: [
            "host": .string(pg.host ?? "127.0.0.1"), "port": .number(Double(pg.port ?? 5432)),
            "database": .string(String(pg.path.dropFirst())), "user": .string(pg.user ?? "postgres"),
            "password": .string(pg.password ?? ""), "ssl": "disable",
        ])
        redis = ResolvedCredential(type: "redis", id: "redis", name: "bench", data: [
            "host": .string(r.host ?? "127.0.0.1"), "port": .number(Double(r.port ?? 6379)), "database": 0,
        ])
    }

    func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        switch type {
        case "postgres": postgres
        case "redis": redis
        default: throw NodeError(.credentials, "flowbench has no \(type) credential", node: node)
        }
    }
}
