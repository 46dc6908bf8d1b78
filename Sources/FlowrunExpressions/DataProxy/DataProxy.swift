/// n8n's `WorkflowDataProxy` over an `EvaluationContext`: `$json`, `$input`, `$('Node')`,
/// `$node`, `$items`, `$item`, `$prevNode`, `$env`… with n8n's error messages.
enum DataProxy {
    /// Callable members of proxy objects (for n8n's extension dispatch: these are native methods).
    static let methodNames: Set<String> = ["first", "last", "all", "itemMatching", "pairedItem"]

    static func error(_ message: String, hint: String? = nil) -> ExpressionError {
        ExpressionError(.dataProxy, message, hint: hint)
    }

    static func notExecuted(_ node: String) -> ExpressionError {
        error("Node '\(node)' hasn't been executed",
              hint: "An expression references this node, but the node is unexecuted. Consider re-wiring your nodes or checking for execution first, i.e. {{ $if( $(\"\(node)\").isExecuted, <action_if_executed>, \"\") }}")
    }

    static func proxy(_ kind: String, tag: String = "") -> JSValue {
        let o = JSObject(kind: .proxy(kind))
        o.tag = tag
        return .object(o)
    }

    static func function(_ name: String, _ body: @escaping ([JSValue], Interpreter) throws -> JSValue) -> JSValue {
        .function(JSFunction(name: name) { _, args, interp in try body(args, interp) })
    }

    /// An item as expressions see it: `{ json, binary?, pairedItem? }`.
    static func itemValue(_ item: Item) -> JSValue {
        JSValue(lazyJSON: item.jsonValue(includePairedItem: true))
    }

    static func itemsValue(_ items: [Item]) -> JSValue {
        .array(JSArray(items.map(itemValue)))
    }

    /// A `$`-prefixed global (`itemIndex` overrides the context's, for `$item(i)`).
    static func global(_ name: String, _ interp: Interpreter, itemIndex: Int? = nil) throws -> JSValue {
        let c = interp.context
        let index = itemIndex ?? c.itemIndex
        switch name {
        case "$json", "$data":
            return .object(JSObject(json: try currentItem(interp, index).json))
        case "$binary":
            let item = try currentItem(interp, index)
            return binaryValue(item)
        case "$input": return proxy("$input", tag: String(index))
        case "$node": return proxy("$node", tag: String(index))
        case "$thisItem":
            return index < c.inputItems.count ? itemValue(c.inputItems[index]) : .undefined
        case "$runIndex", "$thisRunIndex": return .number(Double(c.runIndex))
        case "$itemIndex", "$thisItemIndex", "$position": return .number(Double(index))
        case "$mode": return .string(c.mode)
        case "$prevNode":
            guard let source = c.dataSource.source(of: c.activeNode, input: 0) else { return .object(JSObject()) }
            return .object(JSObject(["name": .string(source.node), "outputIndex": .number(Double(source.output)),
                                     "runIndex": .number(Double(source.runIndex))]))
        case "$workflow":
            return .object(JSObject(["id": c.workflow.id.map(JSValue.string) ?? .undefined,
                                     "name": c.workflow.name.map(JSValue.string) ?? .undefined,
                                     "active": .bool(c.workflow.active)]))
        case "$execution":
            let mode = c.additionalVariables["$executionMode"]?.stringValue ?? (c.mode == "manual" ? "test" : "production")
            return .object(JSObject(["id": .string(c.execution.id), "mode": .string(mode),
                                     "resumeUrl": .string(c.execution.resumeUrl), "resumeFormUrl": .string(c.execution.resumeFormUrl),
                                     "customData": customData()]))
        case "$vars": return JSValue(lazyJSON: .object(c.variables))
        case "$secrets": return JSValue(lazyJSON: .object(c.secrets))
        case "$env": return proxy("$env")
        case "$rawParameter": return JSValue(lazyJSON: .object(c.parameters))
        case "$parameter":
            // Raw members; reading one that is itself an expression evaluates it (n8n's
            // nodeParameterGetter), serialising shows the raw values.
            let o = JSObject(kind: .proxy("$parameter"))
            for (key, value) in c.parameters { o.set(key, JSValue(lazyJSON: value)) }
            return .object(o)
        case "$nodeId": return c.dataSource.nodeInfo(c.activeNode).map { .string($0.id) } ?? .undefined
        case "$nodeVersion": return c.dataSource.nodeInfo(c.activeNode).map { .number($0.typeVersion) } ?? .undefined
        case "$webhookId": return .undefined
        case "$jmespath", "$jmesPath":
            return function(name) { args, interp in try jmespath(args, interp) }
        case "$items":
            return function("$items") { args, interp in try items(args, interp) }
        case "$item":
            return function("$item") { args, _ in
                let i = Int(Calls.arg(args, 0).toNumber().integerOrInfinity.clamped)
                return proxy("$item", tag: String(i))
            }
        case "$evaluateExpression":
            return function("$evaluateExpression") { args, interp in try evaluateExpression(args, interp) }
        case "$getPairedItem":
            return .undefined
        default:
            if let value = c.additionalVariables[name], name != "$executionMode" { return JSValue(lazyJSON: value) }
            return .undefined
        }
    }

