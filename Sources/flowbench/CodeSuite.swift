import FlowrunNodes

/// A Code node over 10,000 items (the round trip through the task runner) beside the same
/// function in plain Node.js.
struct CodeSuite {
    let quick: Bool

    func run(into report: inout Report) async throws {
        let count = quick ? 2_000 : 10_000
        let m = try await CodeNodeBenchmark.measure(itemCount: count, runs: quick ? 3 : 5, pool: TaskRunnerPool.shared)
        report.add("code", "code_ms", m.flowrunMilliseconds, unit: "ms", note: "Code node, \(count) items")
        report.add("code", "code_plain_node_ms", m.plainNodeMilliseconds, unit: "ms", note: "same function in plain Node.js")
        report.add("code", "code_ratio", m.ratio, unit: "×", note: "flowrun / plain Node.js")
    }
}
