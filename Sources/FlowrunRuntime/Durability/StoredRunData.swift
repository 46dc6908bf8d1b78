public import FlowrunCore
public import FlowrunExpressions

// Node runs as the execution store keeps them: n8n's `ITaskData` (`startTime`, `executionTime`,
// `executionIndex`, `source`, `data.main`, `executionStatus`, `error`) and flowrun's `console`,
// without what the node received: as in n8n's run data, a run's input is the output its `source`
// names (the start node's: the execution's trigger input), so it is derived when read back instead
// of being stored twice.

extension NodeRunRecord {
    /// The stored JSON: `jsonValue` without `inputData`.
    public var storedJSONValue: JSONValue {
        var o: JSONObject = [
            "startTime": .number(startTime), "executionTime": .number(executionTime),
            "executionIndex": .number(Double(executionIndex)),
            "source": .array(source.map { $0?.jsonValue ?? .null }),
            "executionStatus": .string(status.rawValue),
        ]
        if let output { o["data"] = ["main": .array(output.map { .array($0.map { $0.jsonValue() }) })] }
        if let error { o["error"] = error.jsonValue }
        if !console.isEmpty { o["console"] = .array(console.map(JSONValue.string)) }
        return .object(o)
    }
}

/// A node run's stored JSON (`storedJSONValue`), written straight from the record: a store streams
/// a run of 100,000s of items without building its `{"json", "pairedItem"}` wrapper objects.
public struct StoredRunJSON: JSONValueConvertible {
    public let record: NodeRunRecord

    public init(_ record: NodeRunRecord) {
        self.record = record
    }

    public var jsonValue: JSONValue { record.storedJSONValue }

    /// The text of `storedJSONValue.jsonString()`, member for member.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.raw("{\"startTime\":")
        writer.number(record.startTime)
        writer.raw(",\"executionTime\":")
        writer.number(record.executionTime)
        writer.raw(",\"executionIndex\":")
        writer.number(Double(record.executionIndex))
        writer.raw(",\"source\":")
        writer.value(.array(record.source.map { $0?.jsonValue ?? .null }))
        writer.raw(",\"executionStatus\":")
        writer.string(record.status.rawValue)
        if let output = record.output {
            writer.raw(",\"data\":{\"main\":[")
            for (index, items) in output.enumerated() {
                writer.raw(index == 0 ? "[" : ",[")
                for (position, item) in items.enumerated() {
                    if position > 0 { writer.raw(",") }
                    writer.item(item)
                }
                writer.raw("]")
            }
            writer.raw("]}")
        }
        if let error = record.error {
            writer.raw(",\"error\":")
            writer.value(error.jsonValue)
        }
        if !record.console.isEmpty {
            writer.raw(",\"console\":")
            writer.value(.array(record.console.map(JSONValue.string)))
        }
        writer.raw("}")
    }
}

extension Runtime {
    /// Fills in the input of runs stored without one: each input is the output its source names;
    /// a run without sources (the start node) received `triggerInput` (one empty item when nil).
    public static func derivingInputs(_ runData: [String: [NodeRunRecord]], triggerInput: [Item]?) -> [String: [NodeRunRecord]] {
        var out = runData
        for (node, runs) in runData {
            for (index, run) in runs.enumerated() where run.input.isEmpty {
                if run.source.isEmpty {
                    out[node]?[index].input = [triggerInput ?? [Item()]]
                } else {
                    out[node]?[index].input = run.source.map { source in
                        source.flatMap { runData[$0.previousNode]?[safe: $0.previousNodeRun]?.output?[safe: $0.previousNodeOutput] }
                    }
                }
            }
        }
        return out
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
