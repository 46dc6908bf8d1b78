public import FlowrunExpressions
import Foundation

/// Measures a Code node task over many items (a full round trip through the runner: encoding,
/// the pipe, the vm, n8n's result validation, decoding) beside the same function run in plain
/// Node.js without flowrun (`runners/js/bench-plain.js`), for the benchmark program.
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
        let items: [JSONValue] = (0..<itemCount).map { i in
            ["json": ["id": .number(Double(i)), "name": .string("item \(i)"), "price": .number(Double(i) * 1.5), "tags": ["a", "b"]]]
        }
        let task: JSONObject = [
            "kind": "code", "mode": "runOnceForAllItems", "code": .string(code), "items": .array(items),
            "node": ["name": "Code", "type": "n8n-nodes-base.code", "typeVersion": 2, "parameters": [:]],
            "runIndex": 0, "workflowMode": "manual", "executionId": "bench", "workflow": ["id": "bench", "name": "bench", "active": false],
            "timezone": "UTC", "continueOnFail": false, "vars": [:], "env": .null,
        ]
        let host = SilentHost()
        _ = try await pool.run(.javaScript, task: task, host: host)
        var samples: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, runs) {
            let start = clock.now
            let result = try await pool.run(.javaScript, task: task, host: host)
            let produced = result.items.map(Item.init(jsonValue:)).count
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

    private struct SilentHost: TaskRunnerHost {
        func answer(method: String, params: JSONValue) async throws -> JSONValue {
            throw TaskRunnerError(.userCode, "not available in the benchmark")
        }
        func log(_ arguments: [String]) {}
    }
}
