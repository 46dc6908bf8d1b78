public import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation

/// What crash recovery found and did.
public struct RecoveryReport: Sendable {
    /// Executions of dead owners marked `crashed`.
    public var crashed: [String] = []
    /// Executions of dead owners resumed from their last checkpoint (`settings.flowrun.resumeOnCrash`).
    public var resumed: [ExecutionResult] = []
    /// Unfinished executions whose owner is alive (left alone).
    public var running: [String] = []
}

extension Runtime {
    /// Finds unfinished executions whose owner is gone (its lease expired, or on this host its
    /// process no longer exists) and takes each over atomically: marks it `crashed`, or, when the
    /// workflow opts in (`settings.flowrun.resumeOnCrash: true`) and `resume` is set, resumes it
    /// from its last checkpoint in this process (the node that was running when the owner died runs
    /// again: at-least-once). Several processes may recover at once: each execution goes to one.
    ///
    /// - Parameter makeEngine: the engine to resume a workflow file with (configured with this
    ///   runtime's observers and services).
    public func recoverExecutions(resume: Bool, makeEngine: (String) -> Engine) async throws -> RecoveryReport {
        var report = RecoveryReport()
        guard let store = services.executionStore else { return report }
        let lease = recorder?.lease
        let owners = Dictionary(try await store.owners().map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        let now = OwnerLease.wallMilliseconds()
        let host = OwnerLease.hostName
        var deadOwners: Set<String> = []
        var toResume: [(ExecutionRecord, WorkflowGraph, Engine)] = []
        for execution in try await store.unfinishedExecutions() {
            if let ownerID = execution.ownerID, ownerID == lease?.owner.id { continue }
            // A waiting execution runs in no process: a webhook call or its wait limit resumes it.
            if execution.status == .waiting, execution.ownerID == nil { continue }
            if let ownerID = execution.ownerID, let owner = owners[ownerID], Self.isAlive(owner, host: host, now: now) {
                report.running.append(execution.id)
                continue
            }
            if let ownerID = execution.ownerID, owners[ownerID] != nil { deadOwners.insert(ownerID) }
            if resume, execution.resumeOnCrash, let lease, let file = execution.workflowFile, let graph = try? Self.loadGraph(file) {
                try await lease.ensureRegistered()
                guard try await store.takeOver(executionID: execution.id, from: execution.ownerID, to: lease.owner.id, status: .running, at: now) else { continue }
                toResume.append((execution, graph, makeEngine(file)))
            } else if try await store.takeOver(executionID: execution.id, from: execution.ownerID, to: nil, status: .crashed, at: now) {
                let error: JSONValue = ["code": "crashed", "message": "The process running this execution stopped before it ended",
                                        "node": execution.lastNode.map(JSONValue.string) ?? .null]
                try await store.finishExecution(id: execution.id, status: .crashed, stoppedAt: now, error: error)
                report.crashed.append(execution.id)
            }
        }
        for owner in owners.values where !Self.isAlive(owner, host: host, now: now) || deadOwners.contains(owner.id) {
            if owner.id != lease?.owner.id { try await store.removeOwner(id: owner.id) }
        }
        report.resumed = try await resumeAll(toResume, store: store)
        return report
    }

    /// How many taken-over executions resume at once: a server killed under load leaves hundreds,
    /// and one after another they would keep the restarted process busy for minutes.
    static let resumeConcurrency = 16

    /// Resumes the taken-over executions, `resumeConcurrency` at a time; results in the given order.
    private func resumeAll(_ jobs: [(ExecutionRecord, WorkflowGraph, Engine)], store: any ExecutionStore) async throws -> [ExecutionResult] {
        try await withThrowingTaskGroup(of: (Int, ExecutionResult).self) { group in
            var results: [ExecutionResult?] = Array(repeating: nil, count: jobs.count)
            var next = 0
            func start() {
                let index = next
                let (execution, graph, engine) = jobs[index]
                next += 1
                group.addTask { (index, try await self.resumeExecution(execution, graph: graph, store: store, engine: engine)) }
            }
            while next < min(Self.resumeConcurrency, jobs.count) { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < jobs.count { start() }
            }
            return results.compactMap { $0 }
        }
    }

    /// A lease that has not expired, and on this host a process that still exists.
    static func isAlive(_ owner: ExecutionOwner, host: String, now: Double) -> Bool {
        if owner.host == host, owner.pid > 0, kill(owner.pid, 0) != 0, errno == ESRCH { return false }
        return now - owner.heartbeatAt <= OwnerLease.duration.storeMilliseconds
    }

    /// Continues a recorded execution from its checkpoint (from the start when no node finished).
    func resumeExecution(_ execution: ExecutionRecord, graph: WorkflowGraph, store: any ExecutionStore, engine: Engine) async throws -> ExecutionResult {
        var options = Self.runOptions(execution, graph: graph, executionID: execution.id)
        if let checkpoint = try await store.checkpoint(executionID: execution.id) {
            options.resume = try ExecutionState(checkpoint: checkpoint, runData: try await Self.runData(store, executionID: execution.id))
        }
        return await engine.run(graph, options: options)
    }

    /// The recorded node runs as the engine's run data, with their inputs (derived from their
    /// sources when stored without them, see `StoredRunData.swift`).
    public static func runData(_ store: any ExecutionStore, executionID: String) async throws -> [String: [NodeRunRecord]] {
        var out: [String: [NodeRunRecord]] = [:]
        for run in try await store.nodeRuns(executionID: executionID) { out[run.node, default: []].append(NodeRunRecord(jsonValue: run.data)) }
        guard out.values.contains(where: { $0.contains { $0.input.isEmpty } }) else { return out }
        let trigger = try await store.execution(id: executionID)?.triggerInput?.arrayValue.map { $0.map(Item.init(jsonValue:)) }
        return derivingInputs(out, triggerInput: trigger)
    }

    /// The options an execution ran with, read back from its record.
    static func runOptions(_ execution: ExecutionRecord, graph: WorkflowGraph, executionID: String) -> Engine.RunOptions {
        let input = execution.triggerInput?.arrayValue.map { $0.map(Item.init(jsonValue:)) }
        return Engine.RunOptions(mode: ExecutionMode(execution.mode), startNode: execution.startNode, input: input,
                                 pinData: pinData(graph), executionID: executionID)
    }

    /// The pinned items of the workflow, by node name.
    static func pinData(_ graph: WorkflowGraph) -> [String: [Item]] {
        var out: [String: [Item]] = [:]
        for (node, value) in graph.document.pinData ?? [:] { out[node] = (value.arrayValue ?? []).map { Item(jsonValue: $0) } }
        return out
    }

    /// Loads and resolves a workflow file with the built-in nodes.
    ///
    /// - Throws: `StoreError` `.notFound` naming the file and the first error when it cannot load.
    public static func loadGraph(_ file: String) throws -> WorkflowGraph {
        let registry = NodeRegistry.builtIn
        let loader = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: true, newestTypeVersion: { registry.newestVersion(of: $0) }))
        let loaded = loader.load(contentsOf: file)
        guard let document = loaded.document, !loaded.hasErrors else {
            let reason = loaded.diagnostics.first { $0.severity == .error }.map { "\($0)" } ?? "not a workflow"
            throw StoreError(.notFound, "\(file): the recorded workflow cannot be loaded: \(reason)")
        }
        return WorkflowGraph.build(document, registry: registry, file: file).graph
    }
}
