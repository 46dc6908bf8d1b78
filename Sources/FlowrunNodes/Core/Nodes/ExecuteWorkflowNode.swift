import FlowrunCore
import FlowrunExpressions

/// Execute Workflow (`n8n-nodes-base.executeWorkflow`): runs another workflow with this node's
/// items and outputs what that workflow's last node produced.
///
/// `source`: database (a workflow id, looked up by the runtime), localFile (`workflowPath`),
/// parameter (`workflowJson`); url is not supported. `mode` once (all items in one run) or each
/// (one run per item); `options.waitForSubWorkflow` (false: outputs the input at once).
struct ExecuteWorkflowNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.executeWorkflow", typeVersions: [1, 1.1, 1.2, 1.3], displayName: "Execute Workflow")

    let source: String
    let workflowID: Param<JSONValue?>
    let workflowPath: Param<String>
    let workflowJSON: Param<JSONValue?>
    let mode: Param<String>
    let wait: Param<Bool>
    let inputs: [(String, Param<JSONValue?>)]

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        source = p["source"].choice(["database", "localFile", "parameter", "url"], default: "database").constantValue ?? "database"
        workflowID = p["workflowId"].value(default: "")
        workflowPath = p["workflowPath"].string(default: "")
        workflowJSON = p["workflowJson"].value(default: "\n\n\n")
        mode = p["mode"].choice(["once", "each"], default: "once")
        wait = p["options"]["waitForSubWorkflow"].bool(default: true)
        let mapping = p["workflowInputs"]
        if c.typeVersion >= 1.2, (mapping["mappingMode"].raw?.stringValue ?? "defineBelow") == "defineBelow" {
            inputs = mapping["value"].keys.map { ($0, mapping["value"][$0].json()) }
        } else {
            inputs = []
        }
    }

    private func workflowSource(itemIndex i: Int, context: ExecutionContext) throws -> SubworkflowSource {
        switch source {
        case "database":
            var id = try workflowID.value(for: i, in: context)
            if case .object(let rl)? = id { id = rl["value"] }
            let text = JS.string(id ?? "")
            if text.isEmpty { throw context.error("Please select a workflow", itemIndex: i) }
            return .id(text)
        case "localFile":
            return .file(try workflowPath.value(for: i, in: context))
        case "parameter":
            let raw = try workflowJSON.value(for: i, in: context)
            if case .string(let s)? = raw {
                guard let parsed = RelaxedJSON.parse(s) else {
                    throw context.error("The workflow JSON is not valid JSON", itemIndex: i)
                }
                return .document(parsed)
            }
            return .document(raw ?? .null)
        default:
            throw context.error("Loading a sub-workflow from a URL is not supported by flowrun", itemIndex: i)
        }
    }

    private func mapped(_ item: Item, _ i: Int, _ context: ExecutionContext) throws -> Item {
        guard !inputs.isEmpty else { return item }
        var json = JSONObject()
        for (name, value) in inputs { json[name] = try value.value(for: i, in: context) ?? .null }
        return Item(json: json, binary: item.binary, pairedItem: item.pairedItem)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        guard let runner = context.subworkflows else {
            throw context.error("Sub-workflows are not available in this execution")
        }
        let items = input.main
        let waitForIt = try wait.value(for: 0, in: context)
        if try mode.value(for: 0, in: context) == "each" {
            var output: [Item] = []
            for (i, item) in items.enumerated() {
                do {
                    let result = try await runner.run(try workflowSource(itemIndex: i, context: context), items: [try mapped(item, i, context)],
                                                      waitForCompletion: waitForIt, context: context)
                    if !waitForIt {
                        output.append(item)
                        continue
                    }
                    for var out in result.first ?? [] {
                        out.pairedItem = [PairedItem(item: i)]
                        output.append(out)
                    }
                } catch {
                    guard context.continueOnFail else {
                        throw NodeError(.subworkflow, "Error executing workflow with item at index \(i)",
                                        detail: (error as? NodeError)?.message ?? "\(error)", node: context.nodeName, itemIndex: i)
                    }
                    output.append(Item(json: ["error": .string((error as? NodeError)?.message ?? "\(error)")], pairedItem: [PairedItem(item: i)]))
                }
            }
            return [output]
        }
        do {
            let sent = try items.enumerated().map { try mapped($0.element, $0.offset, context) }
            let result = try await runner.run(try workflowSource(itemIndex: 0, context: context), items: sent,
                                              waitForCompletion: waitForIt, context: context)
            if !waitForIt { return [items] }
            let out = result.first ?? []
            let sameCount = out.count == items.count
            return [out.enumerated().map { index, item in
                var copy = item
                copy.pairedItem = sameCount ? [PairedItem(item: index)] : items.indices.map { PairedItem(item: $0) }
                return copy
            }]
        } catch {
            guard context.continueOnFail else { throw error }
            return [[Item(json: ["error": .string((error as? NodeError)?.message ?? "\(error)")])]]
        }
    }
}

/// Execute Workflow Trigger (`n8n-nodes-base.executeWorkflowTrigger`): the start of a workflow
/// run by Execute Workflow. v1 passes the caller's items on; v1.1 keeps only the declared
/// inputs (`workflowInputs.values[{name, type}]` or the keys of `jsonExample`), missing ones as
/// null, unless `inputSource` is passthrough.
struct ExecuteWorkflowTriggerNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.executeWorkflowTrigger", typeVersions: [1, 1.1], displayName: "Execute Workflow Trigger", isTrigger: true)

    let fields: [String]?

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        let source = c.typeVersion < 1.1 ? "passthrough" : (p["inputSource"].raw?.stringValue ?? "workflowInputs")
        switch source {
        case "workflowInputs":
            fields = p["workflowInputs"]["values"].elements().compactMap { $0["name"].raw.map(JS.string) }
        case "jsonExample":
            let text = p["jsonExample"].raw?.stringValue ?? "{}"
            fields = RelaxedJSON.parse(text)?.objectValue.map { Array($0.keys) } ?? []
        default:
            fields = nil
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let items = input.main.isEmpty ? [Item()] : input.main
        guard let fields else { return [items] }
        return [items.map { item in
            var json = JSONObject()
            for f in fields { json[f] = item.json[f] ?? .null }
            return Item(json: json, binary: item.binary, pairedItem: item.pairedItem)
        }]
    }
}