    static func currentItem(_ interp: Interpreter, _ index: Int) throws -> Item {
        let c = interp.context
        if c.inputItems.isEmpty { throw notExecuted(c.activeNode) }
        guard index >= 0, index < c.inputItems.count else {
            throw error("\"\(c.activeNode)\" node has \(c.inputItems.count) item(s) but you're trying to access item \(index)",
                        hint: "Adjust your expression to access an existing item index (0-\(c.inputItems.count - 1))")
        }
        return c.inputItems[index]
    }

    /// Binary properties without their `data` payload.
    static func binaryValue(_ item: Item) -> JSValue {
        var out = JSONObject()
        for (key, value) in item.binary ?? [:] {
            var entry = value.objectValue ?? [:]
            entry.removeValue(forKey: "data")
            out[key] = .object(entry)
        }
        return JSValue(lazyJSON: .object(out))
    }

    static func customData() -> JSValue {
        let store = JSObject()
        let object = JSObject()
        object.set("set", function("set") { args, _ in store.set(Calls.arg(args, 0).toJSString(), .string(Calls.arg(args, 1).toJSString())); return .undefined })
        object.set("setAll", function("setAll") { args, _ in
            for (k, v) in Iteration.ownEntries(of: Calls.arg(args, 0)) { store.set(k, .string(v.toJSString())) }
            return .undefined
        })
        object.set("get", function("get") { args, _ in store.get(Calls.arg(args, 0).toJSString()) ?? .undefined })
        object.set("getAll", function("getAll") { _, _ in .object(JSObject(store.properties)) })
        return .object(object)
    }

