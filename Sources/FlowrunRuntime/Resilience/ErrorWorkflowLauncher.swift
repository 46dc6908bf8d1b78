public import FlowrunCore
public import FlowrunExpressions
import FlowrunNodes
import Foundation
import Logging

/// Starts a workflow's error workflow (n8n's `settings.errorWorkflow` with an Error Trigger) with
/// n8n's error data, when an execution fails or one of its circuit breakers opens.
///
/// n8n's rules: `settings.errorWorkflow` (a workflow id, or for flowrun also a file path relative
/// to the failed workflow's folder) is started unless it is the failed workflow itself running in
/// error mode; without it, a workflow that contains an Error Trigger starts itself from that node
/// (except in error mode). The error workflow runs in mode `error`, from its first enabled Error
/// Trigger, with one item: `{execution: {id, url, error, lastNodeExecuted, mode, retryOf?},
/// workflow: {id, name}}`.
public struct ErrorWorkflowLauncher: Sendable {
    public struct Configuration: Sendable {
        /// Where relative error-workflow paths and id lookups start (the failed workflow's folder).
        public var baseDirectory: String
        /// Workflow files by id, searched before the files of `baseDirectory`.
        public var workflowsByID: [String: String]
        /// n8n's editor URL, for `execution.url` (`<base>/workflow/<id>/executions/<execution id>`);
        /// nil leaves `url` out.
        public var editorBaseURL: String?
        /// The node types error workflows may use.
        public var registry: NodeRegistry

        public init(baseDirectory: String = FileManager.default.currentDirectoryPath, workflowsByID: [String: String] = [:],
                    editorBaseURL: String? = nil, registry: NodeRegistry = .builtIn) {
            self.baseDirectory = baseDirectory
            self.workflowsByID = workflowsByID
            self.editorBaseURL = editorBaseURL
            self.registry = registry
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// n8n's `IWorkflowErrorData` for an execution of `workflow`.
    public func errorData(
        workflow: WorkflowDocument, executionID: String, error: JSONValue, lastNodeExecuted: String?, mode: ExecutionMode,
        retryOf: String? = nil
    ) -> JSONObject {
        var execution: JSONObject = ["id": .string(executionID)]
        if let base = configuration.editorBaseURL {
            let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
            execution["url"] = .string("\(trimmed)/workflow/\(workflow.id ?? "")/executions/\(executionID)")
        }
        execution["error"] = error
        if let lastNodeExecuted { execution["lastNodeExecuted"] = .string(lastNodeExecuted) }
        execution["mode"] = .string(mode.rawValue)
        if let retryOf { execution["retryOf"] = .string(retryOf) }
        var wf: JSONObject = [:]
        if let id = workflow.id { wf["id"] = .string(id) }
        if let name = workflow.name { wf["name"] = .string(name) }
        return ["execution": .object(execution), "workflow": .object(wf)]
    }

    /// n8n's error object for a failed execution: `message`, `stack`, `name` and the node's error fields.
    public static func errorJSON(_ failure: ExecutionFailure) -> JSONValue {
        var o: JSONObject = failure.nodeError?.jsonValue.objectValue ?? [:]
        o["message"] = .string(failure.nodeError?.message ?? failure.message)
        o["stack"] = .string(failure.description)
        o["name"] = .string(failure.nodeError == nil ? "WorkflowOperationError" : "NodeOperationError")
        return .object(o)
    }

    /// Starts the error workflow of a finished execution when it failed; nil when it did not fail
    /// or the workflow has no error workflow.
    ///
    /// - Throws: when the error workflow cannot be found or loaded (the message names it).
    public func launch(
        after result: ExecutionResult, of workflow: WorkflowDocument, mode: ExecutionMode, engine: Engine.Configuration,
        retryOf: String? = nil
    ) async throws -> ExecutionResult? {
        guard let failure = result.error else { return nil }
        let data = errorData(workflow: workflow, executionID: result.executionID, error: Self.errorJSON(failure),
                             lastNodeExecuted: result.lastNodeExecuted ?? failure.node, mode: mode, retryOf: retryOf)
        return try await launch(for: workflow, mode: mode, data: data, engine: engine)
    }

    /// Starts the error workflow of `workflow` with `data` (n8n's error data); nil when there is none.
    /// It runs to its end before this returns, with `engine`'s clock, services and logger
    /// (observers are kept: the error workflow's execution is recorded like any other).
    public func launch(
        for workflow: WorkflowDocument, mode: ExecutionMode, data: JSONObject, engine baseConfiguration: Engine.Configuration
    ) async throws -> ExecutionResult? {
        let logger = baseConfiguration.logger
        let target: WorkflowDocument
        var directory = configuration.baseDirectory
        if let reference = workflow.settings.errorWorkflow, !reference.isEmpty {
            if mode == .error, reference == workflow.id { return nil }
            (target, directory) = try load(reference)
        } else if mode != .error, workflow.nodes.contains(where: { $0.type == Self.errorTriggerType }) {
            target = workflow
        } else {
            return nil
        }
        let (graph, _) = WorkflowGraph.build(target, registry: configuration.registry)
        guard let trigger = graph.nodes.first(where: { !$0.disabled && $0.type == Self.errorTriggerType }) else {
            throw ExecutionFailure(.invalidStart, "error workflow \"\(target.name ?? workflow.settings.errorWorkflow ?? "")\" has no enabled Error Trigger node")
        }
        logger.info("Error workflow started", metadata: [
            "flowrun.workflow.id": "\(workflow.id ?? "")", "flowrun.error_workflow": "\(target.id ?? target.name ?? "")",
        ])
        var engineConfiguration = baseConfiguration
        engineConfiguration.subworkflows = FileSubworkflowRunner(
            registry: configuration.registry, baseDirectory: directory, workflowsByID: configuration.workflowsByID,
            engineConfiguration: engineConfiguration)
        let engine = Engine(configuration: engineConfiguration)
        return await engine.run(graph, options: .init(mode: .error, startNode: trigger.name, input: [Item(json: data)]))
    }

    static let errorTriggerType = "n8n-nodes-base.errorTrigger"

    /// Loads the error workflow named by `reference`: a file path, or an id.
    func load(_ reference: String) throws -> (WorkflowDocument, directory: String) {
        let registry = configuration.registry
        let loader = WorkflowLoader(configuration: .init(fillsAuthoringDefaults: true, newestTypeVersion: { registry.newestVersion(of: $0) }))
        let base = configuration.baseDirectory
        var path: String?
        if WorkflowFormat(fileName: reference) != nil || reference.contains("/") {
            path = reference.hasPrefix("/") ? reference : (base as NSString).appendingPathComponent(reference)
        } else if let known = configuration.workflowsByID[reference] {
            path = known.hasPrefix("/") ? known : (base as NSString).appendingPathComponent(known)
        } else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
            for name in names where WorkflowFormat(fileName: name) != nil {
                let candidate = (base as NSString).appendingPathComponent(name)
                if loader.load(contentsOf: candidate).document?.id == reference { path = candidate; break }
            }
        }
        guard let path else {
            throw ExecutionFailure(.invalidStart, "settings.errorWorkflow: no workflow with id \"\(reference)\" in \(base)")
        }
        let loaded = loader.load(contentsOf: path)
        guard let document = loaded.document, !loaded.hasErrors else {
            let reason = loaded.diagnostics.first { $0.severity == .error }.map { "\($0)" } ?? "not a workflow"
            throw ExecutionFailure(.invalidStart, "settings.errorWorkflow \(path): \(reason)")
        }
        return (document, (path as NSString).deletingLastPathComponent)
    }
}
