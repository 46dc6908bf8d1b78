import FlowrunRedis
import Foundation
import PostgresNIO

/// Queue mode: executions per second through `flowrun serve --queue … --store postgres://…` with
/// one and with two `flowrun worker` processes (each at its default concurrency). wrk sends the
/// webhook suite's requests to the main process; each answer waits for the worker's reply (the
/// workflow answers from its Respond to Webhook node), so answered requests per second are
/// executions per second, each recorded in Postgres. Uses its own Postgres database
/// (`flowbench_queue`, dropped at the end) and Redis database 12 (flushed before each run).
struct QueueSuite {
    let quick: Bool

    static let database = "flowbench_queue"
    static let redisDatabase = 12

    var environment: [String: String] { ProcessInfo.processInfo.environment }
    var adminURL: String { environment["FLOWRUN_TEST_POSTGRES_ADMIN_URL"] ?? "postgres://postgres:postgres@127.0.0.1:55432/postgres" }
    var postgresURL: String { environment["FLOWRUN_TEST_POSTGRES_URL"] ?? "postgres://flowrun:flowrun@127.0.0.1:55432/flowrun" }
    var redisURL: String { environment["FLOWRUN_TEST_REDIS_URL"] ?? "redis://127.0.0.1:56379" }

    func run(into report: inout Report) async throws {
        let flowrun = try ChildProcess.product("flowrun")
        let folder = try WebhookSuite.scratchFolder("queue")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workflows = try WebhookSuite.writeWorkflow(in: folder)
        guard var store = URLComponents(string: postgresURL) else { throw ChildProcess.Failure(description: "\(postgresURL): not a URL") }
        store.path = "/" + Self.database
        let storeURL = store.string ?? postgresURL
        let queueURL = redisURL + "/\(Self.redisDatabase)"
        let seconds = quick ? 5 : 20
        let wrk = Wrk(folder: folder)
        let rates: [Int: Wrk.Result]
        do {
            rates = try await measure(flowrun: flowrun, workflows: workflows, storeURL: storeURL, owner: store.user ?? "flowrun",
                                      queueURL: queueURL, folder: folder, wrk: wrk, seconds: seconds)
        } catch {
            try? await Self.dropDatabase(adminURL)
            throw error
        }
        try await Self.dropDatabase(adminURL)
        guard let one = rates[1], let two = rates[2] else { return }
        let setup = "wrk -t\(wrk.threads) -c\(wrk.connections), \(seconds) s, Postgres store, Redis stream"
        report.add("queue", "queue_eps_1", one.goodRequestsPerSecond, unit: "exec/s",
                   note: "1 worker; \(setup); p99 \(Report.format(one.p99Milliseconds)) ms\(WebhookSuite.problems(one))")
        report.add("queue", "queue_eps_2", two.goodRequestsPerSecond, unit: "exec/s",
                   note: "2 workers; p99 \(Report.format(two.p99Milliseconds)) ms\(WebhookSuite.problems(two))")
        report.add("queue", "queue_scaling", two.goodRequestsPerSecond / one.goodRequestsPerSecond, unit: "×", note: "queue_eps_2 / queue_eps_1")
    }

    /// One run per worker count, each on a fresh database and an empty Redis database.
    func measure(
        flowrun: String, workflows: String, storeURL: String, owner: String, queueURL: String, folder: String, wrk: Wrk, seconds: Int
    ) async throws -> [Int: Wrk.Result] {
        var rates: [Int: Wrk.Result] = [:]
        for workers in [1, 2] {
            try await Self.recreateDatabase(adminURL, owner: owner)
            try await RedisClient.withClient(url: queueURL) { redis in _ = try await redis.send(["FLUSHDB"]) }
            var environment = self.environment
            environment["FLOWRUN_DATA_DIR"] = folder + "/data"
            let port = try ServerProcess.freePort()
            let main = ["serve", "--queue", queueURL, "--store", storeURL, "--host", "127.0.0.1", "--port", String(port), workflows]
            // The workers outlive the main process: it stops first, once the replies to the
            // requests wrk left in flight have come (stopping the workers first left it waiting its
            // whole shutdown grace for them).
            rates[workers] = try await Self.withWorkers(workers, flowrun: flowrun, queueURL: queueURL, storeURL: storeURL, workflows: workflows,
                                                        folder: folder, environment: environment) {
                try await ServerProcess.with(flowrun, main, name: "flowrun serve --queue", logPath: folder + "/main.log",
                                             environment: environment) { server in
                    try await server.waitUntilReady("http://127.0.0.1:\(port)/healthz")
                    let url = "http://127.0.0.1:\(port)/webhook/\(WebhookSuite.path)"
                    try await WebhookSuite.checkAnswer(url, server: server)
                    _ = try wrk.post(url, body: WebhookSuite.requestBody, seconds: 3)
                    return try wrk.post(url, body: WebhookSuite.requestBody, seconds: seconds)
                }
            }
        }
        return rates
    }

    /// Starts `count` workers, runs `body`, stops them.
    static func withWorkers<T>(
        _ count: Int, flowrun: String, queueURL: String, storeURL: String, workflows: String, folder: String,
        environment: [String: String], _ body: () async throws -> T
    ) async throws -> T {
        var started: [ServerProcess] = []
        do {
            for index in 1...count {
                started.append(try ServerProcess(
                    flowrun, ["worker", "--queue", queueURL, "--store", storeURL, "--name", "flowbench-\(index)", workflows],
                    name: "flowrun worker \(index)", logPath: folder + "/worker\(index).log", environment: environment))
            }
            let result = try await body()
            for worker in started {
                guard worker.isRunning else { throw ChildProcess.Failure(description: "\(worker.name) died during the run\(worker.logTail())") }
            }
            for worker in started {
                do {
                    try worker.stop()
                } catch {
                    FileHandle.standardError.write(Data("flowbench: warning: \(error)\n".utf8))
                }
            }
            return result
        } catch {
            for worker in started { try? worker.stop() }
            throw error
        }
    }

    static func recreateDatabase(_ adminURL: String, owner: String) async throws {
        try await IntegrationsSuite.withPostgres(adminURL) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"))
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database) OWNER \"\(owner)\""))
        }
    }

    static func dropDatabase(_ adminURL: String) async throws {
        try await IntegrationsSuite.withPostgres(adminURL) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"))
        }
    }
}
