import FlowrunExpressions

extension WorkflowGraph {
    /// Builds a diagnostic: severity, code, message, node, parameter path, document path
    /// (`nodes[2].parameters`) for line and column.
    public typealias DiagnosticMaker = (
        _ severity: Diagnostic.Severity, _ code: Diagnostic.Code, _ message: String, _ node: String?,
        _ parameter: String?, _ path: String?
    ) -> Diagnostic

    /// Resolves every node of `document` against `registry`, decodes parameters, compiles every
    /// expression and checks connections against the node types' inputs and outputs.
    ///
    /// Never fails: problems come back as diagnostics (`unsupportedNodeType`,
    /// `unsupportedTypeVersion`, `invalidParameter`, `expressionSyntax`, `unknownNodeReference`,
    /// `invalidOutputIndex`, `invalidInputIndex`) and the graph keeps the nodes it could not
    /// configure without an implementation (they fail if executed, as in n8n).
    public static func build(
        _ document: WorkflowDocument, registry: NodeRegistry, file: String? = nil,
        makeDiagnostic: DiagnosticMaker? = nil
    ) -> (graph: WorkflowGraph, diagnostics: [Diagnostic]) {
        let make: DiagnosticMaker = makeDiagnostic ?? { severity, code, message, node, parameter, _ in
            Diagnostic(severity, code, message, file: file, node: node, parameter: parameter)
        }
        var diagnostics: [Diagnostic] = []
        let names = Set(document.nodes.map(\.name))
        var nodes: [GraphNode] = []
        var indexByName: [String: Int] = [:]
        for (position, doc) in document.nodes.enumerated() {
            let nodePath = "nodes[\(position)]"
            if indexByName[doc.name] != nil { continue }  // duplicate names: H3's structural check reports them
            var implementation: (any Node)?
            var description: NodeDescription?
            let requested = doc.typeVersion
            var version = requested ?? registry.newestVersion(of: doc.type) ?? 1
            if !doc.isStickyNote, !doc.type.isEmpty {
                switch registry.resolve(doc.type, version: version) {
                case .unknownType:
                    diagnostics.append(make(.error, .unsupportedNodeType,
                        "node type \"\(doc.type)\" is not supported by flowrun (see `flowrun nodes`)", doc.name, nil, "\(nodePath).type"))
                case .unsupportedVersion(let supported):
                    diagnostics.append(make(.error, .unsupportedTypeVersion,
                        "typeVersion \(JSNumberFormatting.string(version)) of \"\(doc.type)\" is not supported; supported: \(supported.map(JSNumberFormatting.string).joined(separator: ", "))",
                        doc.name, nil, "\(nodePath).typeVersion"))
                case .found(let type):
                    description = type.description
                    let configuration = NodeConfiguration(nodeName: doc.name, type: doc.type, typeVersion: version,
                                                          parameters: doc.parameters, credentials: doc.credentials)
                    do {
                        implementation = try type.init(configuration: configuration)
                    } catch {
                        diagnostics.append(make(.error, .invalidParameter, "\(error)", doc.name, nil, "\(nodePath).parameters"))
                    }
                    for issue in configuration.issues.issues {
                        diagnostics.append(make(.error, .invalidParameter, issue.message, doc.name,
                                                issue.path.isEmpty ? nil : issue.path, "\(nodePath).parameters"))
                    }
                }
            }
            if requested == nil { version = description?.newestVersion ?? version }
            if !doc.isStickyNote {
                diagnostics += expressionDiagnostics(doc, names: names, path: nodePath, make: make)
            }
            indexByName[doc.name] = nodes.count
            nodes.append(GraphNode(
                name: doc.name, type: doc.type, typeVersion: version, document: doc, implementation: implementation,
                description: description, disabled: doc.disabled, position: doc.position ?? Position(x: 0, y: 0),
                alwaysOutputData: doc.alwaysOutputData, executeOnce: doc.executeOnce, retryOnFail: doc.retryOnFail,
                maxTries: doc.maxTries, waitBetweenTries: doc.waitBetweenTries, onError: doc.onError,
                continueOnFailFlag: doc.continueOnFail))
        }

        var bySource: [String: [[Link]]] = [:]
        var byDestination: [String: [[Link]]] = [:]
        for (source, kinds) in document.connections.bySource {
            guard let sourceIndex = indexByName[source], let main = kinds["main"] else { continue }
            let sourceNode = nodes[sourceIndex]
            var outputs: [[Link]] = []
            for (outputIndex, targets) in main.enumerated() {
                var links: [Link] = []
                for target in targets ?? [] where target.type == "main" {
                    guard let targetIndex = indexByName[target.node] else { continue }
                    let targetNode = nodes[targetIndex]
                    if sourceNode.implementation != nil, !sourceNode.isTrigger || outputIndex > 0,
                       outputIndex >= sourceNode.outputCount {
                        diagnostics.append(make(.error, .invalidOutputIndex,
                            "connection to \"\(target.node)\" leaves output \(outputIndex), but this node has \(sourceNode.outputCount) output\(sourceNode.outputCount == 1 ? "" : "s")",
                            source, nil, "connections.\(source)"))
                    }
                    if let impl = targetNode.implementation, target.index >= max(impl.inputCount, 1) {
                        diagnostics.append(make(.error, .invalidInputIndex,
                            "connection from \"\(source)\" enters input \(target.index), but this node has \(impl.inputCount) input\(impl.inputCount == 1 ? "" : "s")",
                            target.node, nil, "connections.\(source)"))
                    }
                    links.append(Link(node: target.node, index: target.index))
                    var slots = byDestination[target.node] ?? []
                    while slots.count <= target.index { slots.append([]) }
                    slots[target.index].append(Link(node: source, index: outputIndex))
                    byDestination[target.node] = slots
                }
                outputs.append(links)
            }
            bySource[source] = outputs
        }
        var graph = WorkflowGraph(document: document, nodes: nodes, indexByName: indexByName,
                                  bySource: bySource, byDestination: byDestination)
        var sources: [String: [Bool]] = [:]
        for (name, slots) in byDestination {
            sources[name] = slots.indices.map { index in
                var checked: [String] = []
                return !graph.highestNodes(name, inputIndex: index, checked: &checked).isEmpty
            }
        }
        graph.inputHasEnabledSource = sources
        return (graph, diagnostics)
    }

