import AsyncHTTPClient
import Foundation

/// Memory: resident memory (VmRSS) of `flowrun serve workflows/` (the repository's workflows,
/// plus the webhook suite's workflow) idle after start, then after 10,000 webhook executions,
/// then after 10,000 more (growth beyond the first 10,000 would be a leak or an unbounded cache).
struct MemorySuite {
    let quick: Bool
    let packageRoot: String

    func run(into report: inout Report) async throws {
        let flowrun = try ChildProcess.product("flowrun")
        let folder = try WebhookSuite.scratchFolder("memory")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try WebhookSuite.writeWorkflow(in: folder)
        let count = quick ? 2_000 : 10_000
        let port = try ServerProcess.freePort()
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_DATA_DIR"] = folder + "/data"
        let arguments = ["serve", "--host", "127.0.0.1", "--port", String(port), packageRoot + "/workflows", bench]
        let (idle, loaded, again) = try await ServerProcess.with(flowrun, arguments, name: "flowrun serve", logPath: folder + "/serve.log",
                                                                 environment: environment) { server in
            try await server.waitUntilReady("http://127.0.0.1:\(port)/healthz")
            // Let start-up work (reload poll, schedules, lazy store opening) settle.
            try await Task.sleep(for: .seconds(2))
            let idle = try server.residentMegabytes()
            let url = "http://127.0.0.1:\(port)/webhook/\(WebhookSuite.path)"
            try await Self.post(url, body: WebhookSuite.requestBody, count: count, concurrency: 8, server: server)
            try await Task.sleep(for: .seconds(1))
            let loaded = try server.residentMegabytes()
            try await Self.post(url, body: WebhookSuite.requestBody, count: count, concurrency: 8, server: server)
            try await Task.sleep(for: .seconds(1))
            return (idle, loaded, try server.residentMegabytes())
        }
        report.add("memory", "idle_rss_mb", idle, unit: "MB", note: "flowrun serve workflows/ after start, VmRSS")
        report.add("memory", "loaded_rss_mb", loaded, unit: "MB",
                   note: "after \(count) webhook executions (8 at a time); \(Report.format(again)) MB after \(2 * count)")
    }

    /// `count` POSTs, `concurrency` at a time; every answer must be 200.
    static func post(_ url: String, body: String, count: Int, concurrency: Int, server: ServerProcess) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrency {
                let share = count / concurrency + (lane < count % concurrency ? 1 : 0)
                group.addTask {
                    for _ in 0..<share {
                        let (status, answer) = try await WebhookSuite.post(url, body: body)
                        guard status == 200 else {
                            throw ChildProcess.Failure(description: "\(server.name): POST \(url) answered \(status) \(answer)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
