import ArgumentParser
import FlowrunExpressions
import Foundation

/// flowrun's benchmark program: every figure beside a baseline measured in the same run.
@main
struct Flowbench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowbench",
        abstract: "Measure flowrun beside hand-written baselines and print the ratios.",
        discussion: """
            Build it in release mode: swift run -c release flowbench [--quick] [--json FILE].
            Figures are medians of several samples; ratios compare flowrun with a baseline measured
            in the same run, because absolute times on a shared machine are noise.
            """
    )

    @Flag(help: "A shorter run, for checks.")
    var quick = false

    @Option(name: .customLong("json"), help: "Also write the results as one JSON object to this file.")
    var jsonPath: String?

    static let allSuites = ["expressions", "engine", "code", "startup", "memory", "bigdata", "integrations", "webhook", "queue"]

    @Option(help: "Suites to run (comma-separated): \(allSuites.joined(separator: ", ")).")
    var suites = allSuites.joined(separator: ",")

    @Option(help: "The flowrun checkout (examples/ is read from it); default: the current folder.")
    var packageRoot = FileManager.default.currentDirectoryPath

    /// Internal: run the webhook suite's bare Hummingbird baseline server on this port instead.
    @Option(help: .private)
    var bareServerPort: Int?

    func validate() throws {
        for name in suiteNames where !Self.allSuites.contains(name) {
            throw ValidationError("unknown suite \"\(name)\" (suites: \(Self.allSuites.joined(separator: ", ")))")
        }
    }

    var suiteNames: [String] { suites.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() async throws {
        if let bareServerPort { return try await BareServer.run(port: bareServerPort) }
        var report = Report()
        var failed: [String] = []
        // In the order of allSuites; a suite that fails is reported and the others still run.
        for name in Self.allSuites where suiteNames.contains(name) {
            do {
                try await runSuite(name, into: &report)
            } catch {
                failed.append(name)
                FileHandle.standardError.write(Data("flowbench: suite \(name) failed: \(error)\n".utf8))
            }
        }
        print(report.markdown, terminator: "")
        if let jsonPath {
            try (report.json.jsonString(indent: 2) + "\n").write(toFile: jsonPath, atomically: true, encoding: .utf8)
        }
        if !failed.isEmpty { throw ExitCode.failure }
    }

    func runSuite(_ name: String, into report: inout Report) async throws {
        switch name {
        case "expressions": try ExpressionSuite(quick: quick).run(into: &report)
        case "engine": try await EngineSuite(quick: quick).run(into: &report)
        case "code": try await CodeSuite(quick: quick).run(into: &report)
        case "startup": try StartupSuite(quick: quick, packageRoot: packageRoot).run(into: &report)
        case "memory": try await MemorySuite(quick: quick, packageRoot: packageRoot).run(into: &report)
        case "bigdata": try BigDataSuite(quick: quick).run(into: &report)
        case "integrations": try await IntegrationsSuite(quick: quick).run(into: &report)
        case "webhook": try await WebhookSuite(quick: quick).run(into: &report)
        case "queue": try await QueueSuite(quick: quick).run(into: &report)
        default: throw ValidationError("unknown suite \"\(name)\"")
        }
    }
}
