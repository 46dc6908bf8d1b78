import AsyncHTTPClient
import FlowrunExpressions
import Foundation
import NIOCore
import Testing

/// A `flowrun serve` process on 127.0.0.1 and a port it picks, with JSON logs in a file.
struct ServeProcess {
    let process: Process
    let port: Int
    let logFile: URL

    /// Starts `flowrun serve ARGUMENTS` in `directory` and waits (up to 120 s) until it listens.
    static func start(_ arguments: [String], environment: [String: String] = [:], in directory: URL, logName: String) async throws -> ServeProcess {
        let binary = try FlowrunBinary.require()
        let logFile = directory.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--log-format", "json", "--reload-interval", "0"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let port = Self.logLines(logFile).lazy.compactMap({ $0["flowrun.port"]?.stringValue.flatMap(Int.init) }).first {
                return ServeProcess(process: process, port: port, logFile: logFile)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        throw ServeTestError(description: "flowrun serve did not start listening: \(log.suffix(2000))")
    }

    /// The JSON log lines written so far.
    static func logLines(_ file: URL) -> [JSONObject] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)).objectValue }
    }

    var logLines: [JSONObject] { Self.logLines(logFile) }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM, then waits up to 60 s for the graceful exit (SIGKILL after that).
    func terminate() async throws {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct Answer: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    func request(_ method: String, _ path: String, json: JSONValue? = nil, timeout: Int64 = 60) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.jsonString()))
        }
        let response = try await Self.client.execute(request, timeout: .seconds(timeout))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: String(buffer: body))
    }

    /// Polls `check` every 200 ms until it holds or `seconds` pass.
    static func eventually(seconds: Double = 120, _ check: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await check()
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
}
