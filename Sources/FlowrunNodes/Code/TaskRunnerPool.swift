public import FlowrunCore
public import FlowrunExpressions
import Foundation
import Synchronization

/// A supervised pool of long-lived task-runner processes, per language.
///
/// Processes start lazily on first use, serve one task at a time, and are replaced when they die,
/// exceed the time limit (killed) or the memory limit (the runtime aborts them). A runner failure
/// fails only the task that was running; the pool and flowrun go on. Share one pool per process.
public actor TaskRunnerPool {
    /// How runners are found, started and limited.
    public struct Configuration: Sendable {
        /// Folder holding `js/runner.js` and `python/runner.py`; nil = search (see `RunnerLocator`).
        public var runnersDirectory: String?
        /// The Node.js program; nil = `node` or `nodejs` on PATH.
        public var nodeExecutable: String?
        /// The Python program; nil = `python3` on PATH.
        public var pythonExecutable: String?
        /// Processes per language at most.
        public var maxProcessesPerLanguage: Int
        /// Longest a task may run before its runner is killed (n8n's N8N_RUNNERS_TASK_TIMEOUT).
        public var taskTimeout: Duration
        /// Heap limit per runner process in MiB (Node `--max-old-space-size`, Python address space).
        public var memoryLimitMB: Int
        /// Node.js built-in modules code may `require` (n8n's NODE_FUNCTION_ALLOW_BUILTIN); ["*"] = all.
        public var allowedBuiltinModules: [String]
        /// Other modules code may `require` (NODE_FUNCTION_ALLOW_EXTERNAL); ["*"] = all.
        public var allowedExternalModules: [String]
        /// The only environment variables a runner process gets (nothing of flowrun's is inherited).
        public var runnerEnvironment: [String: String]
        /// Starts Node runners under Node's permission model (no child processes, no file writes,
        /// reads only of the runner's files) unless the allow lists need more. Default on.
        public var restrictsRunnerPermissions: Bool = true
        /// Answers `this.helpers.httpRequest(options)` from code (n8n's request options as JSON) through
        /// flowrun's HTTP client, so credentials, retries and the circuit breaker apply; nil = not
        /// available (the code gets an error saying so). Dry runs should install a recording one.
        public var httpRequest: (@Sendable (_ options: JSONValue, _ context: ExecutionContext) async throws -> JSONValue)?

        public init(
            runnersDirectory: String? = nil, nodeExecutable: String? = nil, pythonExecutable: String? = nil,
            maxProcessesPerLanguage: Int = 2, taskTimeout: Duration = .seconds(60), memoryLimitMB: Int = 512,
            allowedBuiltinModules: [String] = [], allowedExternalModules: [String] = [],
            runnerEnvironment: [String: String] = [:]
        ) {
            self.runnersDirectory = runnersDirectory
            self.nodeExecutable = nodeExecutable
            self.pythonExecutable = pythonExecutable
            self.maxProcessesPerLanguage = max(1, maxProcessesPerLanguage)
            self.taskTimeout = taskTimeout
            self.memoryLimitMB = memoryLimitMB
            self.allowedBuiltinModules = allowedBuiltinModules
            self.allowedExternalModules = allowedExternalModules
            self.runnerEnvironment = runnerEnvironment
        }
    }

    public nonisolated let configuration: Configuration
    private var idle: [TaskRunnerLanguage: [RunnerProcess]] = [:]
    private var running: [TaskRunnerLanguage: Int] = [:]
    private var waiters: [TaskRunnerLanguage: [CheckedContinuation<Void, Never>]] = [:]
    private var launches: [TaskRunnerLanguage: RunnerProcess.Launch] = [:]
    /// Processes started so far (for tests and metrics).
    public private(set) var processesStarted = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    private static let sharedPool = Mutex(TaskRunnerPool())

    /// The process-wide pool registered Code nodes use (default configuration until
    /// `setShared(_:)`; the executable installs one built from its configuration at start).
    public static var shared: TaskRunnerPool { sharedPool.withLock { $0 } }

    /// Replaces the process-wide pool; nodes configured afterwards use it.
    public static func setShared(_ pool: TaskRunnerPool) {
        sharedPool.withLock { $0 = pool }
    }

    /// Runs one task and returns the runner's `done` message fields.
    ///
    /// - Parameters:
    ///   - task: the task object (without `type`/`id`, which are added).
    ///   - host: answers the runner's calls and records its console output.
    /// - Throws: `TaskRunnerError`.
    public func run(
        _ language: TaskRunnerLanguage, task: JSONObject, host: any TaskRunnerHost
    ) async throws(TaskRunnerError) -> TaskRunnerResult {
        try await run(language, task: task, items: nil, host: host)
    }

    /// Runs one task whose input items are written straight from `items` (not from `task["items"]`).
    ///
    /// With `readsItems` the answer's items come back as `Item`s (`TaskRunnerResult.itemList`) when
    /// they are plain items (CodeRun's rules for `pairedItem` applied), not as JSON.
    func run(
        _ language: TaskRunnerLanguage, task: JSONObject, items: [Item]?, host: any TaskRunnerHost, readsItems: Bool = false
    ) async throws(TaskRunnerError) -> TaskRunnerResult {
        let process = try await checkout(language)
        let session = RunnerSession(process: process, timeout: configuration.taskTimeout)
        let answer: Result<TaskRunnerResult, TaskRunnerError>
        do {
            answer = try await session.run(task: task, items: items, host: host, readsItems: readsItems)
        } catch {
            // No answer (killed, crashed, cancelled, garbled): the process may still be busy.
            checkin(process, healthy: false)
            throw error
        }
        checkin(process, healthy: process.isRunning && !process.wasKilled)
        return try answer.get()
    }

    /// Compiles code in a runner without running it: the first syntax error, or nil.
    public func checkSyntax(_ language: TaskRunnerLanguage, code: String) async throws(TaskRunnerError) -> SyntaxProblem? {
        let process = try await checkout(language)
        let session = RunnerSession(process: process, timeout: .seconds(10))
        do {
            let problem = try await session.check(code: code)
            checkin(process, healthy: true)
            return problem
        } catch {
            checkin(process, healthy: false)
            throw error
        }
    }

    /// Stops every idle runner (running tasks keep theirs until they finish).
    public func shutdown() {
        for (language, processes) in idle {
            for process in processes { process.terminate() }
            running[language, default: 0] -= processes.count
        }
        idle.removeAll()
    }

    private func checkout(_ language: TaskRunnerLanguage) async throws(TaskRunnerError) -> RunnerProcess {
        while true {
            while var list = idle[language], !list.isEmpty {
                let process = list.removeLast()
                idle[language] = list
                if process.isRunning { return process }
                running[language, default: 0] -= 1
            }
            if running[language, default: 0] < configuration.maxProcessesPerLanguage {
                running[language, default: 0] += 1
                do {
                    let launch = try launch(for: language)
                    let process = try RunnerProcess(language: language, launch: launch)
                    processesStarted += 1
                    try await awaitReady(process, program: launch.arguments.last ?? launch.executable)
                    return process
                } catch {
                    running[language, default: 0] -= 1
                    wakeOne(language)
                    throw error
                }
            }
            await withCheckedContinuation { waiters[language, default: []].append($0) }
        }
    }

    private func checkin(_ process: RunnerProcess, healthy: Bool) {
        if healthy && process.isRunning {
            idle[process.language, default: []].append(process)
        } else {
            process.terminate()
            running[process.language, default: 0] -= 1
        }
        wakeOne(process.language)
    }

    private func wakeOne(_ language: TaskRunnerLanguage) {
        if var list = waiters[language], !list.isEmpty {
            let waiter = list.removeFirst()
            waiters[language] = list
            waiter.resume()
        }
    }

    /// The message format flowrun and its runners speak (`protocol` in a runner's `ready` message).
    /// 2: task and answer items may come in parts (`items` messages). A runner of another version
    /// (runners from another flowrun release) is stopped with an error saying so.
    static let protocolVersion = 2

    private func awaitReady(_ process: RunnerProcess, program: String) async throws(TaskRunnerError) {
        for await line in process.lines {
            guard let message = try? JSONValue(parsing: Array(line)), message["type"]?.stringValue == "ready" else {
                continue
            }
            let version = message["protocol"]?.numberValue.map { Int($0) }
            guard version == Self.protocolVersion else {
                process.terminate()
                let spoken = version.map { "protocol \($0)" } ?? "no protocol version"
                throw TaskRunnerError(
                    .runtimeUnavailable,
                    "the \(process.language.displayName) runner \(program) speaks \(spoken), but this flowrun needs protocol "
                        + "\(Self.protocolVersion): use the runners that came with this flowrun (see FLOWRUN_RUNNERS_DIR)")
            }
            return
        }
        process.terminate()
        let stderr = process.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        throw TaskRunnerError(
            .runtimeUnavailable,
            "the \(process.language.displayName) runner did not start (\(process.exitDescription))"
                + (stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").last ?? "")"),
            details: stderr)
    }

    private func launch(for language: TaskRunnerLanguage) throws(TaskRunnerError) -> RunnerProcess.Launch {
        if let cached = launches[language] { return cached }
        let launch = try RunnerLocator(configuration: configuration).launch(for: language)
        launches[language] = launch
        return launch
    }
}

/// What a running task may ask of flowrun (`$('Node')` data, paired items, HTTP) and where its
/// console output goes. Called while the task runs, from the pool's task.
public protocol TaskRunnerHost: Sendable {
    /// Answers a runner call; a thrown error's message reaches the code as an exception.
    func answer(method: String, params: JSONValue) async throws -> JSONValue
    /// One `console.log` / `print` call, arguments already formatted as n8n shows them.
    func log(_ arguments: [String])
}

/// A successful task: the items (n8n's JSON form) and state the code changed.
public struct TaskRunnerResult: Sendable {
    /// The items in n8n's JSON form (empty when `itemList` holds them).
    public var items: [JSONValue]
    /// The items read straight into `Item`s (CodeRun's path), when they were plain items.
    var itemList: [Item]? = nil
    public var staticData: JSONValue?
    public var customData: JSONValue?
    /// The plain value a `raw` snippet returned (`CodeSnippet`).
    public var value: JSONValue?
}

/// A syntax error found by a runner's compiler, 1-based in the code.
public struct SyntaxProblem: Sendable, Hashable {
    public var message: String
    public var line: Int?
    public var column: Int?
}
