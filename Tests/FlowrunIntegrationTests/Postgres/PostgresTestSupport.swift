import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunPostgres
import Foundation
import Logging
import Testing

/// A resolver that answers every `postgres` lookup with fixed data (tests only).
struct FixedPostgresCredential: CredentialResolver {
    var data: JSONObject
    func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        guard type == "postgres" else { throw NodeError(.credentials, "no \(type) credential in this test", node: node) }
        return ResolvedCredential(type: "postgres", id: "test", name: "test db", data: data)
    }
}

enum PostgresTest {
    static let logger = Logger(label: "flowrun.test.postgres")

    static var url: String {
        ProcessInfo.processInfo.environment["FLOWRUN_TEST_POSTGRES_URL"] ?? "postgres://flowrun:flowrun@127.0.0.1:55432/flowrun"
    }

    static var adminURL: String {
        ProcessInfo.processInfo.environment["FLOWRUN_TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres:postgres@127.0.0.1:55432/flowrun"
    }

    static func settings() throws -> PostgresConnectionSettings {
        var s = try PostgresConnectionSettings(url: url)
        s.connectTimeout = .seconds(5)
        return s
    }

    /// n8n's postgres credential fields for the test server.
    static func credential(_ settings: PostgresConnectionSettings) -> JSONObject {
        ["host": .string(settings.host), "port": .number(Double(settings.port)), "database": .string(settings.database),
         "user": .string(settings.user), "password": .string(settings.password), "ssl": "disable"]
    }

    /// A pool and a fresh schema (dropped afterwards, also when the body fails).
    static func withSchema(_ body: (PostgresPool, String) async throws -> Void) async throws {
        let settings = try settings()
        let schema = "pgtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await PostgresPool.with(logger: logger) { pool in
            try await pool.withConnection(settings) { c in _ = try await c.query("CREATE SCHEMA \"\(schema)\"", []) }
            do {
                try await body(pool, schema)
            } catch {
                try? await pool.withConnection(settings) { c in _ = try await c.query("DROP SCHEMA \"\(schema)\" CASCADE", []) }
                throw error
            }
            try await pool.withConnection(settings) { c in _ = try await c.query("DROP SCHEMA \"\(schema)\" CASCADE", []) }
        }
    }

    static func sql(_ pool: PostgresPool, _ text: String, _ binds: [JSONValue] = []) async throws -> SQLResult {
        try await pool.withConnection(try settings()) { try await $0.query(text, binds) }
    }

    static func locator(_ value: String) -> JSONValue {
        ["__rl": true, "mode": "name", "value": .string(value)]
    }

    /// Runs Trigger → Postgres (`name` "Postgres") over `input` items.
    static func run(
        _ parameters: JSONObject, version: Double = 2.5, input: [JSONObject] = [[:]], pool: PostgresPool,
        credential: JSONObject? = nil, continueOnFail: Bool = false
    ) async throws -> ExecutionResult {
        var node: JSONObject = [
            "name": "Postgres", "type": "n8n-nodes-base.postgres", "typeVersion": .number(version), "position": [200, 0],
            "parameters": .object(parameters), "credentials": ["postgres": ["id": "test", "name": "test db"]],
        ]
        if continueOnFail { node["onError"] = "continueRegularOutput" }
        let workflow: JSONValue = [
            "name": "pg", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                .object(node),
            ],
            "connections": ["Trigger": ["main": [[["node": "Postgres", "type": "main", "index": 0]]]]],
        ]
        let document = try #require(WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "pg.json").document)
        let graph = WorkflowGraph.build(document, registry: .builtIn).graph
        let resolver = FixedPostgresCredential(data: try credential ?? Self.credential(settings()))
        let engine = Engine(configuration: .init(services: NodeServices(credentials: resolver, postgres: pool)))
        return await engine.run(graph, options: .init(input: input.map { Item(json: $0) }))
    }

    static func output(_ result: ExecutionResult) -> [Item] {
        result.runData["Postgres"]?.last?.output?.first ?? []
    }

    static func json(_ result: ExecutionResult) -> [JSONObject] {
        output(result).map(\.json)
    }

    static func error(_ result: ExecutionResult) -> NodeError? {
        result.runData["Postgres"]?.last?.error
    }
}
