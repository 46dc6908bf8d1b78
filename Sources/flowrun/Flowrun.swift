import ArgumentParser
import FlowrunNodes
import FlowrunServer
import Foundation
import Logging

/// The `flowrun` command: an n8n-compatible workflow runtime.
@main
struct Flowrun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrun",
        abstract: "Load, check and run n8n workflows (JSON exports or the same structure in YAML).",
        discussion: """
            flowrun reads n8n workflow exports exactly as n8n writes them, or the same structure in \
            YAML, checks them and runs them with n8n's semantics.

            Examples:
              flowrun validate workflows/             check every file in a folder
              flowrun validate --format json a.json   diagnostics as JSON lines
              flowrun graph a.json                    a Mermaid diagram
              flowrun convert a.json --to yaml        the YAML form of an export

            Exit codes: 0 success, 1 a workflow is invalid or failed, 2 usage error. \
            See docs/cli.md for every command and option.
            """,
        version: "0.1.0",
        subcommands: [ValidateCommand.self, GraphCommand.self, ConvertCommand.self, RunCommand.self, DryRunCommand.self, TestCommand.self, NodesCommand.self, CredentialsCommand.self, ExecutionsCommand.self, WorkerCommand.self, ServeCommand.self]
    )

    /// Parses the command line and runs it, mapping ArgumentParser's usage errors to exit code 2.
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["FLOWRUN_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        // FLOWRUN_LOG_FORMAT=json: one JSON object per line (what log shippers read); text otherwise.
        if environment["FLOWRUN_LOG_FORMAT"] == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        // Code nodes capture the shared pool when they are configured, so install it before any
        // workflow loads: n8n's task-runner variables apply (docs/task-runners.md).
        do {
            let runners = try TaskRunnerPool.Configuration.fromEnvironment(environment)
            TaskRunnerPool.setShared(TaskRunnerPool(configuration: runners))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(CLIExit.failure)
        }
        do {
            var command = try parseAsRoot()
            // serve and worker run their tasks on NIO's event loops (FLOWRUN_EXECUTOR=pool: not),
            // installed before their first task.
            try EventLoopExecutor.install(for: command, environment: environment)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure { Self.exit(withError: error) }
            if error is ExitCode { Self.exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? CLIExit.usage : code.rawValue)
        }
    }
}

/// flowrun's exit codes (docs/cli.md).
enum CLIExit {
    static let success: Int32 = 0
    /// A workflow is invalid, or a run failed.
    static let failure: Int32 = 1
    /// The command line is wrong.
    static let usage: Int32 = 2
}

/// Writes text to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
