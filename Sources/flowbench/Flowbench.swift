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

    @Option(help: "Suites to run (comma-separated): expressions, engine, code, startup, bigdata, integrations.")
    var suites = "expressions,engine,code,startup,bigdata,integrations"

    @Option(help: "The flowrun checkout (examples/ is read from it); default: the current folder.")
    var packageRoot = FileManager.default.currentDirectoryPath

    func run() async throws {
        let selected = Set(suites.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        var report = Report()
        if selected.contains("expressions") { try ExpressionSuite(quick: quick).run(into: &report) }
        if selected.contains("engine") { try await EngineSuite(quick: quick).run(into: &report) }
        if selected.contains("code") { try await CodeSuite(quick: quick).run(into: &report) }
        if selected.contains("startup") { try StartupSuite(quick: quick, packageRoot: packageRoot).run(into: &report) }
        if selected.contains("bigdata") { try BigDataSuite(quick: quick).run(into: &report) }
        if selected.contains("integrations") { try await IntegrationsSuite(quick: quick).run(into: &report) }
        print(report.markdown, terminator: "")
        if let jsonPath {
            try (report.json.jsonString(indent: 2) + "\n").write(toFile: jsonPath, atomically: true, encoding: .utf8)
        }
    }
}
