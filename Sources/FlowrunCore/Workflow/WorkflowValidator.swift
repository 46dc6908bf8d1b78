public import FlowrunExpressions

/// Loads workflow files and runs every check on them, collecting all diagnostics.
///
/// `flowrun validate` calls `validate(contentsOf:)` and nothing else; FlowrunNodes extends what is
/// checked by adding its `WorkflowCheck` to `Configuration.checks`.
public struct WorkflowValidator: Sendable {
    /// How files are loaded and which checks run.
    public struct Configuration: Sendable {
        /// How files are read (authoring defaults, newest type versions).
        public var loader: WorkflowLoader.Configuration
        /// Checks run after the structural ones, in order (FlowrunNodes adds the typed-graph check).
        public var checks: [any WorkflowCheck]
        /// The credentials that count as configured; references to others are warnings.
        public var credentials: any CredentialAvailability
        /// Whether a node type starts executions (a trigger); `nil` for "unknown", when a name-based
        /// guess is used (`…Trigger`, `webhook`, `start`, `cron`, `interval`).
        public var isTrigger: @Sendable (_ nodeType: String) -> Bool?

        /// Creates a configuration: default loading, no extra checks, no credentials configured.
        public init(
            loader: WorkflowLoader.Configuration = .init(), checks: [any WorkflowCheck] = [],
            credentials: any CredentialAvailability = NoCredentials(),
            isTrigger: @escaping @Sendable (_ nodeType: String) -> Bool? = { _ in nil }
        ) {
            self.loader = loader
            self.checks = checks
            self.credentials = credentials
            self.isTrigger = isTrigger
        }
    }

    /// The outcome for one file.
    public struct Report: Sendable {
        /// The file as the user named it.
        public var file: String
        /// The loaded document, when the file is a workflow at all.
        public var document: WorkflowDocument?
        /// Every problem found, in the order found.
        public var diagnostics: [Diagnostic]

        /// Valid when no diagnostic is an error (warnings are allowed).
        public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

        /// The `--format json` line: `{"file", "valid", "diagnostics": [...]}`.
        public var jsonValue: JSONValue {
            ["file": .string(file), "valid": .bool(isValid), "diagnostics": .array(diagnostics.map(\.jsonValue))]
        }
    }

    /// How files are loaded and which checks run.
    public var configuration: Configuration

    /// Creates a validator with the structural checks and `configuration.checks`.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Loads and checks the file at `path`.
    public func validate(contentsOf path: String) -> Report {
        let result = WorkflowLoader(configuration: configuration.loader).load(contentsOf: path)
        return validate(result, file: path)
    }

    /// Loads and checks workflow text.
    public func validate(text: String, format: WorkflowFormat, fileName: String) -> Report {
        let result = WorkflowLoader(configuration: configuration.loader).load(text: text, format: format, fileName: fileName)
        return validate(result, file: fileName)
    }

    /// Checks an already loaded file.
    public func validate(_ result: WorkflowLoader.Result, file: String) -> Report {
        var diagnostics = result.diagnostics
        guard let document = result.document else {
            return Report(file: file, document: nil, diagnostics: diagnostics)
        }
        let context = WorkflowCheckContext(file: file, format: result.format, marks: result.marks)
        let structural = StructuralCheck(credentials: configuration.credentials, isTrigger: configuration.isTrigger)
        diagnostics += structural.check(document, in: context)
        for check in configuration.checks {
            diagnostics += check.check(document, in: context)
        }
        return Report(file: file, document: document, diagnostics: diagnostics)
    }
}

/// No credentials configured: every reference is reported.
public struct NoCredentials: CredentialAvailability {
    /// Creates the empty credential set.
    public init() {}
    /// Always false.
    public func isConfigured(_ reference: NodeDocument.CredentialReference) -> Bool { false }
}
