import Foundation

/// Start-up: the wall time of `flowrun run` on the 5-node example, beside a hello-world Swift
/// binary built the same way. Both start as fresh processes, so the figure includes loading the
/// binary, parsing the command line, loading and validating the workflow, and running it.
struct StartupSuite {
    let quick: Bool
    let packageRoot: String

    func run(into report: inout Report) throws {
        let flowrun = try ChildProcess.product("flowrun")
        let hello = try ChildProcess.product("flowbench-hello")
        let workflow = packageRoot + "/examples/five-nodes.json"
        let samples = quick ? 5 : 21
        // Runs in a scratch data folder so the embedded store starts as it would on a new machine.
        let dataDir = NSTemporaryDirectory() + "flowbench-startup-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_DATA_DIR"] = dataDir
        let first = try ChildProcess.run(flowrun, ["run", workflow], environment: environment)
        guard first.exitStatus == 0 else {
            throw ChildProcess.Failure(description: "flowrun run \(workflow) exited with \(first.exitStatus)")
        }
        var flowrunTimes: [Double] = []
        var helloTimes: [Double] = []
        for _ in 0..<samples {
            flowrunTimes.append(try ChildProcess.run(flowrun, ["run", workflow], environment: environment).seconds)
            helloTimes.append(try ChildProcess.run(hello, []).seconds)
        }
        let startup = Measure.median(flowrunTimes) * 1000
        let baseline = Measure.median(helloTimes) * 1000
        report.add("startup", "startup_ms", startup, unit: "ms", note: "flowrun run examples/five-nodes.json, median of \(samples)")
        report.add("startup", "hello_ms", baseline, unit: "ms", note: "hello-world Swift binary")
        report.add("startup", "startup_ratio", startup / baseline, unit: "×", note: "flowrun / hello")
    }
}
