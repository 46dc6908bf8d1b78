import FlowrunCore
public import FlowrunExpressions
import Foundation
import Logging

/// Measures a Code node (`runOnceForAllItems`) over many items beside the same function run in
/// plain Node.js without flowrun (`runners/js/bench-plain.js`), for the benchmark program.
///
/// The flowrun side is what the node costs in a workflow: its `[Item]` input (each with the
/// `pairedItem` a previous node gives it) turned into the task, encoded, sent through the pipe,
/// run in a fresh vm context with n8n's result rules, sent back, decoded and turned into output
/// `Item`s. The runner process is warm (started by a first, untimed run), as in a running server.
/// The plain side calls the same function on the same values already in memory, JIT-warm (mean of
/// 5 calls after one untimed call): the floor a Code node could reach without a process boundary.
public enum CodeNodeBenchmark {
    /// One measurement, in milliseconds per run.
    public struct Measurement: Sendable {
        public var itemCount: Int
        /// Median of the runs through flowrun's runner pool.
        public var flowrunMilliseconds: Double
        /// The same function in plain Node.js (mean of 5 runs after a warm-up).
        public var plainNodeMilliseconds: Double
        /// flowrun / plain.
        public var ratio: Double { plainNodeMilliseconds > 0 ? flowrunMilliseconds / plainNodeMilliseconds : .infinity }
    }

    /// The function both sides run.
    public static let code = "return $input.all().map(item => ({ json: { ...item.json, total: item.json.price * 2 } }));"

    /// Runs the benchmark.
    ///
    /// - Throws: `TaskRunnerError` when Node.js or the runners are missing or a run fails.
    public static func measure(itemCount: Int = 10_000, runs: Int = 5, pool: TaskRunnerPool) async throws(TaskRunnerError) -> Measurement {
        let items: [Item] = (0..<itemCount).map { i in
            Item(json: ["id": .number(Double(i)), "name": .string("item \(i)"), "price": .number(Double(i) * 1.5), "tags": ["a", "b"]],
                 pairedItem: [PairedItem(item: i)])
        }
        let context = ExecutionContext(
            executionID: "bench", workflowID: "bench", workflowName: "bench", nodeName: "Code", nodeType: "n8n-nodes-base.code",
            typeVersion: 2, runIndex: 0, mode: .manual, logger: Logger(label: "flowrun.bench"), clock: ContinuousClock(),
            timeZone: "UTC", continueOnFail: false, nodeContext: NodeContextStore(), subworkflows: nil,
            evaluation: EvaluationContext(dataSource: EmptyRunData(), activeNode: "Code", inputItems: items, timeZone: "UTC"))
        func once() async throws(TaskRunnerError) -> Int {
            do {
                return try await CodeRun.run(
                    language: .javaScript, kind: .code, mode: "runOnceForAllItems", code: code, items: items, pool: pool,
                    context: context
                ).count
            } catch {
                throw TaskRunnerError(.userCode, "the benchmark's Code node failed: \(error)")
            }
        }
        _ = try await once()
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, runs) {
            let start = clock.now
            let produced = try await once()
            let elapsed = clock.now - start
            guard produced == itemCount else {
                throw TaskRunnerError(.protocolViolation, "benchmark produced \(produced) items, expected \(itemCount)")
            }
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        samples.sort()
        let plain = try plainNode(itemCount: itemCount, configuration: pool.configuration)
        return Measurement(itemCount: itemCount, flowrunMilliseconds: samples[samples.count / 2], plainNodeMilliseconds: plain)
    }

    private static func plainNode(itemCount: Int, configuration: TaskRunnerPool.Configuration) throws(TaskRunnerError) -> Double {
        let launch = try RunnerLocator(configuration: configuration).launch(for: .javaScript)
        let script = URL(fileURLWithPath: launch.arguments.last ?? "").deletingLastPathComponent().appendingPathComponent("bench-plain.js").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = [script, String(itemCount), code]
        process.environment = [:]
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch {
            throw TaskRunnerError(.runtimeUnavailable, "cannot start \(launch.executable): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let milliseconds = (try? JSONValue(parsing: Array(data)))?["milliseconds"]?.numberValue else {
            throw TaskRunnerError(.runtimeUnavailable, "the plain Node.js baseline did not report a time")
        }
        return milliseconds
    }
}
