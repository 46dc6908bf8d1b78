public import FlowrunCore
public import FlowrunExpressions

/// Offline replay of a recorded execution against the current workflow file (Temporal's replay
/// testing): every side-effecting node and every trigger is answered with the output it recorded
/// (as pinned data), everything else runs again in dry-run mode on a virtual clock (Wait nodes do
/// not wait; `$now` starts at the recorded start), and each node's new output is compared with the
/// recorded one.
public enum Replay {
    /// What replaying found.
    public struct Report: Sendable {
        public var executionID: String
        public var recordedStatus: ExecutionRecord.Status
        public var replayedStatus: ExecutionStatus
        /// Nodes answered from the recording (side effects and triggers), in name order.
        public var answered: [String]
        /// Node runs compared (recorded and replayed).
        public var compared: Int
        public var differences: [Difference]
        /// Whether the replay behaved as the recording.
        public var matches: Bool { differences.isEmpty }
    }

    public struct Difference: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            /// The node ran in the recording, not in the replay.
            case notReplayed
            /// The node ran in the replay, not in the recording.
            case notRecorded
            /// Different number of outputs or items, or different item JSON.
            case output
            /// It failed in one and not the other.
            case status
            /// A side-effecting node ran several times with different outputs: the replay answers
            /// every run with the first (pinned data is per node).
            case pinnedRuns
        }

        public var node: String
        public var runIndex: Int
        public var kind: Kind
        public var detail: String

        public var description: String { "\(node) run \(runIndex): \(kind.rawValue): \(detail)" }
    }

    /// The pinned data answering side-effecting and trigger nodes from the recorded runs.
    public static func answers(_ graph: WorkflowGraph, recorded: [String: [NodeRunRecord]]) -> [String: [Item]] {
        var pins: [String: [Item]] = [:]
        for node in graph.nodes where node.description?.hasSideEffects == true || node.isTrigger {
            guard let first = recorded[node.name]?.first, let output = first.output?.first else { continue }
            pins[node.name] = output
        }
        return pins
    }

    /// Replays `execution` (its recorded runs `recorded`) on `engine`'s services, with the current `graph`.
    public static func run(
        _ execution: ExecutionRecord, recorded: [String: [NodeRunRecord]], graph: WorkflowGraph, engine: Engine
    ) async -> Report {
        var configuration = engine.configuration
        let clock = VirtualClock(wallClock: { execution.startedAt })
        configuration.clock = clock
        configuration.nowMilliseconds = { clock.milliseconds() }
        configuration.observers = []
        var pins = Runtime.pinData(graph)
        let answers = answers(graph, recorded: recorded)
        pins.merge(answers) { _, recorded in recorded }
        let input = execution.triggerInput?.arrayValue.map { $0.map(Item.init(jsonValue:)) }
        let options = Engine.RunOptions(mode: .dryRun, startNode: execution.startNode, input: input, pinData: pins,
                                        executionID: "replay-\(execution.id)")
        let result = await Engine(configuration: configuration).run(graph, options: options)
        var differences: [Difference] = []
        var compared = 0
        for name in Set(recorded.keys).union(result.runData.keys).sorted() {
            if answers[name] != nil {
                let outputs = (recorded[name] ?? []).map { $0.output?.first.map(jsonOf) }
                if Set(outputs.map { $0.map(JSONValue.array) ?? .null }).count > 1 {
                    differences.append(Difference(node: name, runIndex: 0, kind: .pinnedRuns,
                                                  detail: "\(outputs.count) recorded runs with different outputs; every replayed run got the first"))
                }
                continue
            }
            let old = recorded[name] ?? []
            let new = result.runData[name] ?? []
            for index in 0..<max(old.count, new.count) {
                guard index < old.count else {
                    differences.append(Difference(node: name, runIndex: index, kind: .notRecorded, detail: "ran in the replay only"))
                    continue
                }
                guard index < new.count else {
                    differences.append(Difference(node: name, runIndex: index, kind: .notReplayed, detail: "ran in the recording only"))
                    continue
                }
                compared += 1
                if let difference = compare(old[index], new[index]) {
                    differences.append(Difference(node: name, runIndex: index, kind: difference.0, detail: difference.1))
                }
            }
        }
        return Report(executionID: execution.id, recordedStatus: execution.status, replayedStatus: result.status,
                      answered: answers.keys.sorted(), compared: compared, differences: differences)
    }

    static func jsonOf(_ items: [Item]) -> [JSONValue] { items.map { .object($0.json) } }

    /// The first difference between a recorded and a replayed run of one node.
    static func compare(_ old: NodeRunRecord, _ new: NodeRunRecord) -> (Difference.Kind, String)? {
        if old.status != new.status {
            return (.status, "recorded \(old.status.rawValue)\(old.error.map { " (\($0.message))" } ?? ""), replayed \(new.status.rawValue)\(new.error.map { " (\($0.message))" } ?? "")")
        }
        let (a, b) = (old.output ?? [], new.output ?? [])
        if a.count != b.count { return (.output, "\(a.count) outputs recorded, \(b.count) replayed") }
        for output in a.indices {
            if a[output].count != b[output].count {
                return (.output, "output \(output): \(a[output].count) items recorded, \(b[output].count) replayed")
            }
            for item in a[output].indices where a[output][item].json != b[output][item].json {
                return (.output, "output \(output) item \(item): recorded \(clip(.object(a[output][item].json))), replayed \(clip(.object(b[output][item].json)))")
            }
        }
        return nil
    }

    static func clip(_ value: JSONValue) -> String {
        let text = value.jsonString()
        return text.count > 160 ? String(text.prefix(159)) + "…" : text
    }
}

extension Runtime {
    /// Replays recorded execution `id` against the workflow in `file` (default: the file it ran).
    ///
    /// - Throws: `StoreError` `.notFound` for an unknown id or a workflow that cannot be loaded.
    public func replayExecution(id: String, file: String? = nil, makeEngine: (String) -> Engine) async throws -> Replay.Report {
        guard let store = services.executionStore else {
            throw StoreError(.unavailable, "replay \(id): executions are not recorded in this configuration")
        }
        guard let execution = try await store.execution(id: id) else { throw StoreError(.notFound, "replay: no execution with id \(id)") }
        guard let path = file ?? execution.workflowFile else {
            throw StoreError(.notFound, "replay \(id): the execution did not record its workflow file; name one")
        }
        let graph = try Self.loadGraph(path)
        let recorded = try await Self.runData(store, executionID: id)
        return await Replay.run(execution, recorded: recorded, graph: graph, engine: makeEngine(path))
    }
}
