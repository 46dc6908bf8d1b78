import Foundation

extension TaskRunnerPool.Configuration {
    /// The configuration the executable uses: defaults overridden by n8n's task-runner variables, so
    /// a setup that works for n8n works for flowrun (docs/task-runners.md lists them).
    ///
    /// - `NODE_FUNCTION_ALLOW_BUILTIN`, `NODE_FUNCTION_ALLOW_EXTERNAL`: comma-separated module names, or `*`.
    /// - `N8N_RUNNERS_TASK_TIMEOUT`: seconds a task may run (default 60).
    /// - `N8N_RUNNERS_MAX_OLD_SPACE_SIZE`: heap limit per runner in MiB (default 512).
    /// - `N8N_RUNNERS_MAX_CONCURRENCY`: runner processes per language (default 2).
    /// - `FLOWRUN_RUNNERS_DIR`, `FLOWRUN_NODE`, `FLOWRUN_PYTHON`: where the runners and interpreters are.
    /// - `FLOWRUN_RUNNERS_UNRESTRICTED=1`: start Node runners without Node's permission model.
    ///
    /// - Throws: `TaskRunnerPool.ConfigurationError` naming the variable when a number is not valid.
    public static func fromEnvironment(_ environment: [String: String]) throws(TaskRunnerPool.ConfigurationError) -> Self {
        var configuration = Self()
        func list(_ name: String) -> [String] {
            (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func positive(_ name: String) throws(TaskRunnerPool.ConfigurationError) -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value > 0 else {
                throw TaskRunnerPool.ConfigurationError(variable: name, message: "must be a positive whole number, not \"\(text)\"")
            }
            return value
        }
        configuration.allowedBuiltinModules = list("NODE_FUNCTION_ALLOW_BUILTIN")
        configuration.allowedExternalModules = list("NODE_FUNCTION_ALLOW_EXTERNAL")
        if let seconds = try positive("N8N_RUNNERS_TASK_TIMEOUT") { configuration.taskTimeout = .seconds(seconds) }
        if let megabytes = try positive("N8N_RUNNERS_MAX_OLD_SPACE_SIZE") { configuration.memoryLimitMB = megabytes }
        if let count = try positive("N8N_RUNNERS_MAX_CONCURRENCY") { configuration.maxProcessesPerLanguage = count }
        if let dir = environment["FLOWRUN_RUNNERS_DIR"], !dir.isEmpty { configuration.runnersDirectory = dir }
        if let node = environment["FLOWRUN_NODE"], !node.isEmpty { configuration.nodeExecutable = node }
        if let python = environment["FLOWRUN_PYTHON"], !python.isEmpty { configuration.pythonExecutable = python }
        if environment["FLOWRUN_RUNNERS_UNRESTRICTED"] == "1" { configuration.restrictsRunnerPermissions = false }
        return configuration
    }
}

extension TaskRunnerPool {
    /// A task-runner setting from the environment that cannot be used.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        public var variable: String
        public var message: String
        public var description: String { "\(variable): \(message)" }
    }
}
