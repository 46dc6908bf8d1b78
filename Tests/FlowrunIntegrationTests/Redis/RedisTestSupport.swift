import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRedis
import Foundation
import Logging
import Testing

/// The shared test server (FLOWRUN_TEST_REDIS_URL, default redis://127.0.0.1:56379, started by
/// scripts/services/redis.sh) and a unique key prefix per test.
enum RedisTestServer {
    static let url = ProcessInfo.processInfo.environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static var configuration: RedisConfiguration {
        get throws { try RedisConfiguration(url: url) }
    }

    /// A fresh prefix ("flowrun-test:<uuid>:") for the keys of one test.
    static func prefix() -> String { "flowrun-test:\(UUID().uuidString.prefix(8)):" }

    /// Runs `body` with a client, fails clearly when the server is unreachable, and deletes every
    /// key under `prefix` afterwards.
    static func withClient<T: Sendable>(
        prefix: String, maximumConnections: Int = 4, commandTimeout: Duration? = .seconds(10),
        _ body: (RedisClient) async throws -> T
    ) async throws -> T {
        var configuration = try configuration
        configuration.maximumConnections = maximumConnections
        configuration.commandTimeout = commandTimeout
        let client = RedisClient(configuration: configuration, logger: logger)
        do {
            try await client.send(["PING"])
        } catch {
            await client.shutdown()
            Issue.record("Redis is not reachable at FLOWRUN_TEST_REDIS_URL=\(url) (start it with scripts/services/redis.sh): \(error)")
            throw error
        }
        do {
            let result = try await body(client)
            try await cleanUp(prefix, client)
            await client.shutdown()
            return result
        } catch {
            try? await cleanUp(prefix, client)
            await client.shutdown()
            throw error
        }
    }

    static func cleanUp(_ prefix: String, _ client: RedisClient) async throws {
        let keys = try await client.send(["KEYS", .string(prefix + "*")]).array?.compactMap(\.string) ?? []
        try await client.delete(keys)
    }

    /// The `redis` credential of the test server (as n8n stores it).
    static func credential(password: String? = nil, user: String? = nil) throws -> ResolvedCredential {
        let c = try configuration
        var data: JSONObject = ["host": .string(c.host), "port": .number(Double(c.port)), "database": .number(Double(c.database))]
        if let password { data["password"] = .string(password) }
        if let user { data["user"] = .string(user) }
        return ResolvedCredential(type: "redis", id: "r1", name: "Test Redis", data: data)
    }
}

/// Resolves every `redis` reference to one credential.
struct FixedRedisCredentials: CredentialResolver {
    let credential: ResolvedCredential
    func resolve(type: String, reference: JSONValue?, node: String) async throws -> ResolvedCredential {
        guard type == "redis" else { throw NodeError(.credentials, "no \(type) credential", node: node) }
        return credential
    }
}

/// Runs the Redis node in a workflow (manual trigger → pinned items → Redis) with a RedisPool.
enum RedisNodeHarness {
    static func run(
        _ parameters: JSONObject, items: [JSONObject] = [[:]], pool: RedisPool, credential: ResolvedCredential? = nil,
        continueOnFail: Bool = false
    ) async throws -> ExecutionResult {
        var node: JSONObject = [
            "name": "Redis", "type": "n8n-nodes-base.redis", "typeVersion": 1, "position": [400, 0],
            "parameters": .object(parameters), "credentials": ["redis": ["id": "r1", "name": "Test Redis"]],
        ]
        if continueOnFail { node["onError"] = "continueRegularOutput" }
        let workflow: JSONValue = [
            "name": "redis", "settings": ["executionOrder": "v1"],
            "nodes": [
                ["name": "Trigger", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0], "parameters": [:]],
                ["name": "Data", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0], "parameters": [:]],
                .object(node),
            ],
            "connections": [
                "Trigger": ["main": [[["node": "Data", "type": "main", "index": 0]]]],
                "Data": ["main": [[["node": "Redis", "type": "main", "index": 0]]]],
            ],
        ]
        let loaded = WorkflowLoader().load(text: workflow.jsonString(), format: .json, fileName: "redis.json")
        let document = try #require(loaded.document, "\(loaded.diagnostics)")
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: .builtIn)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let services = NodeServices(credentials: FixedRedisCredentials(credential: try credential ?? RedisTestServer.credential()), redis: pool)
        let engine = Engine(configuration: .init(logger: RedisTestServer.logger, services: services))
        return await engine.run(graph, options: .init(pinData: ["Data": items.map { Item(json: $0) }]))
    }

    /// The Redis node's output items' json.
    static func output(_ result: ExecutionResult) -> [JSONObject] {
        (result.runData["Redis"]?.last?.output?.first ?? []).map(\.json)
    }
}
