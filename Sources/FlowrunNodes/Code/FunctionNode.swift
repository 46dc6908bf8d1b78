public import FlowrunCore
import FlowrunExpressions

/// n8n's legacy Function node (`n8n-nodes-base.function` v1): JavaScript over `items`, run once.
public struct FunctionNode: Node {
    public static let description = NodeDescription(
        type: "n8n-nodes-base.function", typeVersions: [1], displayName: "Function")

    static let defaultCode = """
        // Code here will run only once, no matter how many input items there are.
        // More info and help:https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.function/
        // Tip: You can use luxon for dates and $jmespath for querying JSON structures

        // Loop over inputs and add a new field called 'myNewField' to the JSON of each one
        for (item of items) {
          item.json.myNewField = 1;
        }

        // You can write logs to the browser console
        console.log('Done!');

        return items;
        """

    let code: String
    let pool: TaskRunnerPool

    public init(configuration c: NodeConfiguration) throws {
        try self.init(configuration: c, pool: TaskRunnerPool.shared)
    }

    public init(configuration c: NodeConfiguration, pool: TaskRunnerPool) throws {
        self.pool = pool
        code = FunctionItemNode.readCode(c, default: Self.defaultCode)
    }

    public func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        try await [CodeRun.run(
            language: .javaScript, kind: .function, mode: "runOnceForAllItems", code: code, items: input.main,
            pool: pool, context: context)]
    }
}

/// n8n's legacy Function Item node (`n8n-nodes-base.functionItem` v1): JavaScript run once per
/// item, `item` being the item's json.
public struct FunctionItemNode: Node {
    public static let description = NodeDescription(
        type: "n8n-nodes-base.functionItem", typeVersions: [1], displayName: "Function Item")

    static let defaultCode = """
        // Code here will run once per input item.
        // More info and help: https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.functionitem/
        // Tip: You can use luxon for dates and $jmespath for querying JSON structures

        // Add a new field called 'myNewField' to the JSON of the item
        item.myNewField = 1;

        // You can write logs to the browser console
        console.log('Done!');

        return item;
        """

    let code: String
    let pool: TaskRunnerPool

    public init(configuration c: NodeConfiguration) throws {
        try self.init(configuration: c, pool: TaskRunnerPool.shared)
    }

    public init(configuration c: NodeConfiguration, pool: TaskRunnerPool) throws {
        self.pool = pool
        code = Self.readCode(c, default: Self.defaultCode)
    }

    public func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        try await [CodeRun.run(
            language: .javaScript, kind: .functionItem, mode: "runOnceForEachItem", code: code, items: input.main,
            pool: pool, context: context)]
    }

    static func readCode(_ c: NodeConfiguration, default value: String) -> String {
        let reader = c.parameters["functionCode"]
        if let raw = reader.raw, raw.stringValue == nil { reader.report("must be a string of code") }
        return reader.raw?.stringValue ?? value
    }
}
