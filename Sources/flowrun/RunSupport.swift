import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import FlowrunRuntime
import Foundation
import Logging

/// Loading a workflow file into a runnable graph, shared by `run`, `dry-run` and `test`.
enum RunSupport {
    /// Loads and resolves `file`; prints error diagnostics; nil when the file cannot run.
    static func loadGraph(_ file: String) -> WorkflowGraph? {
        // The structural checks of `validate` (names, connections, pin data) refuse a file before it
        // runs; the Code syntax check is left to `validate`, since it starts runner processes.
        let registry = NodeRegistry.builtIn
        var checks = WorkflowValidator.Configuration(loader: .flowrun)
        checks.isTrigger = { registry.isTrigger($0) }
        let report = WorkflowValidator(configuration: checks).validate(contentsOf: file)
        guard let document = report.document, report.isValid else {
            for diagnostic in report.diagnostics where diagnostic.severity == .error { printError(diagnostic.humanLine) }
            if report.diagnostics.isEmpty { printError("\(file): not a workflow") }
            return nil
        }
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: registry, file: file)
        var fatal = false
        for diagnostic in diagnostics where diagnostic.severity == .error {
            let blocking = [Diagnostic.Code.unsupportedNodeType, .unsupportedTypeVersion].contains(diagnostic.code)
                && !(diagnostic.node.flatMap { graph.node($0)?.disabled } ?? false)
            fatal = fatal || blocking
            printError(blocking ? diagnostic.humanLine : "warning: \(diagnostic.humanLine)")
        }
        return fatal ? nil : graph
    }

    /// The pinned items of the document, by node name.
    static func pinData(of graph: WorkflowGraph) -> [String: [Item]] {
        var out: [String: [Item]] = [:]
        for (node, value) in graph.document.pinData ?? [:] {
            out[node] = (value.arrayValue ?? []).map { Item(jsonValue: $0) }
        }
        return out
    }

    /// `--input`: JSON text, or `@file`; an array of items (or bare objects), or one object.
    static func parseInput(_ text: String) throws -> [Item] {
        let value: JSONValue
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            // Mapped and parsed in place, the pages passed given back as it goes: a 200 MB input is
            // neither copied into a String nor resident beside the items made from it.
            do throws(JSONFileError) {
                value = try JSONValue(contentsOfFile: path)
            } catch .unreadable {
                throw CLIError("\(path): cannot read the input file")
            } catch .syntax(let error) {
                throw CLIError("--input \(path): \(error)")
            }
        } else {
            do {
                value = try JSONValue(parsing: text)
            } catch {
                throw CLIError("--input: \(error)")
            }
        }
        if case .array(let a) = value { return a.map { Item(jsonValue: $0) } }
        return [Item(jsonValue: value)]
    }

    /// The folder of a workflow file (`.` for a bare file name).
    static func directory(of file: String) -> String {
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    /// The URL `flowrun serve` is reached at, for `$execution.resumeUrl`: `FLOWRUN_BASE_URL` or
    /// `WEBHOOK_URL` as serve reads them, else serve's default port on localhost.
    static func webhookBaseURL(_ environment: [String: String]) -> String {
        let url = [environment["FLOWRUN_BASE_URL"], environment["WEBHOOK_URL"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "http://localhost:5678"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// An engine configured for the command line: sub-workflows from files next to `file`.
    static func engine(for file: String, observers: [any ExecutionObserver] = [], services: NodeServices = NodeServices()) -> Engine {
        var configuration = Engine.Configuration(logger: cliLogger, observers: observers, services: services)
        configuration.subworkflows = FileSubworkflowRunner(
            registry: .builtIn, baseDirectory: directory(of: file), engineConfiguration: configuration)
        configuration.environment = ProcessInfo.processInfo.environment
        configuration.envAccessAllowed = RuntimeConfiguration(environment: configuration.environment).envAccessAllowed
        configuration.webhookBaseURL = webhookBaseURL(configuration.environment)
        return Engine(configuration: configuration)
    }
}

/// The logger library code gets from the command line (swift-log, bootstrapped in `Flowrun.main`).
let cliLogger = Logger(label: "flowrun")

/// A command-line failure with a message for standard error.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints one line per finished node on standard error (used when it is a terminal).
struct ProgressObserver: ExecutionObserver {
    func nodeFinished(_ node: String, record: NodeRunRecord, executionID: String) async {
        let items = record.output?.map { String($0.count) }.joined(separator: "/") ?? "-"
        let mark = record.status == .success ? "ok" : "failed"
        printError("  \(mark)  \(node)  items: \(items)  \(Int(record.executionTime)) ms")
    }
}

extension RunSupport {
    /// Starts the workflow's error workflow (`settings.errorWorkflow`, or its own Error Trigger) after
    /// a failed execution, with n8n's error data, as `n8n execute` does. It runs to its end; a
    /// failure to find or run it is reported on standard error and leaves the exit status alone.
    static func startErrorWorkflow(
        after result: ExecutionResult, of graph: WorkflowGraph, file: String, mode: ExecutionMode, engine: Engine.Configuration,
        settings: ErrorWorkflowLauncher.Configuration
    ) async {
        guard result.error != nil else { return }
        var settings = settings
        settings.baseDirectory = directory(of: file)
        do {
            let run = try await ErrorWorkflowLauncher(configuration: settings).launch(after: result, of: graph.document, mode: mode, engine: engine)
            if let failure = run?.error { printError("error: \(file): the error workflow failed: \(failure)") }
        } catch {
            printError("error: \(file): \(error)")
        }
    }

    /// Runs `body` inside a `Runtime` built from `configuration`; a runtime that cannot start
    /// (unreadable credentials file, unreachable store) is reported and exits 1.
    static func withRuntime<T: Sendable>(_ configuration: RuntimeConfiguration, _ body: (Runtime) async throws -> T) async throws -> T {
        do {
            return try await Runtime.with(configuration, logger: cliLogger, body)
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("error: \(error)")
            throw ExitCode(CLIExit.failure)
        }
    }
}