    /// `$('Node')`.
    static func nodeAccessor(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue {
        let nameValue = Calls.arg(args, 0)
        guard nameValue.truthy else { throw error("When calling $(), please specify a node") }
        let name = nameValue.toJSString()
        guard interp.context.dataSource.nodeExists(name) else {
            throw error("Referenced node doesn't exist", hint: "Make sure to double-check the node name for typos")
        }
        return proxy("node", tag: name)
    }

    /// A member of a proxy object.
    static func member(_ o: JSObject, _ key: String, _ interp: Interpreter) throws -> JSValue {
        guard case .proxy(let kind) = o.kind else { return .undefined }
        switch kind {
        case "node": return try NodeAccessor.member(node: o.tag, key, interp)
        case "$input": return try inputMember(key, interp, itemIndex: Int(o.tag) ?? interp.context.itemIndex)
        case "$node":
            guard interp.context.dataSource.nodeExists(key) else {
                throw error("Referenced node doesn't exist", hint: "Make sure to double-check the node name for typos")
            }
            let data = JSObject(kind: .proxy("nodeData"))
            data.tag = key + "\u{0}" + o.tag
            return .object(data)
        case "nodeData":
            let parts = o.tag.split(separator: "\u{0}", omittingEmptySubsequences: false)
            return try NodeAccessor.legacyMember(node: String(parts[0]), key, interp, itemIndex: Int(parts.last ?? "") ?? interp.context.itemIndex)
        case "$env":
            guard interp.context.envAccessAllowed else {
                throw error("access to env vars denied",
                            hint: "If you need access please contact the administrator to remove the environment variable ‘N8N_BLOCK_ENV_ACCESS_IN_NODE‘")
            }
            return interp.context.environment[key].map(JSValue.string) ?? .undefined
        case "$item":
            return try global(key, interp, itemIndex: Int(o.tag) ?? 0)
        case "$parameter":
            let raw = o.get(key) ?? .undefined
            guard case .string(let text) = raw, text.hasPrefix("=") else { return raw }
            if text == "={{ $parameter.\(key) }}" { return .undefined }
            return try evaluateExpression([.string(String(text.dropFirst()))], interp)
        default:
            return .undefined
        }
    }

    static func inputMember(_ key: String, _ interp: Interpreter, itemIndex: Int) throws -> JSValue {
        let c = interp.context
        if c.inputItems.isEmpty { throw error("No execution data available") }
        switch key {
        case "item": return itemIndex < c.inputItems.count ? itemValue(c.inputItems[itemIndex]) : .undefined
        case "first", "last":
            return function(key) { args, _ in
                if !args.isEmpty { throw error("$input.\(key)() should have no arguments") }
                return (key == "first" ? c.inputItems.first : c.inputItems.last).map(itemValue) ?? .undefined
            }
        case "all": return function("all") { _, _ in itemsValue(c.inputItems) }
        case "params":
            guard let source = c.dataSource.source(of: c.activeNode, input: 0) else { return .undefined }
            return c.dataSource.parameters(of: source.node).map { JSValue(lazyJSON: .object($0)) } ?? .undefined
        case "context":
            guard let source = c.dataSource.source(of: c.activeNode, input: 0) else { return .undefined }
            return JSValue(lazyJSON: .object(c.dataSource.context(of: source.node) ?? [:]))
        default: return .undefined
        }
    }

    /// `$items(node?, output = 0, run = -1)`.
    static func items(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue {
        let c = interp.context
        let nameValue = Calls.arg(args, 0)
        if nameValue.isUndefined { return itemsValue(c.inputItems) }
        let name = nameValue.toJSString()
        let output = Int(Calls.arg(args, 1).toNumber().integerOrInfinity.clamped)
        let runValue = Calls.arg(args, 2)
        let run = runValue.isUndefined ? -1 : Int(runValue.toNumber().integerOrInfinity.clamped)
        return itemsValue(try NodeAccessor.executionData(node: name, output: output, run: run, interp))
    }

    static func evaluateExpression(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue {
        guard interp.nestedEvaluations < 8 else { throw error("$evaluateExpression is nested too deeply") }
        let text = Calls.arg(args, 0).toJSString()
        var context = interp.context
        let itemValue = Calls.arg(args, 1)
        if itemValue.truthy { context.itemIndex = Int(itemValue.toNumber().integerOrInfinity.clamped) }
        let expression: ParameterExpression
        do {
            expression = try ParameterExpression(parsing: "=" + text)
        } catch {
            throw ExpressionError(.syntax, "invalid syntax")
        }
        interp.nestedEvaluations += 1
        defer { interp.nestedEvaluations -= 1 }
        return try expression.evaluate(in: context)
    }

    static func jmespath(_ args: [JSValue], _ interp: Interpreter) throws -> JSValue {
        let data = Calls.arg(args, 0)
        guard data.isObject, case .string(let query) = Calls.arg(args, 1) else {
            throw error("expected two arguments (Object, string) for this function")
        }
        do {
            let expression = try JMESPath.compile(query)
            return JSValue(json: try expression.search(data.toJSON()))
        } catch let failure as JMESPath.Failure {
            throw JSThrow(value: .object(JSObject.makeError("Error", failure.message)))
        }
    }
}
