public import FlowrunCore
import FlowrunExpressions

/// n8n's Code node (`n8n-nodes-base.code` v1, v2): JavaScript (and in v2 Python) run in a task
/// runner process, once for all items or once per item.
public struct CodeNode: Node {
    public static let description = NodeDescription(
        type: "n8n-nodes-base.code", typeVersions: [1, 2], displayName: "Code")

    /// n8n's default code for the JavaScript all-items mode (the editor's placeholder).
    static let defaultJavaScript = """
        // Loop over input items and add a new field called 'myNewField' to the JSON of each one
        for (const item of $input.all()) {
          item.json.myNewField = 1;
        }

        return $input.all();
        """
    static let defaultPython = """
        # Loop over input items and add a new field called 'my_new_field' to the JSON of each one
        for item in _input.all():
          item.json.my_new_field = 1
        return _input.all()
        """

    let language: TaskRunnerLanguage
    let mode: String
    let code: String
    let pool: TaskRunnerPool

    public init(configuration c: NodeConfiguration) throws {
        try self.init(configuration: c, pool: TaskRunnerPool.shared)
    }

    /// A Code node running on `pool` (tests, or a runtime with its own runner configuration).
    public init(configuration c: NodeConfiguration, pool: TaskRunnerPool) throws {
        self.pool = pool
        let languageName = c.typeVersion >= 2 ? (c.parameters["language"].raw?.stringValue ?? "javaScript") : "javaScript"
        switch languageName {
        case "javaScript": language = .javaScript
        case "python", "pythonNative": language = .python
        default:
            c.parameters["language"].report("unknown language \"\(languageName)\" (expected javaScript, python or pythonNative)")
            language = .javaScript
        }
        let modeName = c.parameters["mode"].raw?.stringValue ?? "runOnceForAllItems"
        if modeName == "runOnceForAllItems" || modeName == "runOnceForEachItem" {
            mode = modeName
        } else {
            c.parameters["mode"].report("unknown mode \"\(modeName)\" (expected runOnceForAllItems or runOnceForEachItem)")
            mode = "runOnceForAllItems"
        }
        let codeKey = language == .python ? "pythonCode" : "jsCode"
        let reader = c.parameters[codeKey]
        if let raw = reader.raw, raw.stringValue == nil { reader.report("must be a string of code") }
        code = reader.raw?.stringValue ?? (language == .python ? Self.defaultPython : Self.defaultJavaScript)
    }

    public func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        try await [CodeRun.run(language: language, kind: .code, mode: mode, code: code, items: input.main, pool: pool, context: context)]
    }
}

/// Runs one Code/Function task and turns runner failures into `NodeError`s with n8n's message.
enum CodeRun {
    /// An item from runner output. User code chooses `pairedItem`, so values that are not small
    /// non-negative integers are dropped here rather than trusted (`1e300` must not trap).
    static func item(from value: JSONValue) -> Item {
        guard case .object(var object) = value, let paired = object["pairedItem"] else { return Item(jsonValue: value) }
        if pairedItems(from: paired) == nil { object["pairedItem"] = nil }
        return Item(jsonValue: .object(object))
    }

    /// The links of an output item's `pairedItem`, or nil when any of them is not acceptable.
    static func pairedItems(from paired: JSONValue) -> [PairedItem]? {
        func valid(_ number: Double?) -> Bool {
            guard let number else { return true }
            return number.isFinite && number >= 0 && number < 1e9 && number.rounded() == number
        }
        func acceptable(_ entry: JSONValue) -> Bool {
            switch entry {
            case .number(let n): return valid(n)
            case .object(let o): return o["item"].map { valid($0.numberValue) && $0.numberValue != nil } ?? false
                && valid(o["input"]?.numberValue)
            default: return false
            }
        }
        switch paired {
        case .array(let entries): if !entries.allSatisfy(acceptable) { return nil }
        default: if !acceptable(paired) { return nil }
        }
        return PairedItem.list(from: paired)
    }

    static func run(
        language: TaskRunnerLanguage, kind: CodeTask.Kind, mode: String, code: String, items: [Item],
        pool: TaskRunnerPool, context: ExecutionContext
    ) async throws -> [Item] {
        let task = CodeTask.make(kind: kind, mode: mode, code: code, context: context)
        do {
            let host = CodeTaskHost(context: context, inputItems: items, httpRequest: pool.configuration.httpRequest)
            let result = try await pool.run(language, task: task, items: items, host: host, readsItems: true)
            return result.itemList ?? result.items.map(Self.item(from:))
        } catch {
            var nodeError = NodeError(
                .operation, error.message, detail: error.errorDescription, node: context.nodeName, itemIndex: error.itemIndex)
            nodeError.extra["taskRunnerError"] = .string(error.code.description)
            if let line = error.lineNumber { nodeError.extra["lineNumber"] = .number(Double(line)) }
            throw nodeError
        }
    }
}
