import Foundation
import Testing

@testable import FlowrunExpressions

/// Runs the shared n8n expression cases through the conformance runner and reports per file.
@Suite("Expression conformance cases")
struct ConformanceRunTests {
    /// `<package root>/../shared/conformance/expressions` (CI checks out `shared` beside the clone).
    static var casesDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance/expressions")
    }

    @Test("at least 97% of the shared expression cases pass")
    func sharedCases() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.casesDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(!files.isEmpty, "no case files in \(Self.casesDirectory.path)")
        var passed = 0
        var total = 0
        var failures: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.casesDirectory.appendingPathComponent(file), encoding: .utf8)
            let report = ExpressionConformance.run(caseFileText: text, fileName: file)
            print("\(file): \(report.passed)/\(report.results.count)")
            passed += report.passed
            total += report.results.count
            failures += report.results.filter { !$0.passed }.map(\.line)
        }
        for line in failures { print("FAIL \(line)") }
        print("\(passed) passed, \(total - passed) failed")
        #expect(Double(passed) >= 0.97 * Double(total), "\(passed)/\(total) cases pass")
    }
}
