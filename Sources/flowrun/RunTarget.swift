import ArgumentParser
import FlowrunCore
import FlowrunExpressions

/// The options `run` and `dry-run` share: which workflow, from which node, with which items.
struct RunTarget: ParsableArguments {
    @Argument(help: "The workflow file (.json, .yaml or .yml).")
    var file: String

    @Option(help: ArgumentHelp("Start items as JSON (an array of items or objects, or one object), or @file.", valueName: "json"))
    var input: String?

    @Option(help: ArgumentHelp("The node to start from (default: the workflow's start node).", valueName: "node"))
    var trigger: String?

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
