import FlowrunCore
import FlowrunNodes

extension WorkflowValidator.Configuration {
    /// Everything `flowrun validate` checks: the structural checks in FlowrunCore plus the checks
    /// registered here: FlowrunNodes' typed-graph check (node types, type versions, parameters,
    /// expressions) and the Code node syntax check (compiled by the node/python3 runners).
    static func flowrun(credentials: any CredentialAvailability = NoCredentials()) -> Self {
        let registry = NodeRegistry.builtIn
        var configuration = Self(loader: .flowrun, credentials: credentials)
        configuration.isTrigger = { registry.isTrigger($0) }
        // Registration point for FlowrunNodes: append the typed-graph check here.
        configuration.checks += [TypedGraphCheck(registry: registry), ResilienceSettingsCheck(), CodeSyntaxCheck()]
        return configuration
    }
}

extension WorkflowLoader.Configuration {
    /// How flowrun's commands load files: authoring defaults on, a missing typeVersion becomes the
    /// newest version the built-in registry supports.
    static var flowrun: Self {
        let registry = NodeRegistry.builtIn
        return Self(fillsAuthoringDefaults: true, newestTypeVersion: { registry.newestVersion(of: $0) })
    }
}
