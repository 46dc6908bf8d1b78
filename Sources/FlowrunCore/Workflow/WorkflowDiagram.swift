import FlowrunExpressions

/// A picture of a workflow as Mermaid or Graphviz DOT text: node names and types, branch labels,
/// disabled nodes marked, AI connections dashed, sticky notes left out.
public struct WorkflowDiagram: Sendable {
    /// The text formats a diagram can be written in.
    public enum Format: String, Sendable, CaseIterable {
        case mermaid
        case dot
    }

    struct Box {
        var id: String
        var name: String
        var type: String
        var disabled: Bool
        var trigger: Bool
    }

    struct Arrow {
        var from: String
        var to: String
        var label: String?
        var dashed: Bool
    }

    var boxes: [Box] = []
    var arrows: [Arrow] = []

    /// Lays out `document`'s nodes and connections.
    ///
    /// - Parameters:
    ///   - outputNames: output names of node types beyond the branching core nodes flowrun knows
    ///     (the node registry's descriptions); `nil` or empty for "no names".
    ///   - isTrigger: whether a node type is a trigger (drawn rounded); `nil` to guess from the name.
    public init(
        document: WorkflowDocument, outputNames: @Sendable (NodeDocument) -> [String]? = { _ in nil },
        isTrigger: @Sendable (String) -> Bool? = { _ in nil }
    ) {
        var ids: [String: String] = [:]
        for node in document.nodes where !node.isStickyNote && !node.name.isEmpty && ids[node.name] == nil {
            let id = "n\(ids.count)"
            ids[node.name] = id
            let base = node.type.split(separator: ".").last.map(String.init) ?? node.type
            boxes.append(Box(id: id, name: node.name, type: Self.shortType(node), disabled: node.disabled,
                             trigger: isTrigger(node.type) ?? (base.hasSuffix("Trigger") || base == "webhook" || base == "start")))
        }
        for edge in document.edges {
            guard let from = ids[edge.source], let to = ids[edge.target], let node = document.node(named: edge.source)
            else { continue }
            var parts: [String] = []
            if edge.isMain {
                if let branch = BranchLabels.label(of: node, output: edge.outputIndex, registered: outputNames(node)) {
                    parts.append(branch)
                }
            } else {
                parts.append(edge.kind.hasPrefix("ai_") ? String(edge.kind.dropFirst(3)) : edge.kind)
            }
            if edge.isMain, edge.inputIndex > 0 || document.node(named: edge.target)?.type == "n8n-nodes-base.merge" {
                parts.append("input \(edge.inputIndex + 1)")
            }
            arrows.append(Arrow(from: from, to: to, label: parts.isEmpty ? nil : parts.joined(separator: " → "),
                                dashed: !edge.isMain))
        }
    }

    /// The diagram in `format`, ending in a newline.
    public func text(in format: Format) -> String {
        switch format {
        case .mermaid: mermaid()
        case .dot: dot()
        }
    }

    private static func shortType(_ node: NodeDocument) -> String {
        var type = node.type
        for prefix in ["n8n-nodes-base.", "@n8n/n8n-nodes-langchain."] where type.hasPrefix(prefix) {
            type = String(type.dropFirst(prefix.count))
        }
        if let version = node.typeVersion { type += " v" + JSNumberFormatting.string(version) }
        return type
    }

    private func mermaid() -> String {
        func escape(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "\"": out += "#quot;"
                case "<": out += "#lt;"
                case ">": out += "#gt;"
                case "#": out += "#35;"
                case "\n", "\r": out += " "
                default: out.append(c)
                }
            }
            return out
        }
        var lines = ["flowchart LR"]
        for box in boxes {
            let label = "\"\(escape(box.name))<br/><small>\(escape(box.type))\(box.disabled ? " (disabled)" : "")</small>\""
            lines.append(box.trigger ? "    \(box.id)([\(label)])" : "    \(box.id)[\(label)]")
        }
        for arrow in arrows {
            let link = arrow.dashed ? "-.->" : "-->"
            if let label = arrow.label {
                lines.append("    \(arrow.from) \(link)|\"\(escape(label))\"| \(arrow.to)")
            } else {
                lines.append("    \(arrow.from) \(link) \(arrow.to)")
            }
        }
        let disabled = boxes.filter(\.disabled).map(\.id)
        if !disabled.isEmpty {
            lines.append("    classDef disabled fill:#eeeeee,stroke:#999999,stroke-dasharray:5 5,color:#777777")
            lines.append("    class \(disabled.joined(separator: ",")) disabled")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func dot() -> String {
        func quote(_ s: String) -> String {
            var out = "\""
            for c in s {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": break
                default: out.append(c)
                }
            }
            return out + "\""
        }
        var lines = ["digraph workflow {", "    rankdir=LR;", "    node [shape=box, style=rounded, fontname=\"Helvetica\"];",
                     "    edge [fontname=\"Helvetica\", fontsize=10];"]
        for box in boxes {
            var attributes = ["label=\(quote("\(box.name)\n\(box.type)\(box.disabled ? " (disabled)" : "")"))"]
            if box.disabled { attributes.append("style=\"rounded,dashed\", fontcolor=gray50, color=gray50") }
            if box.trigger { attributes.append("shape=box, peripheries=2") }
            lines.append("    \(box.id) [\(attributes.joined(separator: ", "))];")
        }
        for arrow in arrows {
            var attributes: [String] = []
            if let label = arrow.label { attributes.append("label=\(quote(label))") }
            if arrow.dashed { attributes.append("style=dashed") }
            lines.append("    \(arrow.from) -> \(arrow.to)\(attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]");")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Names of the outputs of the branching core nodes, as n8n's editor shows them.
enum BranchLabels {
    static func label(of node: NodeDocument, output: Int, registered: [String]? = nil) -> String? {
        let version = node.typeVersion ?? 1
        let base = node.type.split(separator: ".").last.map(String.init) ?? node.type
        var names: [String] = []
        switch base {
        case "if": names = ["true", "false"]
        case "filter": names = version >= 2 ? ["kept", "discarded"] : ["kept"]
        case "splitInBatches": names = version >= 3 ? ["done", "loop"] : []
        case "compareDatasets": names = ["In A only", "Same", "Different", "In B only"]
        case "switch": names = switchOutputs(node, version: version)
        default: names = registered ?? []
        }
        let normalCount = max(names.count, 1)
        if node.errorPolicy == .continueErrorOutput && output == normalCount { return "error" }
        if output < names.count { return names[output] }
        return output > 0 ? "output \(output)" : nil
    }

    private static func switchOutputs(_ node: NodeDocument, version: Double) -> [String] {
        let parameters = node.parameters
        if parameters["mode"]?.stringValue == "expression" {
            let count = Int(parameters["numberOutputs"]?.numberValue ?? 4)
            return (0..<max(0, min(count, 64))).map { "output \($0)" }
        }
        var names: [String] = []
        if version >= 3 {
            let rules = parameters["rules"]?["values"]?.arrayValue ?? []
            for (index, rule) in rules.enumerated() {
                if rule["renameOutput"]?.boolValue == true, let key = rule["outputKey"]?.stringValue, !key.isEmpty {
                    names.append(key)
                } else {
                    names.append("rule \(index)")
                }
            }
            if parameters["options"]?["fallbackOutput"]?.stringValue == "extra" {
                names.append(parameters["options"]?["renameFallbackOutput"]?.stringValue ?? "Fallback")
            }
        } else {
            let rules = parameters["rules"]?["rules"]?.arrayValue ?? []
            let count = max(4, rules.count)
            names = (0..<count).map { "output \($0)" }
        }
        return names
    }
}
