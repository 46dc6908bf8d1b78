import FlowrunCore
import FlowrunExpressions
import Logging

/// Answers a running Code task's calls from the execution (other nodes' outputs, paired items)
/// and records its console output in the execution's log.
struct CodeTaskHost: TaskRunnerHost {
    let context: ExecutionContext
    let inputItems: [Item]
    var httpRequest: (@Sendable (JSONValue, ExecutionContext) async throws -> JSONValue)? = nil

    func answer(method: String, params: JSONValue) async throws -> JSONValue {
        switch method {
        case "nodeData":
            return nodeData(name: params["node"]?.stringValue ?? "", run: params["run"]?.numberValue.map { Int($0) })
        case "pairedItem":
            let resolver = PairedItemResolver(
                dataSource: context.evaluation.dataSource, activeNode: context.nodeName, inputItems: inputItems)
            do {
                return try resolver.item(
                    of: params["node"]?.stringValue ?? "", itemIndex: Int(params["itemIndex"]?.numberValue ?? 0),
                    method: params["method"]?.stringValue ?? "item"
                ).jsonValue(includePairedItem: true)
            } catch {
                throw TaskRunnerError(.userCode, error.message, description: error.description)
            }
        case "evaluateExpression":
            // n8n's $evaluateExpression(expression, itemIndex?): the text is evaluated as a
            // parameter value, i.e. with "=" in front.
            let text = params["expression"]?.stringValue ?? ""
            var evaluation = context.evaluation
            evaluation.itemIndex = Int(params["itemIndex"]?.numberValue ?? 0)
            do {
                let expression = try ParameterExpression(parsing: "=" + text)
                return try expression.evaluateJSON(in: evaluation) ?? .null
            } catch let error as ExpressionSyntaxError {
                throw TaskRunnerError(.userCode, error.message)
            } catch let error as ExpressionError {
                throw TaskRunnerError(.userCode, error.message)
            }
        case "httpRequest":
            // Routed back to flowrun so credentials, retries and the breaker apply.
            if let httpRequest { return try await httpRequest(params["options"] ?? .null, context) }
            if context.services.http != nil {
                return try await HelpersHTTPRequest.perform(
                    params["options"] ?? .null, credentialsType: params["credentialsType"]?.stringValue, context: context)
            }
            throw TaskRunnerError(
                .userCode, "this.helpers.httpRequest is not available in flowrun Code nodes yet",
                description: "Use an HTTP Request node for now.")
        default:
            throw TaskRunnerError(.protocolViolation, "unknown runner call \"\(method)\"")
        }
    }

    func log(_ arguments: [String]) {
        context.console(arguments.joined(separator: " "))
    }

    /// What `$('Name')` needs about a node: whether it exists and ran, one run's outputs, its parameters.
    private func nodeData(name: String, run: Int?) -> JSONValue {
        let source = context.evaluation.dataSource
        guard source.nodeExists(name) else {
            return ["exists": false, "executed": false, "runs": 0, "run": 0, "outputs": .null, "parameters": .null, "branch": .null]
        }
        let latest = source.outputs(of: name, runIndex: nil)
        let outputs = run.map { source.outputs(of: name, runIndex: $0) } ?? latest
        var branch: JSONValue = .null
        for input in 0..<4 {
            if let parent = source.source(of: context.nodeName, input: input), parent.node == name {
                branch = .number(Double(parent.output))
                break
            }
        }
        return [
            "exists": true,
            "executed": .bool(latest != nil),
            "runs": .number(latest == nil ? 0 : 1),
            "run": .number(Double(run ?? 0)),
            "outputs": outputs.map { .array($0.map { .array($0.map { $0.jsonValue(includePairedItem: true) }) }) } ?? .null,
            "parameters": source.parameters(of: name).map(JSONValue.object) ?? .null,
            "context": source.context(of: name).map(JSONValue.object) ?? [:],
            "branch": branch,
        ]
    }
}

/// Builds the task message the runners read (see docs/task-runners.md).
enum CodeTask {
    enum Kind: String {
        case code, function, functionItem, raw
    }

    /// The task's fields; its items go separately (`TaskRunnerPool.run(_:task:items:host:)`), written
    /// straight from the `Item`s.
    static func make(kind: Kind, mode: String, code: String, context: ExecutionContext) -> JSONObject {
        let evaluation = context.evaluation
        let dataSource = evaluation.dataSource
        var node: JSONObject = [
            "name": .string(context.nodeName), "type": .string(context.nodeType),
            "typeVersion": .number(context.typeVersion), "parameters": .object(evaluation.parameters),
        ]
        if let info = dataSource.nodeInfo(context.nodeName) { node["id"] = .string(info.id) }
        var task: JSONObject = [
            "kind": .string(kind.rawValue),
            "mode": .string(mode),
            "code": .string(code),
            "node": .object(node),
            "runIndex": .number(Double(context.runIndex)),
            "workflowMode": .string(context.mode == .dryRun ? "manual" : context.mode.rawValue),
            "executionId": .string(context.executionID),
            "workflow": [
                "id": context.workflowID.map(JSONValue.string) ?? .null,
                "name": context.workflowName.map(JSONValue.string) ?? .null,
                "active": .bool(evaluation.workflow.active),
            ],
            "timezone": .string(context.timeZone),
            "now": .number(context.nowMilliseconds()),
            "continueOnFail": .bool(context.continueOnFail),
            "vars": .object(evaluation.variables),
            "resumeUrl": .string(evaluation.execution.resumeUrl),
            "resumeFormUrl": .string(evaluation.execution.resumeFormUrl),
        ]
        task["env"] = evaluation.envAccessAllowed
            ? .object(JSONObject(uniqueKeysWithValues: evaluation.environment.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            : .null
        if let previous = dataSource.source(of: context.nodeName, input: 0) {
            task["prevNode"] = [
                "name": .string(previous.node), "outputIndex": .number(Double(previous.output)),
                "runIndex": .number(Double(previous.runIndex)),
            ]
            if let parameters = dataSource.parameters(of: previous.node) { task["prevNodeParameters"] = .object(parameters) }
        }
        return task
    }
}
