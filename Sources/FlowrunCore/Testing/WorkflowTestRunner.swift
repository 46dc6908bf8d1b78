import Foundation
public import FlowrunExpressions

/// Runs workflow tests in n8n's own convention (its `NodeTestHarness`): a workflow whose `pinData`
/// holds the expected output of the pinned nodes. The pin data is removed before the run, so
/// pinned nodes really execute; output 0 of each of their runs is compared with the pinned items
/// (pairedItem and binary stripped, key order ignored). An optional top-level `trigger` key gives
/// the mode and the start item.
public struct WorkflowTestRunner: Sendable {
    public var registry: NodeRegistry
    public var engine: Engine
    /// How files are loaded (authoring defaults, newest type versions).
    public var loader: WorkflowLoader

    public init(registry: NodeRegistry, engine: Engine = Engine()) {
        self.registry = registry
        self.engine = engine
        self.loader = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: true, newestTypeVersion: { registry.newestVersion(of: $0) }))
    }

    /// The verdict for one file.
    public struct Outcome: Sendable {
        public enum Verdict: String, Sendable { case passed, failed, notATest }
        public var file: String
        public var verdict: Verdict
        /// Why it failed: one entry per failing node, or the load/run error.
        public var failures: [Failure]
        public var result: ExecutionResult?
    }

    /// One reason a test failed.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The pinned node, when the failure is about one.
        public var node: String?
        public var message: String
        public var expected: JSONValue?
        public var actual: JSONValue?

        public var description: String {
            var text = node.map { "node \"\($0)\": \(message)" } ?? message
            if let expected { text += "\n    expected: \(expected.jsonString())" }
            if let actual { text += "\n    actual:   \(actual.jsonString())" }
            return text
        }
    }

    /// Runs the workflow test in `path`.
    public func run(file path: String) async -> Outcome {
        let loaded = loader.load(contentsOf: path)
        guard var document = loaded.document else {
            let unparsable = loaded.diagnostics.contains { [.invalidJSON, .invalidYAML, .unreadableFile].contains($0.code) }
            if !unparsable { return Outcome(file: path, verdict: .notATest, failures: [], result: nil) }
            let reason = loaded.diagnostics.first.map { "\($0)" } ?? "not a workflow"
            return Outcome(file: path, verdict: .failed, failures: [Failure(message: reason)], result: nil)
        }
        guard document.fields["nodes"] != nil else {
            return Outcome(file: path, verdict: .notATest, failures: [], result: nil)
        }
        guard let pinData = document.pinData else {
            return Outcome(file: path, verdict: .failed, failures: [Failure(message: "Workflow data does not contain pinData")], result: nil)
        }
        let trigger = document.fields["trigger"]?.objectValue
        document.fields.removeValue(forKey: "pinData")
        document.fields.removeValue(forKey: "trigger")
        let directory = (path as NSString).deletingLastPathComponent
        document.nodes = document.nodes.map { node in
            var n = node
            if case .object(let params)? = node.fields["parameters"] {
                n.fields["parameters"] = Self.rewriteTestPaths(.object(params), directory: directory)
            }
            return n
        }
        let (graph, _) = WorkflowGraph.build(document, registry: registry, file: path)
        let mode = trigger?["mode"]?.stringValue.map(ExecutionMode.init) ?? .manual
        let input = trigger?["input"].map { Item(jsonValue: $0) } ?? Item()
        // Waits pass at once on a virtual clock, as n8n's Wait tests run with fake timers.
        var configuration = engine.configuration
        let clock = VirtualClock(wallClock: configuration.nowMilliseconds)
        configuration.clock = clock
        configuration.nowMilliseconds = { clock.milliseconds() }
        // A runaway loop fails the test quickly instead of running a million node runs.
        configuration.maxNodeRuns = min(configuration.maxNodeRuns, 100_000)
        let result = await Engine(configuration: configuration).run(graph, options: .init(mode: mode, input: [input], executionID: "1"))
        var failures: [Failure] = []
        for (node, expectedValue) in pinData {
            guard let runs = result.runData[node] else {
                failures.append(Failure(node: node, message: "Data for node \"\(node)\" is missing!"))
                continue
            }
            let expected: JSONValue = .array([expectedValue])
            let actual: JSONValue = .array(runs.map { run in
                guard let first = run.output?.first else { return .null }
                return .array(first.map(Self.cleaned))
            })
            if let difference = TestComparison.firstDifference(expected: expected, actual: actual) {
                failures.append(Failure(node: node, message: "output differs at \(difference)", expected: expected, actual: actual))
            }
        }
        if result.status == .error || result.status == .canceled {
            failures.append(Failure(node: result.error?.node, message: "execution ended with \(result.status.rawValue): \(result.error?.description ?? "unknown error")"))
        }
        return Outcome(file: path, verdict: failures.isEmpty ? .passed : .failed, failures: failures, result: result)
    }

    /// An actual item as the harness compares it: pairedItem and binary removed.
    static func cleaned(_ item: Item) -> JSONValue {
        var o: JSONObject = ["json": .object(item.json)]
        if let error = item.error {
            if case .object(let e) = error {
                var plain = JSONObject()
                for key in ["message", "name", "description", "context"] { if let v = e[key] { plain[key] = v } }
                o["error"] = .object(plain)
            } else {
                o["error"] = error
            }
        }
        return .object(o)
    }

    /// n8n's harness replaces `C:\Test\<name>` parameter strings with `<test directory>/<name>`.
    static func rewriteTestPaths(_ value: JSONValue, directory: String) -> JSONValue {
        switch value {
        case .string(let s):
            for prefix in ["C:\\Test\\", "=C:\\Test\\"] where s.hasPrefix(prefix) {
                let lead = prefix.hasPrefix("=") ? "=" : ""
                return .string(lead + directory + "/" + s.dropFirst(prefix.count))
            }
            return value
        case .object(let o):
            var out = JSONObject()
            for (k, v) in o { out[k] = rewriteTestPaths(v, directory: directory) }
            return .object(out)
        case .array(let a):
            return .array(a.map { rewriteTestPaths($0, directory: directory) })
        default:
            return value
        }
    }
}
