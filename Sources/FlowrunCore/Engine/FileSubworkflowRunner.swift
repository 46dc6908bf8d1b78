import Foundation
public import FlowrunExpressions

/// Runs sub-workflows for Execute Workflow from files (relative paths against `baseDirectory`),
/// from ids mapped to files, or from inline JSON; the child starts at its Execute Workflow
/// Trigger (or legacy Start) with the parent's items, in mode `integrated`.
public struct FileSubworkflowRunner: SubworkflowRunner {
    public var registry: NodeRegistry
    public var baseDirectory: String
    /// Workflow ids to files, for `source: database` calls.
    public var workflowsByID: [String: String]
    /// The engine configuration children run with (observers are not passed on).
    public var engineConfiguration: Engine.Configuration
    /// Nesting limit.
    public var maxDepth: Int
    var depth: Int

    public init(registry: NodeRegistry, baseDirectory: String, workflowsByID: [String: String] = [:],
                engineConfiguration: Engine.Configuration = .init(), maxDepth: Int = 32) {
        self.registry = registry
        self.baseDirectory = baseDirectory
        self.workflowsByID = workflowsByID
        self.engineConfiguration = engineConfiguration
        self.maxDepth = maxDepth
        self.depth = 0
    }

    public func run(_ source: SubworkflowSource, items: [Item], waitForCompletion: Bool, context: ExecutionContext) async throws -> [[Item]] {
        guard depth < maxDepth else {
            throw NodeError(.subworkflow, "sub-workflows nested deeper than \(maxDepth) levels", node: context.nodeName)
        }
        let loader = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: true, newestTypeVersion: { [registry] in registry.newestVersion(of: $0) }))
        let loaded: WorkflowLoader.Result
        var directory = baseDirectory
        switch source {
        case .file(let path):
            let full = path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
            directory = (full as NSString).deletingLastPathComponent
            loaded = loader.load(contentsOf: full)
        case .id(let id):
            // Mapped paths are relative to the base directory; a found one already starts with it
            // (prefixing it again broke `flowrun serve workflows/` with a relative folder).
            let mapped = workflowsByID[id].map { $0.hasPrefix("/") ? $0 : (baseDirectory as NSString).appendingPathComponent($0) }
            guard let full = mapped ?? Self.findWorkflow(id: id, in: baseDirectory, loader: loader) else {
                throw NodeError(.subworkflow, "Workflow with ID \"\(id)\" could not be found (no file with that \"id\" in \(baseDirectory))", node: context.nodeName)
            }
            directory = (full as NSString).deletingLastPathComponent
            loaded = loader.load(contentsOf: full)
        case .document(let json):
            loaded = loader.load(text: json.jsonString(), format: .json, fileName: "\(context.nodeName) (parameter)")
        }
        guard let document = loaded.document, !loaded.hasErrors else {
            let reason = loaded.diagnostics.first { $0.severity == .error }.map { "\($0)" } ?? "not a workflow"
            throw NodeError(.subworkflow, "the sub-workflow could not be loaded: \(reason)", node: context.nodeName)
        }
        let (graph, _) = WorkflowGraph.build(document, registry: registry)
        let start = graph.nodes.first { !$0.disabled && $0.type == "n8n-nodes-base.executeWorkflowTrigger" }
            ?? graph.nodes.first { !$0.disabled && $0.type == "n8n-nodes-base.start" }
            ?? graph.defaultStartNode
        guard let start else {
            throw NodeError(.subworkflow, "the sub-workflow has no Execute Workflow Trigger to start from", node: context.nodeName)
        }
        var child = self
        child.depth += 1
        child.baseDirectory = directory
        var configuration = engineConfiguration
        configuration.observers = []
        configuration.subworkflows = child
        let engine = Engine(configuration: configuration)
        let options = Engine.RunOptions(mode: .integrated, startNode: start.name, input: items.isEmpty ? [Item()] : items)
        let result = await engine.run(graph, options: options)
        if let error = result.error {
            throw NodeError(.subworkflow, error.nodeError?.message ?? error.message, detail: error.description, node: context.nodeName)
        }
        // Sub-workflows are not recorded, so one put to wait could never be resumed.
        if result.status == .waiting {
            throw NodeError(.subworkflow, "the sub-workflow was put to wait by node \"\(result.waiting?.suspension?.node ?? "?")\"; waiting sub-workflows are not supported by flowrun", node: context.nodeName)
        }
        return waitForCompletion ? result.lastNodeOutput : []
    }

    /// A workflow file in `directory` (not recursive) whose top-level `id` is `id`.
    static func findWorkflow(id: String, in directory: String, loader: WorkflowLoader) -> String? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for name in names where WorkflowFormat(fileName: name) != nil {
            let path = (directory as NSString).appendingPathComponent(name)
            if loader.load(contentsOf: path).document?.id == id { return path }
        }
        return nil
    }
}
