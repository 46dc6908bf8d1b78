public import FlowrunExpressions

// Run data in n8n's JSON shapes (`ITaskData`, `ISourceData`, the error object), so the state store
// keeps executions as n8n does and a recorded execution reads back into the engine's types.

extension TaskSource {
    public var jsonValue: JSONValue {
        ["previousNode": .string(previousNode), "previousNodeOutput": .number(Double(previousNodeOutput)),
         "previousNodeRun": .number(Double(previousNodeRun))]
    }

    public init?(jsonValue value: JSONValue) {
        guard let node = value["previousNode"]?.stringValue else { return nil }
        self.init(previousNode: node, previousNodeOutput: value["previousNodeOutput"].flatMap(RunDataJSON.int) ?? 0,
                  previousNodeRun: value["previousNodeRun"].flatMap(RunDataJSON.int) ?? 0)
    }
}

extension NodeError {
    /// n8n's error object (`message`, `description`, `node`, …) plus flowrun's code and location.
    public var jsonValue: JSONValue {
        var o: JSONObject = ["message": .string(message), "code": .string(code.rawValue)]
        if let detail { o["description"] = .string(detail) }
        if let node { o["node"] = .string(node) }
        if let parameter { o["parameter"] = .string(parameter) }
        if let itemIndex { o["itemIndex"] = .number(Double(itemIndex)) }
        if !extra.isEmpty { o["extra"] = .object(extra) }
        return .object(o)
    }

    public init(jsonValue value: JSONValue) {
        self.init(Code(value["code"]?.stringValue ?? Code.operation.rawValue), value["message"]?.stringValue ?? "Unknown error",
                  detail: value["description"]?.stringValue, node: value["node"]?.stringValue,
                  parameter: value["parameter"]?.stringValue, itemIndex: value["itemIndex"].flatMap(RunDataJSON.int),
                  extra: value["extra"]?.objectValue ?? [:])
    }
}

extension NodeRunRecord {
    /// n8n's `ITaskData`: `startTime`, `executionTime`, `executionIndex`, `source`, `data.main`,
    /// `executionStatus`, `error`; flowrun adds `inputData.main` (what the node received) and `console`.
    public var jsonValue: JSONValue {
        var o: JSONObject = [
            "startTime": .number(startTime), "executionTime": .number(executionTime),
            "executionIndex": .number(Double(executionIndex)),
            "source": .array(source.map { $0?.jsonValue ?? .null }),
            "executionStatus": .string(status.rawValue),
        ]
        o["inputData"] = ["main": RunDataJSON.lists(input)]
        if let output { o["data"] = ["main": .array(output.map { .array($0.map { $0.jsonValue() }) })] }
        if let error { o["error"] = error.jsonValue }
        if !console.isEmpty { o["console"] = .array(console.map(JSONValue.string)) }
        return .object(o)
    }

    public init(jsonValue value: JSONValue) {
        let output = value["data"]?["main"]?.arrayValue.map { $0.map { ($0.arrayValue ?? []).map(Item.init(jsonValue:)) } }
        self.init(
            startTime: value["startTime"]?.numberValue ?? 0, executionTime: value["executionTime"]?.numberValue ?? 0,
            executionIndex: value["executionIndex"].flatMap(RunDataJSON.int) ?? 0,
            source: (value["source"]?.arrayValue ?? []).map(TaskSource.init(jsonValue:)),
            input: RunDataJSON.readLists(value["inputData"]?["main"]),
            output: output, status: value["executionStatus"]?.stringValue == "error" ? .error : .success,
            error: value["error"].map(NodeError.init(jsonValue:)))
        self.console = (value["console"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

/// Helpers shared by the run-data and checkpoint codecs.
enum RunDataJSON {
    static func int(_ value: JSONValue) -> Int? {
        guard let n = value.numberValue, n.isFinite, n.rounded() == n, abs(n) < 1e15 else { return nil }
        return Int(n)
    }

    /// Item lists per input, `null` where an input got no data.
    static func lists(_ lists: [[Item]?]) -> JSONValue {
        .array(lists.map { $0.map { .array($0.map { $0.jsonValue() }) } ?? .null })
    }

    static func readLists(_ value: JSONValue?) -> [[Item]?] {
        (value?.arrayValue ?? []).map { $0.arrayValue.map { $0.map(Item.init(jsonValue:)) } }
    }
}
