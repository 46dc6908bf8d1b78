import FlowrunExpressions
import Foundation
import Testing

/// Runs every n8n expression case file under `<package root>/../shared/conformance/expressions`
/// through the conformance runner and requires at least 97% of the cases to pass. Prints the
/// pass count per file and every failing case.
@Suite("n8n expression cases")
struct ExpressionConformanceTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let cases = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/expressions")

    @Test("at least 97% of the shared expression cases pass")
    func sharedCases() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.cases.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        try #require(!files.isEmpty, "no case files in \(Self.cases.path)")
        var passed = 0
        var total = 0
        var failures: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.cases.appendingPathComponent(file), encoding: .utf8)
            let report = ExpressionConformance.run(caseFileText: text, fileName: file)
            print("\(file): \(report.passed)/\(report.results.count)")
            passed += report.passed
            total += report.results.count
            failures += report.results.filter { !$0.passed }.map(\.line)
        }
        for line in failures { print("failing: \(line)") }
        print("\(passed) passed, \(total - passed) failed")
        #expect(total > 0)
        #expect(Double(passed) >= 0.97 * Double(total), "\(passed)/\(total) expression cases pass; failing: \(failures.map { String($0.prefix(80)) })")
    }
}
