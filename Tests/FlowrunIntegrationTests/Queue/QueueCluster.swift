import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import FlowrunRedis
import Foundation
import Testing

/// One `flowrun serve --queue` main process or more and `flowrun worker` processes (the real
/// binaries) on loopback, sharing a fresh Postgres schema and a fresh Redis key prefix.
final class QueueCluster: @unchecked Sendable {
    // @unchecked: the test drives the cluster from one task; `Process` handles are only touched there.
    static var redisURL: String { ProcessInfo.processInfo.environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379" }

    let directory: URL
    let schema: String
    let prefix: String
    let store: PostgresStateStore
    let redis: RedisClient
    private(set) var processes: [String: Process] = [:]

    init(directory: URL, schema: String, prefix: String, store: PostgresStateStore, redis: RedisClient) {
        self.directory = directory
        self.schema = schema
        self.prefix = prefix
        self.store = store
        self.redis = redis
    }

    /// Writes `workflows` (file name → JSON) into a fresh folder, runs `body`, then stops every
    /// process, drops the schema and deletes the Redis keys.
    static func with<T: Sendable>(workflows: [String: JSONValue], _ body: (QueueCluster) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(StoreFixtures.uniqueName("flowrun-queue"))
        let folder = directory.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        for (name, document) in workflows {
            try document.jsonString(indent: 2).write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let schema = StoreFixtures.uniqueName("queue_test")
        let prefix = "test-queue-\(UInt32.random(in: 1...UInt32.max))"
        let configuration = PostgresStateStore.Configuration(url: StoreFixtures.postgresURL, schema: schema)
        return try await PostgresStateStore.with(configuration, logger: StoreFixtures.logger) { store in
            try await RedisClient.withClient(url: redisURL) { redis in
                let cluster = QueueCluster(directory: directory, schema: schema, prefix: prefix, store: store, redis: redis)
                do {
                    let result = try await body(cluster)
                    await cluster.cleanUp()
                    return result
                } catch {
                    await cluster.cleanUp()
                    throw error
                }
            }
        }
    }

    private func cleanUp() async {
        for process in processes.values where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes.values { process.waitUntilExit() }
        try? await store.dropSchema()
        if let keys = try? await redis.send(["KEYS", .string(prefix + "*")]).array?.compactMap(\.string) {
            _ = try? await redis.delete(keys)
        }
        // FLOWRUN_TEST_KEEP_LOGS=1 keeps the processes' logs (logs/<name>.log) for a look.
        if ProcessInfo.processInfo.environment["FLOWRUN_TEST_KEEP_LOGS"] != "1" { try? FileManager.default.removeItem(at: directory) }
    }

    var environment: [String: String] {
        [
            "FLOWRUN_STORE_SCHEMA": schema, "FLOWRUN_QUEUE_PREFIX": prefix, "FLOWRUN_QUEUE_URL": Self.redisURL,
            "FLOWRUN_STORE_URL": StoreFixtures.postgresURL, "FLOWRUN_LOG_LEVEL": "info",
        ]
    }

    /// Starts `flowrun ARGUMENTS` as `name`; its output goes to logs/<name>.log.
    @discardableResult
    func launch(_ name: String, _ arguments: [String]) throws -> Process {
        let binary = try FlowrunBinary.require()
        let log = directory.appendingPathComponent("logs/\(name).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes[name] = process
        return process
    }

    /// Starts a main process (with extra `serve` flags); returns its port once it listens.
    func startMain(_ name: String, arguments: [String] = []) async throws -> Int {
        try launch(name, ["serve", "--host", "127.0.0.1", "--port", "0", "--reload-interval", "0"] + arguments + ["workflows"])
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let port = listeningPort(name) { return port }
            guard processes[name]?.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw QueueClusterError(description: "\(name) did not start listening: \(tail(name))")
    }

    /// Starts a worker named `name` (its consumer name too).
    func startWorker(_ name: String, concurrency: Int = 4) throws {
        try launch(name, ["worker", "--name", name, "--concurrency", String(concurrency), "workflows"])
    }

    /// SIGKILLs a process and waits for it to end.
    func kill9(_ name: String) {
        guard let process = processes[name] else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERMs a process and waits up to `timeout` for it to end (then SIGKILL).
    func stop(_ name: String, timeout: Duration = .seconds(60)) async throws {
        guard let process = processes[name], process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill9(name) }
    }

    func listeningPort(_ name: String) -> Int? {
        let text = (try? String(contentsOf: directory.appendingPathComponent("logs/\(name).log"), encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Listening") }),
              let range = line.range(of: #"flowrun\.port=\d+"#, options: .regularExpression)
        else { return nil }
        return Int(line[range].dropFirst("flowrun.port=".count))
    }

    /// A process's log so far.
    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("logs/\(name).log"), encoding: .utf8)) ?? ""
    }

    /// The last lines of a process's log (for failure messages).
    func tail(_ name: String, lines: Int = 15) -> String {
        log(name).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Every execution of `workflowID` in the store.
    func executions(of workflowID: String) async throws -> [ExecutionRecord] {
        try await store.executions(matching: ExecutionQuery(workflowID: workflowID, limit: 100_000))
    }
}

struct QueueClusterError: Error, CustomStringConvertible {
    var description: String
}
