import FlowrunExpressions

/// One pass over a loaded workflow that reports problems; the validator runs every registered check.
///
/// FlowrunNodes plugs its typed-graph check (node types, type versions, parameters, output counts)
/// in through this protocol, so Core never imports the node registry.
public protocol WorkflowCheck: Sendable {
    /// Returns the problems found in `document`; `context` builds located diagnostics.
    func check(_ document: WorkflowDocument, in context: WorkflowCheckContext) -> [Diagnostic]
}

/// What a check knows about the file besides the document: its name and where things are in it.
public struct WorkflowCheckContext: Sendable {
    /// The file as the user named it.
    public var file: String
    /// The format it was read as.
    public var format: WorkflowFormat
    let marks: [String: WorkflowLoader.SourceMark]

    /// Creates a context for one loaded file.
    package init(file: String, format: WorkflowFormat, marks: [String: WorkflowLoader.SourceMark]) {
        self.file = file
        self.format = format
        self.marks = marks
    }

    /// A diagnostic in this file; `path` (`nodes[2].parameters.url`, `connections.If`) adds the line
    /// and column of that value, or of its nearest enclosing value the loader located (values are
    /// located down to `WorkflowLoader.locatedDepth` levels).
    public func diagnostic(
        _ severity: Diagnostic.Severity, _ code: Diagnostic.Code, _ message: String, node: String? = nil,
        parameter: String? = nil, path: String? = nil
    ) -> Diagnostic {
        let mark = path.flatMap { location(of: $0) }
        return Diagnostic(severity, code, message.shortened(to: 1000), file: file, node: node?.shortened(to: 200),
                          parameter: parameter, line: mark?.line, column: mark?.column)
    }

    /// Line and column of the value at `path`, or of its nearest located ancestor.
    public func location(of path: String) -> (line: Int, column: Int)? {
        var current = Substring(path)
        while !current.isEmpty {
            if let mark = marks[String(current)] { return (mark.line, mark.column) }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            current = current[..<cut]
        }
        return nil
    }

    /// The path of the node named `name` (`nodes[3]`), for `diagnostic(path:)`.
    public func path(ofNode name: String, in document: WorkflowDocument) -> String? {
        document.nodes.firstIndex { $0.name == name }.map { "nodes[\($0)]" }
    }
}

/// Tells whether a credential a node references is available to flowrun.
public protocol CredentialAvailability: Sendable {
    /// Whether the referenced credential is configured.
    func isConfigured(_ reference: NodeDocument.CredentialReference) -> Bool
}

extension String {
    /// The text cut in the middle to at most about `limit` characters, so a 50 MB node name does not
    /// become a 50 MB diagnostic.
    func shortened(to limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(limit * 2 / 3)) + " … " + String(suffix(limit / 3))
    }
}
