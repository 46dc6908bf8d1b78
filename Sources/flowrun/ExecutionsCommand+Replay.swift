import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation

extension ExecutionsCommand {
    /// `flowrun executions replay ID [--file F]` (also `flowrun dry-run --replay ID`).
    struct ReplayCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay a recorded execution offline and report where the workflow now behaves differently.",
            discussion: """
                Side-effecting nodes and triggers answer with the outputs they recorded; every other \
                node runs again (dry-run mode, virtual clock) and its output is compared with the \
                recording. Exit code 1 when anything differs, so CI can check a changed workflow \
                against real past runs.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The execution id.")
        var id: String

        @Option(help: ArgumentHelp("The workflow file to replay (default: the file the execution ran).", valueName: "file"))
        var file: String?

        @Option(help: "Output format: 'text' (default) or 'json'.")
        var format: NodesCommand.Format = .text

        func run() async throws {
            try await ReplayRunner.run(id: id, file: file, format: format, configuration: storeOptions.runtimeConfiguration())
        }
    }
}

/// Replay for the CLI, shared by `executions replay` and `dry-run --replay`.
enum ReplayRunner {
    /// Replays execution `id` against `file` (nil: the file it ran) and prints the report; exit 1
    /// when the replay differs from the recording.
    static func run(id: String, file: String?, format: NodesCommand.Format, configuration: RuntimeConfiguration) async throws {
        var configuration = configuration
        configuration.recordsExecutions = false
        let transport = DryRunTransport()
        let report = try await RunSupport.withRuntime(configuration) { runtime in
            var services = runtime.services
            services.http = transport
            do {
                return try await runtime.replayExecution(id: id, file: file) { path in RunSupport.engine(for: path, services: services) }
            } catch let error as StoreError {
                printError("error: \(error)")
                throw ExitCode(CLIExit.failure)
            }
        }
        switch format {
        case .json:
            let o: JSONObject = [
                "executionId": .string(report.executionID), "recordedStatus": .string(report.recordedStatus.rawValue),
                "replayedStatus": .string(report.replayedStatus.rawValue), "matches": .bool(report.matches),
                "answered": .array(report.answered.map(JSONValue.string)), "compared": .number(Double(report.compared)),
                "differences": .array(report.differences.map { d in
                    .object(["node": .string(d.node), "runIndex": .number(Double(d.runIndex)), "kind": .string(d.kind.rawValue), "detail": .string(d.detail)])
                }),
                "interceptedRequests": .array(transport.intercepted.map { .object(["method": .string($0.method), "url": .string($0.url)]) }),
            ]
            print(JSONValue.object(o).jsonString())
        case .text:
            print("Replay of \(report.executionID) (recorded \(report.recordedStatus.rawValue), replayed \(report.replayedStatus.rawValue)):")
            print("  answered from the recording: \(report.answered.isEmpty ? "none" : report.answered.joined(separator: ", "))")
            print("  node runs compared: \(report.compared)")
            for request in transport.intercepted { print("  intercepted: \(request.method) \(request.url) (not sent)") }
            if report.matches { print("  no differences") }
            for difference in report.differences { print("  DIFFERS \(difference)") }
        }
        if !report.matches { throw ExitCode(CLIExit.failure) }
    }
}
