import Foundation
import Synchronization

/// Finds the runner programs and the language runtimes, and builds the command line.
///
/// Runners directory, first found: the configuration, `FLOWRUN_RUNNERS_DIR`, then next to the
/// executable (`<bin>/runners`, `<bin>/../share/flowrun/runners`) and in its parent folders (a
/// source checkout running `.build/debug/flowrun`), then the current directory.
struct RunnerLocator {
    let configuration: TaskRunnerPool.Configuration

    func launch(for language: TaskRunnerLanguage) throws(TaskRunnerError) -> RunnerProcess.Launch {
        let directory = try runnersDirectory(for: language)
        let program = (directory as NSString).appendingPathComponent(language.programPath)
        var environment = configuration.runnerEnvironment
        switch language {
        case .javaScript:
            let node = try executable(configured: configuration.nodeExecutable, names: ["node", "nodejs"], language: language)
            environment["FLOWRUN_ALLOW_BUILTIN"] = configuration.allowedBuiltinModules.joined(separator: ",")
            environment["FLOWRUN_ALLOW_EXTERNAL"] = configuration.allowedExternalModules.joined(separator: ",")
            // A young generation sized for whole tasks: items parsed, mapped and serialised in one
            // task mostly die before a scavenge instead of being copied by several (measured on
            // 10,000 items: runner CPU per task 56 -> 44 ms). Bounded by an eighth of the heap
            // limit, and Node's default (16 MB) for small limits.
            let semiSpace = max(16, min(64, configuration.memoryLimitMB / 8))
            var arguments = ["--max-old-space-size=\(configuration.memoryLimitMB)", "--max-semi-space-size=\(semiSpace)"]
            if configuration.restrictsRunnerPermissions {
                arguments += permissionArguments(node: node, runners: directory)
            }
            return RunnerProcess.Launch(executable: node, arguments: arguments + [program], environment: environment)
        case .python:
            let python = try executable(configured: configuration.pythonExecutable, names: ["python3"], language: language)
            environment["FLOWRUN_ALLOW_STDLIB"] = configuration.allowedBuiltinModules.joined(separator: ",")
            environment["FLOWRUN_ALLOW_EXTERNAL"] = configuration.allowedExternalModules.joined(separator: ",")
            return RunnerProcess.Launch(
                executable: python,
                arguments: ["-I", "-u", program, "--memory-mb", String(configuration.memoryLimitMB)],
                environment: environment)
        }
    }

    /// Node's permission model as a second wall behind the vm context: code that escapes the
    /// context still cannot spawn processes, write files or read outside the runner's own files,
    /// unless the allow lists ask for modules that need it. Node 20+ only; older Node runs without.
    func permissionArguments(node: String, runners: String) -> [String] {
        guard let major = Self.nodeMajorVersion(node), major >= 20 else { return [] }
        let builtins = Set(configuration.allowedBuiltinModules.map { $0.hasPrefix("node:") ? String($0.dropFirst(5)) : $0 })
        var arguments = [major >= 23 ? "--permission" : "--experimental-permission", "--no-warnings", "--allow-worker"]
        let everything = builtins.contains("*")
        if everything || !configuration.allowedExternalModules.isEmpty || builtins.contains("fs") || builtins.contains("fs/promises") {
            arguments.append("--allow-fs-read=*")
        } else {
            arguments += ["--allow-fs-read=\(runners)/*", "--allow-fs-read=/usr/share/nodejs/*"]
            if let module = configuration.runnerEnvironment["FLOWRUN_JMESPATH_MODULE"] { arguments.append("--allow-fs-read=\(module)") }
        }
        if everything || builtins.contains("fs") || builtins.contains("fs/promises") { arguments.append("--allow-fs-write=*") }
        if everything || builtins.contains("child_process") { arguments.append("--allow-child-process") }
        return arguments
    }

    private static let versions = Mutex<[String: Int?]>([:])

    /// `node --version`'s major number (cached per executable); nil when it cannot be read.
    static func nodeMajorVersion(_ node: String) -> Int? {
        if let cached = versions.withLock({ $0[node] }) { return cached }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = ["--version"]
        process.environment = [:]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var major: Int?
        if (try? process.run()) != nil {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            major = text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst().split(separator: ".").first.flatMap { Int($0) }
        }
        versions.withLock { $0[node] = major }
        return major
    }

    func runnersDirectory(for language: TaskRunnerLanguage) throws(TaskRunnerError) -> String {
        let manager = FileManager.default
        var candidates: [String] = []
        if let configured = configuration.runnersDirectory { candidates.append(configured) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["FLOWRUN_RUNNERS_DIR"] { candidates.append(fromEnvironment) }
        if configuration.runnersDirectory == nil {
            var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
                .deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("../share/flowrun/runners").standardized.path)
            for _ in 0..<6 {
                candidates.append(folder.appendingPathComponent("runners").path)
                folder = folder.deletingLastPathComponent()
            }
            candidates.append(manager.currentDirectoryPath + "/runners")
        }
        for candidate in candidates
        where manager.fileExists(atPath: (candidate as NSString).appendingPathComponent(language.programPath)) {
            return candidate
        }
        throw TaskRunnerError(
            .runtimeUnavailable,
            "cannot find the \(language.displayName) runner program (\(language.programPath)); set FLOWRUN_RUNNERS_DIR "
                + "to the folder holding flowrun's runners/")
    }

    private func executable(configured: String?, names: [String], language: TaskRunnerLanguage) throws(TaskRunnerError) -> String {
        let manager = FileManager.default
        if let configured {
            if configured.contains("/") {
                if manager.isExecutableFile(atPath: configured) { return configured }
            } else if let found = search(configured) {
                return found
            }
            throw TaskRunnerError(.runtimeUnavailable, "\(language.displayName) runtime \"\(configured)\" not found")
        }
        for name in names { if let found = search(name) { return found } }
        let package = language == .javaScript ? "nodejs" : "python3"
        throw TaskRunnerError(
            .runtimeUnavailable,
            "\(names[0]) is not installed, so \(language.displayName) Code nodes cannot run (install the \(package) package)")
    }

    private func search(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
