import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation

/// `flowrun test PATH...`
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run workflow tests: pinned data holds the expected output (n8n's own node-test convention).",
        discussion: """
            Every workflow file (folders are searched recursively) is one test. Its pinData is removed \
            before the run, so pinned nodes really execute; output 0 of each of their runs must equal \
            the pinned items (pairedItem and binary ignored, object key order ignored). A top-level \
            "trigger" key may give {"mode", "input"}. The run must end without an unhandled error. \
            Time zones follow n8n's test harness: the process runs in UTC and workflows without \
            settings.timezone use America/New_York.

            Prints a diff for each failing node, then "N passed, M failed". Exit 0 only when none failed.
            """
    )

    @Argument(help: "Workflow files or folders (with --expressions: expression case files or folders).")
    var paths: [String]

    @Flag(help: "Run n8n expression conformance case files (shared/conformance/expressions format) instead.")
    var expressions = false

    func run() async throws {
        setenv("TZ", "UTC", 1)
        tzset()
        if expressions {
            try runExpressionCases()
            return
        }
        let files = try WorkflowFiles.expand(paths)
        let runner = WorkflowTestRunner(registry: .builtIn, engine: RunSupport.engine(for: files.first ?? "."))
        var passed = 0
        var failed = 0
        for file in files {
            var fileRunner = runner
            fileRunner.engine = RunSupport.engine(for: file)
            let outcome = await fileRunner.run(file: file)
            switch outcome.verdict {
            case .notATest:
                continue
            case .passed:
                passed += 1
                print("PASS \(file)")
            case .failed:
                failed += 1
                print("FAIL \(file)")
                for failure in outcome.failures { print("  \(failure.description.replacingOccurrences(of: "\n", with: "\n  "))") }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(CLIExit.failure) }
    }

    /// Runs expression case files: prints each failing case (id, expected, got), then the totals.
    func runExpressionCases() throws {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".json") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var passed = 0
        var failed = 0
        for file in files {
            guard let data = manager.contents(atPath: file) else {
                printError("\(file): cannot read the file")
                failed += 1
                continue
            }
            let report = ExpressionConformance.run(caseFileText: String(decoding: data, as: UTF8.self), fileName: (file as NSString).lastPathComponent)
            for result in report.results where !result.passed { print(result.line) }
            passed += report.passed
            failed += report.failed
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(CLIExit.failure) }
    }
}
