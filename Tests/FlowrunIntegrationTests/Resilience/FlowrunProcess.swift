import FlowrunExpressions
import FlowrunPostgres
import Foundation
import Logging
import Testing

/// A real `flowrun` process started by a test (the binary next to the test bundle), its standard
/// error kept in a file so a test can wait for a log line and show the log when something fails.
final class FlowrunProcess: @unchecked Sendable {
    // @unchecked: `process` is only started in `init` and then read (pid, wait, signal), which
    // Foundation's Process allows from any thread.
    let process: Process
    let log: URL

    init(_ arguments: [String], environment: [String: String] = [:], in directory: URL, log: URL) throws {
        let binary = try FlowrunBinary.require()
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        env["FLOWRUN_STORE_SCHEMA"] = environment["FLOWRUN_STORE_SCHEMA"]
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        self.log = log
        try process.run()
        try output.close()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// The process's log so far.
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGKILL, then waits (up to a minute, polling) for the process to be reaped.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(20_000) }
    }

    /// Waits (polling, up to `seconds`) for the process to exit; its exit status.
    func exitStatus(within seconds: Double) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "flowrun \(process.arguments ?? []) still running after \(Int(seconds)) s; log:\n\(logText.suffix(2000))")
        if process.isRunning { kill() }
        return process.terminationStatus
    }

    /// The first JSON log line (`--log-format json`) whose message is `message`, waiting up to `seconds`.
    func logLine(_ message: String, within seconds: Double) async throws -> JSONObject {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for line in logText.split(separator: "\n") where line.contains(message) {
                if let object = (try? JSONValue(parsing: String(line)))?.objectValue, object["message"]?.stringValue == message {
                    return object
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no \"\(message)\" log line from flowrun \(process.arguments ?? []); log:\n\(logText.suffix(3000))")
        throw CancellationError()
    }

    /// `flowrun serve`'s port, from its "Listening" log line.
    func listeningPort(within seconds: Double = 120) async throws -> Int {
        let line = try await logLine("Listening", within: seconds)
        return try #require(line["flowrun.port"]?.stringValue.flatMap(Int.init), "Listening line without a port: \(line)")
    }
}

/// A database of its own on the test Postgres server (`FLOWRUN_TEST_POSTGRES_ADMIN_URL` creates it,
/// owned by the user of `FLOWRUN_TEST_POSTGRES_URL`), dropped afterwards.
enum OwnDatabase {
    static let logger = Logger(label: "flowrun.tests.resilience", factory: { _ in SwiftLogNoOpLogHandler() })

    static func with<T: Sendable>(_ prefix: String, _ body: (_ url: String) async throws -> T) async throws -> T {
        let name = "\(prefix)_\(UInt64.random(in: 1...UInt64.max))"
        let user = try PostgresConnectionSettings(url: PostgresTest.url)
        let admin = try PostgresConnectionSettings(url: PostgresTest.adminURL)
        let base = PostgresTest.url.split(separator: "?").first.map(String.init) ?? PostgresTest.url
        let url = base[..<(base.range(of: "/", options: .backwards)?.lowerBound ?? base.endIndex)] + "/" + name
        return try await PostgresPool.with(logger: logger) { pool in
            do {
                try await pool.withConnection(admin) { c in _ = try await c.query("CREATE DATABASE \"\(name)\" OWNER \"\(user.user)\"", []) }
            } catch {
                Issue.record("FLOWRUN_TEST_POSTGRES_ADMIN_URL (\(PostgresTest.adminURL)) cannot create a database: \(error)")
                throw error
            }
            do {
                let result = try await body(url)
                try await pool.withConnection(admin) { c in _ = try await c.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", []) }
                return result
            } catch {
                try? await pool.withConnection(admin) { c in _ = try await c.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", []) }
                throw error
            }
        }
    }
}
