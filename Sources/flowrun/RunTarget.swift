import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation

/// The options `run` and `dry-run` share: which workflow, from which node, with which items.
struct RunTarget: ParsableArguments {
    @Argument(help: "The workflow file (.json, .yaml or .yml).")
    var file: String

    @Option(help: ArgumentHelp("Start items as JSON (an array of items or objects, or one object), or @file.", valueName: "json"))
    var input: String?

    @Option(help: ArgumentHelp("The node to start from (default: the workflow's start node).", valueName: "node"))
    var trigger: String?

    @Option(help: ArgumentHelp("The credentials file (YAML or JSON, possibly encrypted; default $FLOWRUN_CREDENTIALS).", valueName: "file"))
    var credentials: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where the embedded state lives (default .flowrun, or $FLOWRUN_DATA_DIR).", valueName: "dir"))
    var dataDirectory: String?

    @Option(help: ArgumentHelp("A postgres:// URL to keep state in Postgres instead of the embedded SQLite file ($FLOWRUN_STORE_URL).", valueName: "url"))
    var store: String?

    /// The runtime configuration: environment defaults overridden by the options.
    func runtimeConfiguration(recordsExecutions: Bool) -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        if let credentials { configuration.credentialsFile = credentials }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let store { configuration.storeURL = store }
        configuration.recordsExecutions = recordsExecutions
        return configuration
    }

    /// Loads the workflow and parses `--input`; prints what is wrong and exits 1 for a workflow
    /// that cannot run, 2 for input that is not JSON.
    func load() throws -> (graph: WorkflowGraph, items: [Item]?) {
        guard let graph = RunSupport.loadGraph(file) else { throw ExitCode(CLIExit.failure) }
        do {
            return (graph, try input.map(RunSupport.parseInput))
        } catch {
            printError("error: \(error)")
            throw ExitCode(CLIExit.usage)
        }
    }
}
