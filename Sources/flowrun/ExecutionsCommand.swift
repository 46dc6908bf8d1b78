import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation

/// `flowrun executions list|show|retry|prune|recover|replay`
struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions",
        abstract: "List, inspect, retry, prune, recover and replay recorded executions.",
        discussion: """
            Every `flowrun run` is recorded in the state store: the SQLite file in the data directory \
            (default .flowrun, or $FLOWRUN_DATA_DIR), or Postgres with --store postgres://… \
            ($FLOWRUN_STORE_URL). See docs/executions.md.

            Examples:
              flowrun executions list --status error
              flowrun executions show 3kq9x0v2 --format json
              flowrun executions retry 3kq9x0v2
              flowrun executions prune --keep 1000
              flowrun executions recover
              flowrun executions replay 3kq9x0v2 --file flow.json
            """,
        subcommands: [List.self, Show.self, Retry.self, Prune.self, Recover.self, ReplayCommand.self]
    )
}

/// Where the executions are: the options every `executions` subcommand shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where the embedded state lives (default .flowrun, or $FLOWRUN_DATA_DIR).", valueName: "dir"))
    var dataDirectory: String?

    @Option(help: ArgumentHelp("A postgres:// URL of the shared state store ($FLOWRUN_STORE_URL).", valueName: "url"))
    var store: String?

    @Option(help: ArgumentHelp("The credentials file, for executions run again (retry, recover).", valueName: "file"))
    var credentials: String?

    func runtimeConfiguration() -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let store { configuration.storeURL = store }
        if let credentials { configuration.credentialsFile = credentials }
        configuration.recordsExecutions = true
        return configuration
    }

    /// Runs `body` with the runtime and its execution store; a store that cannot be opened is
    /// reported and exits 1.
    func withStore<T: Sendable>(_ body: (Runtime, any ExecutionStore) async throws -> T) async throws -> T {
        try await RunSupport.withRuntime(runtimeConfiguration()) { runtime in
            guard let store = runtime.services.executionStore else { throw CLIError("this configuration keeps no executions") }
            do {
                return try await body(runtime, store)
            } catch let error as StoreError {
                printError("error: \(error)")
                throw ExitCode(CLIExit.failure)
            }
        }
    }
}

extension Runtime {
    /// The engine a recorded workflow file runs again with (this runtime's services and observers).
    func cliEngine(_ file: String) -> Engine {
        RunSupport.engine(for: file, observers: observers, services: services)
    }
}

extension ExecutionsCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List executions, newest first.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Only executions with this status (new, running, success, error, canceled, crashed, waiting); repeatable.")
        var status: [String] = []

        @Option(help: "Only executions of this workflow id.")
        var workflow: String?

        @Option(help: "At most this many (default 50).")
        var limit: Int = 50

        @Option(help: "Output format: 'text' (default) or 'json'.")
        var format: NodesCommand.Format = .text

        func run() async throws {
            var statuses: Set<ExecutionRecord.Status>?
            if !status.isEmpty {
                statuses = []
                for name in status {
                    guard let s = ExecutionRecord.Status(rawValue: name) else {
                        printError("error: --status \(name): expected one of \(ExecutionRecord.Status.allCases.map(\.rawValue).joined(separator: ", "))")
                        throw ExitCode(CLIExit.usage)
                    }
                    statuses?.insert(s)
                }
            }
            let query = ExecutionQuery(statuses: statuses, workflowID: workflow, limit: limit)
            let records = try await storeOptions.withStore { _, store in try await store.executions(matching: query) }
            switch format {
            case .json:
                for record in records { print(ExecutionRendering.summary(record).jsonString()) }
            case .text:
                print(ExecutionRendering.table(records))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one execution: its record and every node run.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The execution id.")
        var id: String

        @Option(help: "Output format: 'text' (default) or 'json' (n8n's execution shape with the full run data).")
        var format: NodesCommand.Format = .text

        func run() async throws {
            let found = try await storeOptions.withStore { _, store -> (ExecutionRecord, [String: [NodeRunRecord]])? in
                guard let record = try await store.execution(id: id) else { return nil }
                return (record, try await Runtime.runData(store, executionID: id))
            }
            guard let (record, runData) = found else {
                printError("error: no execution with id \(id)")
                throw ExitCode(CLIExit.failure)
            }
            switch format {
            case .json: print(ExecutionRendering.full(record, runData: runData).jsonString(indent: 2))
            case .text: print(ExecutionRendering.text(record, runData: runData))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Run an execution again from its start, with its recorded trigger input, as a new execution.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The execution id.")
        var id: String

        func run() async throws {
            let result = try await storeOptions.withStore { runtime, _ in
                try await runtime.retryExecution(id: id, makeEngine: runtime.cliEngine)
            }
            print("execution \(result.executionID) (retry of \(id)): \(result.status.rawValue)\(result.error.map { ": \($0)" } ?? "")")
            if result.error != nil { throw ExitCode(CLIExit.failure) }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prune", abstract: "Delete ended executions (never unfinished ones).")

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("older-than"), help: ArgumentHelp("Only executions started more than this many days ago.", valueName: "days"))
        var olderThan: Double?

        @Option(help: ArgumentHelp("Keep the newest N ended executions.", valueName: "N"))
        var keep: Int?

        func validate() throws {
            if olderThan == nil && keep == nil { throw ValidationError("say what to prune: --older-than DAYS, --keep N, or both") }
        }

        func run() async throws {
            let before = olderThan.map { Date().timeIntervalSince1970 * 1000 - $0 * 86_400_000 }
            let deleted = try await storeOptions.withStore { _, store in try await store.pruneExecutions(startedBefore: before, keepingLast: keep) }
            print("deleted \(deleted) execution\(deleted == 1 ? "" : "s")")
        }
    }

    struct Recover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recover",
            abstract: "Find executions whose process died: mark them crashed, or resume those whose workflow opts in.",
            discussion: "A workflow opts in with settings.flowrun.resumeOnCrash: true; the node that was running runs again (at least once).")

        @OptionGroup var storeOptions: StoreOptions

        @Flag(name: .customLong("no-resume"), help: "Mark every orphaned execution crashed, even those that opt in to resuming.")
        var noResume = false

        func run() async throws {
            let report = try await storeOptions.withStore { runtime, _ in
                try await runtime.recoverExecutions(resume: !noResume, makeEngine: runtime.cliEngine)
            }
            for id in report.crashed { print("crashed  \(id)") }
            for result in report.resumed {
                print("resumed  \(result.executionID): \(result.status.rawValue)\(result.error.map { ": \($0)" } ?? "")")
            }
            for id in report.running { print("running  \(id) (its process is alive)") }
            if report.crashed.isEmpty && report.resumed.isEmpty { print("no orphaned executions") }
        }
    }
}
