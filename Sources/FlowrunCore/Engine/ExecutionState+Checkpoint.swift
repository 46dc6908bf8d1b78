public import FlowrunExpressions

/// An execution's state between two node runs, as JSON: what a crashed or waiting execution
/// resumes from (`Engine.RunOptions.resume`).
///
/// The state store keeps one checkpoint per execution, written after each node run. Run data can be
/// left out (`includingRunData: false`) when the store keeps every node run's record on its own, so
/// that checkpoints stay small; it is then given back to `init(checkpoint:runData:)`.
extension ExecutionState {
    public func checkpoint(includingRunData: Bool = true) -> JSONValue {
        var o: JSONObject = [
            "version": 1, "order": .string(order.rawValue),
            "stack": .array(stack.map(Self.json)),
            "finishedOrder": .array(finishedOrder.map(JSONValue.string)),
            "executionIndex": .number(Double(executionIndex)),
            "lastExecutionTry": .string(lastExecutionTry),
        ]
        var waitingJSON = JSONObject()
        for (node, entries) in waiting {
            var byIndex = JSONObject()
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }) {
                byIndex[String(index)] = ["main": RunDataJSON.lists(entry.main), "source": .array(entry.source.map { $0?.jsonValue ?? .null })]
            }
            waitingJSON[node] = .object(byIndex)
        }
        o["waiting"] = .object(waitingJSON)
        if let lastNodeExecuted { o["lastNodeExecuted"] = .string(lastNodeExecuted) }
        if !nodeContexts.isEmpty { o["nodeContexts"] = .object(nodeContexts.mapValues(JSONValue.object).sortedByKey()) }
        if let suspension { o["suspension"] = suspension.jsonValue }
        if includingRunData { o["runData"] = Self.json(runData) }
        return .object(o)
    }

    /// Reads a checkpoint back. `runData` replaces the checkpoint's own (for checkpoints written
    /// without it).
    ///
    /// - Throws: `ExecutionFailure` with code `.invalidStart` when the checkpoint is not one flowrun wrote.
    public init(checkpoint value: JSONValue, runData: [String: [NodeRunRecord]]? = nil) throws(ExecutionFailure) {
        guard value["version"] == 1, let orderName = value["order"]?.stringValue, let order = ExecutionOrder(rawValue: orderName),
              let stack = value["stack"]?.arrayValue
        else {
            throw ExecutionFailure(.invalidStart, "the execution's checkpoint is not one this flowrun can resume (version 1 expected)")
        }
        self.init(order: order, startNode: "", input: [])
        self.stack = stack.map { entry in
            var read = StackEntry(node: entry["node"]?.stringValue ?? "", main: RunDataJSON.readLists(entry["main"]),
                                  source: entry["source"]?.arrayValue.map { $0.map(TaskSource.init(jsonValue:)) })
            read.resumesFromWait = entry["resumesFromWait"] == .bool(true)
            return read
        }
        for (node, entries) in value["waiting"]?.objectValue ?? [:] {
            var byIndex: [Int: WaitingEntry] = [:]
            for (key, entry) in entries.objectValue ?? [:] {
                guard let index = Int(key) else { continue }
                byIndex[index] = WaitingEntry(main: RunDataJSON.readLists(entry["main"]),
                                              source: (entry["source"]?.arrayValue ?? []).map(TaskSource.init(jsonValue:)))
            }
            waiting[node] = byIndex
        }
        self.runData = runData ?? Self.readRunData(value["runData"])
        self.lastNodeExecuted = value["lastNodeExecuted"]?.stringValue
        self.finishedOrder = (value["finishedOrder"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.executionIndex = value["executionIndex"].flatMap(RunDataJSON.int) ?? 0
        self.lastExecutionTry = value["lastExecutionTry"]?.stringValue ?? ""
        for (node, context) in value["nodeContexts"]?.objectValue ?? [:] { nodeContexts[node] = context.objectValue ?? [:] }
        self.suspension = Suspension(jsonValue: value["suspension"])
    }

    private static func json(_ entry: StackEntry) -> JSONValue {
        var o: JSONObject = ["node": .string(entry.node), "main": RunDataJSON.lists(entry.main)]
        if let source = entry.source { o["source"] = .array(source.map { $0?.jsonValue ?? .null }) }
        if entry.resumesFromWait { o["resumesFromWait"] = true }
        return .object(o)
    }

    /// n8n's `resultData.runData`: node name → list of task data.
    public static func json(_ runData: [String: [NodeRunRecord]]) -> JSONValue {
        var o = JSONObject()
        for name in runData.keys.sorted() { o[name] = .array((runData[name] ?? []).map(\.jsonValue)) }
        return .object(o)
    }

    public static func readRunData(_ value: JSONValue?) -> [String: [NodeRunRecord]] {
        var out: [String: [NodeRunRecord]] = [:]
        for (name, runs) in value?.objectValue ?? [:] { out[name] = (runs.arrayValue ?? []).map(NodeRunRecord.init(jsonValue:)) }
        return out
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A JSON object with the keys sorted, so checkpoints are stable.
    fileprivate func sortedByKey() -> JSONObject {
        var o = JSONObject()
        for key in keys.sorted() { o[key] = self[key] }
        return o
    }
}
