public import FlowrunCore
import Foundation

/// One workflow file loaded for serving. What requests ask of it on every execution (id, folder,
/// node types) is worked out once, when it is made or changed, not per request.
public struct LoadedWorkflow: Sendable {
    public var file: String { didSet { derive() } }
    public var graph: WorkflowGraph { didSet { derive() } }
    /// The file's modification time when it was read (reload compares it).
    public var modified: Date
    /// Diagnostics that do not keep the workflow from running (logged at load).
    public var warnings: [String] = []
    /// `id` of the document, else the file name without extension.
    public private(set) var id: String = ""
    /// The file's folder: where sub-workflow and error-workflow paths start.
    public private(set) var directory: String = "."
    /// Node types by node name (metrics label node durations with them).
    private(set) var nodeTypes: [String: String] = [:]
    /// Whether an enabled Respond to Webhook node is in the workflow.
    private(set) var hasRespondNode = false

    public init(file: String, graph: WorkflowGraph, modified: Date, warnings: [String] = []) {
        self.file = file
        self.graph = graph
        self.modified = modified
        self.warnings = warnings
        derive()
    }

    public var name: String { graph.document.name ?? id }

    private mutating func derive() {
        if let id = graph.document.id, !id.isEmpty {
            self.id = id
        } else {
            self.id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        }
        let directory = (file as NSString).deletingLastPathComponent
        self.directory = directory.isEmpty ? "." : directory
        var types: [String: String] = [:]
        for node in graph.nodes { types[node.name] = node.type }
        nodeTypes = types
        hasRespondNode = graph.nodes.contains { $0.type == "n8n-nodes-base.respondToWebhook" && !$0.disabled }
    }
}

/// Finding and loading workflow files as `flowrun run` does (structural validation, then
/// `WorkflowGraph.build`), without printing: diagnostics come back for the caller to log.
public enum WorkflowFiles {
    public static let extensions: Set<String> = ["json", "yaml", "yml"]

    /// Every workflow file in `paths` (files as given; folders searched recursively, sorted).
    public static func files(in paths: [String]) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                out.append(path)
                continue
            }
            guard let walker = fm.enumerator(atPath: path) else { continue }
            var found: [String] = []
            while let entry = walker.nextObject() as? String {
                let name = (entry as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                if extensions.contains((entry as NSString).pathExtension.lowercased()) {
                    found.append((path as NSString).appendingPathComponent(entry))
                }
            }
            out += found.sorted()
        }
        return out
    }

    /// The file's modification time (distantPast when unreadable).
    public static func modificationDate(_ file: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Loads `file`: the workflow, or the error diagnostics that keep it from running.
    public static func load(_ file: String, registry: NodeRegistry) -> Result<LoadedWorkflow, LoadFailure> {
        let modified = modificationDate(file)
        // As the CLI loads files: authoring defaults on, a missing typeVersion is the newest supported.
        var checks = WorkflowValidator.Configuration(
            loader: WorkflowLoader.Configuration(fillsAuthoringDefaults: true, newestTypeVersion: { registry.newestVersion(of: $0) }))
        checks.isTrigger = { registry.isTrigger($0) }
        let report = WorkflowValidator(configuration: checks).validate(contentsOf: file)
        guard let document = report.document, report.isValid else {
            let lines = report.diagnostics.filter { $0.severity == .error }.map { (d: Diagnostic) in d.description }
            return .failure(LoadFailure(file: file, diagnostics: lines.isEmpty ? ["\(file): not a workflow"] : lines))
        }
        let (graph, diagnostics) = WorkflowGraph.build(document, registry: registry, file: file)
        var errors: [String] = []
        var warnings: [String] = []
        for diagnostic in diagnostics where diagnostic.severity == .error {
            // As `flowrun run`: only unknown node types and versions keep a workflow from running.
            let blocking = [Diagnostic.Code.unsupportedNodeType, .unsupportedTypeVersion].contains(diagnostic.code)
                && !(diagnostic.node.flatMap { graph.node($0)?.disabled } ?? false)
            if blocking { errors.append(diagnostic.description) } else { warnings.append(diagnostic.description) }
        }
        if !errors.isEmpty { return .failure(LoadFailure(file: file, diagnostics: errors)) }
        return .success(LoadedWorkflow(file: file, graph: graph, modified: modified, warnings: warnings))
    }

    /// Why a file was not loaded.
    public struct LoadFailure: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var diagnostics: [String]
        /// The modification time of the version that failed (a reload retries only newer ones).
        public var modified: Date = .distantPast
        public var description: String { diagnostics.joined(separator: "\n") }
    }
}
