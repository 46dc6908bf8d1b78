public import FlowrunCore
public import FlowrunExpressions

/// Runs a JavaScript snippet for another node in the JavaScript task runner: the body of an async
/// function with extra globals, returning its plain value without the Code node's result rules
/// (n8n's `JsTaskRunnerSandbox.runCode`, used by Sort's "code" type).
///
/// ```swift
/// let sorted = try await CodeSnippet.run(
///     "return items.sort((a, b) => { \(userCode) })", globals: ["items": .array(items.map { $0.jsonValue() })],
///     context: context)
/// ```
public enum CodeSnippet {
    /// - Returns: the snippet's return value as JSON (`null` for undefined).
    /// - Throws: `NodeError` with n8n's message ("x is not defined [line 1]").
    public static func run(
        _ code: String, globals: JSONObject, items: [Item] = [], context: ExecutionContext, pool: TaskRunnerPool = .shared
    ) async throws -> JSONValue {
        var task = CodeTask.make(kind: .raw, mode: "runOnceForAllItems", code: code, context: context)
        task["additionalProperties"] = .object(globals)
        do {
            let host = CodeTaskHost(context: context, inputItems: items, httpRequest: pool.configuration.httpRequest)
            let result = try await pool.run(.javaScript, task: task, items: items, host: host)
            return result.value ?? .null
        } catch {
            throw NodeError(.operation, error.message, detail: error.errorDescription, node: context.nodeName, itemIndex: error.itemIndex)
        }
    }
}
