import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRuntime
import Foundation

/// `flowrun run FILE`
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow and print the items of the last node that ran.",
        discussion: """
            The run starts at the workflow's manual trigger (n8n's start node rules) or at the node \
            named by --trigger, which receives the --input items (default: one empty item). Pinned \
            data is honoured as in n8n's editor: a pinned node outputs its pinned items.

            Examples:
              flowrun run examples/if-branch.json
              flowrun run flow.yaml --input '[{"name": "Ada"}]' --output table
              flowrun run flow.json --trigger "Webhook" --input @request.json

            A Wait node that resumes on a webhook call leaves the execution waiting in the store: \
            the command prints the URL that resumes it on `flowrun serve` and exits 0.

            Exit codes: 0 success (or waiting), 1 the workflow is invalid or the execution failed, 2 usage error.
            """
    )

    @OptionGroup var target: RunTarget

    @Option(help: "How to print the items: 'json' (default) or 'table'.")
    var output: OutputFormat = .json

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json
        case table
    }

    func run() async throws {
        let (graph, items) = try target.load()
        let progress: [any ExecutionObserver] = isatty(STDERR_FILENO) == 1 ? [ProgressObserver()] : []
        var configuration = target.runtimeConfiguration(recordsExecutions: true)
        // Error workflows started by an opening breaker resolve relative files from the workflow's folder.
        configuration.resilience.errorWorkflows.baseDirectory = RunSupport.directory(of: target.file)
        let result = try await RunSupport.withRuntime(configuration) { runtime in
            let engine = RunSupport.engine(for: target.file, observers: progress + runtime.observers, services: runtime.services)
            let options = Engine.RunOptions(mode: .manual, startNode: target.trigger, input: items, pinData: RunSupport.pinData(of: graph))
            // Recorded before the first node runs (file, mode, start node, trigger input), so it can
            // be retried or recovered whatever happens next.
            if isatty(STDERR_FILENO) == 1 { printError("execution \(options.executionID)") }
            let result = try await runtime.execute(graph, file: target.file, engine: engine, options: options)
            await RunSupport.startErrorWorkflow(after: result, of: graph, file: target.file, mode: options.mode, engine: engine.configuration,
                                                settings: runtime.configuration.resilience.errorWorkflows)
            return result
        }
        // A Wait node that resumes on a webhook call parks the execution in the store; `flowrun serve`
        // with the same store resumes it, so this is not a failure.
        if let notice = Runtime.waitingNotice(result, graph: graph, webhookBaseURL: RunSupport.webhookBaseURL(configuration.environment)) {
            print(notice)
            return
        }
        if let error = result.error {
            printError("error: \(target.file): \(error)")
            throw ExitCode(CLIExit.failure)
        }
        let last = result.lastNodeOutput.first ?? []
        switch output {
        case .json:
            // Written out in pieces as it is encoded: a big result is not built as one string first.
            fflush(nil)  // whatever print() buffered goes first
            do {
                try JSONValue.array(last.map { .object($0.json) }).write(toFileDescriptor: STDOUT_FILENO, indent: 2, terminator: "\n")
            } catch {
                printError("error: standard output: \(error)")
                throw ExitCode(CLIExit.failure)
            }
        case .table: print(ItemTable.render(last))
        }
    }
}

/// Items as a plain-text table: one row per item, one column per top-level key.
enum ItemTable {
    static func render(_ items: [Item]) -> String {
        var columns: [String] = []
        for item in items { for key in item.json.keys where !columns.contains(key) { columns.append(key) } }
        if columns.isEmpty { return items.isEmpty ? "(no items)" : "(\(items.count) empty item\(items.count == 1 ? "" : "s"))" }
        let rows = items.map { item in
            columns.map { key -> String in
                guard let v = item.json[key] else { return "" }
                let text = v.stringValue ?? v.jsonString()
                return text.count > 40 ? String(text.prefix(39)) + "…" : text
            }
        }
        let widths = columns.indices.map { c in max(columns[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        var out = [line(columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}