    /// Compiles every `=` string in the node's parameters: syntax errors and references to nodes
    /// that do not exist.
    static func expressionDiagnostics(_ doc: NodeDocument, names: Set<String>, path: String, make: DiagnosticMaker) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func walk(_ value: JSONValue, _ parameter: String) {
            switch value {
            case .string(let s) where s.hasPrefix("="):
                do {
                    let e = try ParameterExpression(parsing: s)
                    var reported = Set<String>()
                    for name in e.referencedNodes where !names.contains(name) && reported.insert(name).inserted {
                        out.append(make(.error, .unknownNodeReference,
                            "unknown node \"\(name)\" referenced in the expression", doc.name, parameter, "\(path).parameters.\(parameter)"))
                    }
                } catch {
                    var d = make(.error, .expressionSyntax, "\(error)", doc.name, parameter, "\(path).parameters.\(parameter)")
                    if d.line == nil { d.column = error.column }
                    out.append(d)
                }
            case .object(let o):
                for (k, v) in o { walk(v, parameter.isEmpty ? k : "\(parameter).\(k)") }
            case .array(let a):
                for (i, v) in a.enumerated() { walk(v, "\(parameter)[\(i)]") }
            default: break
            }
        }
        walk(.object(doc.parameters), "")
        return out
    }
}

/// The typed-graph check `flowrun validate` runs after the structural checks.
public struct TypedGraphCheck: WorkflowCheck {
    public var registry: NodeRegistry

    public init(registry: NodeRegistry) {
        self.registry = registry
    }

    public func check(_ document: WorkflowDocument, in context: WorkflowCheckContext) -> [Diagnostic] {
        WorkflowGraph.build(document, registry: registry, file: context.file) { severity, code, message, node, parameter, path in
            context.diagnostic(severity, code, message, node: node, parameter: parameter, path: path)
        }.diagnostics
    }
}
