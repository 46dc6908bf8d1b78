import ArgumentParser
import FlowrunCore
import Foundation

/// `flowrun validate PATH...`
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem found.",
        discussion: """
            Each PATH is a workflow file (.json, .yaml or .yml) or a folder, searched recursively for \
            such files. Every file is loaded and checked completely: invalid JSON or YAML (with line and \
            column), files that are not workflows, keys of the wrong type, duplicate node names, \
            connections to or from missing nodes, bad input indexes, unsupported node types and \
            versions, parameters of the wrong shape, pinned data of the wrong shape, credentials that \
            are not configured (a warning) and workflows without a trigger.

            Examples:
              flowrun validate my-workflow.json
              flowrun validate workflows/ examples/
              flowrun validate --format json exports/ | jq 'select(.valid | not)'
              flowrun validate --credentials credentials.json my-workflow.yaml

            Exit codes: 0 when every file is valid (warnings allowed), 1 when any file is invalid, \
            2 on usage errors (unknown option, no workflow files found in any PATH, an unreadable \
            credentials file).
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case human
        case json
    }

    @Argument(help: "Workflow files or folders to check.")
    var paths: [String] = []

    @Option(help: "Output: 'human' (default) or 'json' (one JSON object per file per line).")
    var format: OutputFormat = .human

    @Option(help: ArgumentHelp(
        "A credentials file (n8n's `export:credentials` JSON); referenced credentials missing from it are warnings. "
            + "Default: $FLOWRUN_CREDENTIALS_FILE.",
        valueName: "file"))
    var credentials: String?

    // Usage problems are found here, before running, so ArgumentParser shows this command's usage.
    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one workflow file or folder to check.") }
        _ = try credentialAvailability()
        if try WorkflowFiles.expand(paths).isEmpty {
            throw ValidationError("No workflow files (.json, .yaml, .yml) in \(paths.joined(separator: ", ")).")
        }
    }

    private func credentialAvailability() throws -> any CredentialAvailability {
        let environment = ProcessInfo.processInfo.environment["FLOWRUN_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = credentials ?? environment else { return NoCredentials() }
        do {
            return try ConfiguredCredentials(contentsOf: path)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let availability = try credentialAvailability()
        let files = try WorkflowFiles.expand(paths)
        let validator = WorkflowValidator(configuration: .flowrun(credentials: availability))
        var invalid = 0
        var errors = 0
        var warnings = 0
        for file in files {
            let report = validator.validate(contentsOf: file)
            if !report.isValid { invalid += 1 }
            errors += report.diagnostics.count { $0.severity == .error }
            warnings += report.diagnostics.count { $0.severity == .warning }
            switch format {
            case .json:
                print(report.jsonValue.jsonString())
            case .human:
                for diagnostic in report.diagnostics { print(diagnostic.humanLine) }
                if report.isValid && report.diagnostics.isEmpty { print("\(file): valid") }
            }
        }
        if format == .human && files.count > 1 {
            print("\(files.count) files checked: \(files.count - invalid) valid, \(invalid) invalid "
                  + "(\(errors) errors, \(warnings) warnings)")
        }
        if invalid > 0 { throw ExitCode(CLIExit.failure) }
    }
}

/// Expands command-line paths into workflow files.
enum WorkflowFiles {
    /// Files as given, and for folders every `.json`, `.yaml` and `.yml` file below them (hidden
    /// files and folders left out), sorted.
    /// A path that does not exist is kept, so that loading reports it; a folder without workflow
    /// files adds nothing.
    static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let root = URL(fileURLWithPath: path)
            let keys: [URLResourceKey] = [.isRegularFileKey]
            // Hidden folders (.git, .build) hold tool files, not workflows.
            if let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) {
                for case let url as URL in enumerator where WorkflowFormat(fileName: url.lastPathComponent) != nil {
                    // Linked files count; linked folders are not entered (they could loop).
                    let target = url.resolvingSymlinksInPath()
                    guard (try? target.resourceValues(forKeys: Set(keys)))?.isRegularFile == true else { continue }
                    let relative = url.path.dropFirst(root.path.count).drop { $0 == "/" }
                    found.append((path as NSString).appendingPathComponent(String(relative)))
                }
            }
            files += found.sorted()
        }
        return files
    }
}
