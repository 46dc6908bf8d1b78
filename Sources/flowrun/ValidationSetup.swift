import FlowrunCore

extension WorkflowValidator.Configuration {
    /// Everything `flowrun validate` checks: the structural checks in FlowrunCore plus the checks
    /// registered here (FlowrunNodes' typed-graph check: node types, type versions, parameters).
    static func flowrun(credentials: any CredentialAvailability = NoCredentials()) -> Self {
        var configuration = Self(loader: .flowrun, credentials: credentials)
        // Registration point for FlowrunNodes: append checks and set `isTrigger` here.
        configuration.checks += []
        return configuration
    }
}

extension WorkflowLoader.Configuration {
    /// How flowrun's commands load files: authoring defaults on, newest versions from the registry.
    static var flowrun: Self {
        // Registration point for FlowrunNodes: pass the registry's newest typeVersion per node type.
        Self(fillsAuthoringDefaults: true, newestTypeVersion: { _ in nil })
    }
}
