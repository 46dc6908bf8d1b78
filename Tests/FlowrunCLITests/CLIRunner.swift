import Foundation
import Testing

/// Runs the built `flowrun` executable, as a user would.
struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `flowrun` binary next to the test bundle in the build products directory.
    static let executable: URL? = {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return candidates.map { $0.appendingPathComponent("flowrun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Output {
        let binary = try #require(executable, "the flowrun executable was not built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var variables = ProcessInfo.processInfo.environment
        variables["FLOWRUN_CREDENTIALS_FILE"] = nil
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The folder all test files go into; removed and recreated once per test process.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-cli-tests-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        atexit {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-cli-tests-\(getpid())")
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }()

    /// A fresh temporary folder holding `files` (relative path → contents).
    static func folder(_ files: [String: String]) throws -> URL {
        let root = scratch.appendingPathComponent(UUID().uuidString)
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let valid = """
        {"name":"Ok","nodes":[
          {"parameters":{},"id":"a1","name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
          {"parameters":{},"id":"a2","name":"Check","type":"n8n-nodes-base.if","typeVersion":2.2,"position":[220,0]},
          {"parameters":{},"id":"a3","name":"Done","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[440,0],"disabled":true}],
         "connections":{"Start":{"main":[[{"node":"Check","type":"main","index":0}]]},
                        "Check":{"main":[[{"node":"Done","type":"main","index":0}],[]]}},
         "settings":{"executionOrder":"v1"},"customKey":{"kept":[1,2]}}
        """

    static let invalid = """
        {"name":"Bad","nodes":[
          {"parameters":{},"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
          {"parameters":{},"name":"Start","type":"n8n-nodes-base.noOp","typeVersion":1,"position":[0,0]}],
         "connections":{"Start":{"main":[[{"node":"Missing","type":"main","index":0}]]}}}
        """
}
