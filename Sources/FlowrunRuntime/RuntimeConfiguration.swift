/// What a `Runtime` is built from. Plain values with defaults and no I/O; the CLI and the server
/// fill it from flags, environment and the config file (docs/configuration.md lists every key).
public struct RuntimeConfiguration: Sendable {
    /// Where the embedded state lives (SQLite file, default `.flowrun` in the working directory;
    /// `FLOWRUN_DATA_DIR`).
    public var dataDirectory: String
    /// The credentials file (YAML or JSON, possibly encrypted; `FLOWRUN_CREDENTIALS`).
    public var credentialsFile: String?
    /// The process environment: credentials from `FLOWRUN_CRED_…` variables, the encryption key,
    /// `$env` for expressions.
    public var environment: [String: String]
    /// `postgres://…` for the shared Postgres state store; nil for the embedded SQLite store
    /// (`FLOWRUN_STORE_URL`).
    public var storeURL: String?
    /// Whether executions are recorded in the store (off for `dry-run`).
    public var recordsExecutions: Bool
    /// Retries, circuit breakers, their observers (metrics) and error workflows on breaker open
    /// (`FLOWRUN_BREAKER_*`, docs/resilience.md).
    public var resilience: ResilienceSettings

    public init(
        dataDirectory: String = ".flowrun", credentialsFile: String? = nil, environment: [String: String] = [:],
        storeURL: String? = nil, recordsExecutions: Bool = true, resilience: ResilienceSettings = ResilienceSettings()
    ) {
        self.dataDirectory = dataDirectory
        self.credentialsFile = credentialsFile
        self.environment = environment
        self.storeURL = storeURL
        self.recordsExecutions = recordsExecutions
        self.resilience = resilience
    }

    /// Whether expressions and Code nodes may read `$env`: only when `N8N_BLOCK_ENV_ACCESS_IN_NODE`
    /// is `false`, as in n8n 2.x, where access is blocked by default.
    public var envAccessAllowed: Bool {
        environment["N8N_BLOCK_ENV_ACCESS_IN_NODE"]?.lowercased() == "false"
    }

    /// Defaults overridden by `FLOWRUN_*` environment variables.
    public static func fromEnvironment(_ environment: [String: String]) -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration(environment: environment, resilience: .fromEnvironment(environment))
        if let dir = environment["FLOWRUN_DATA_DIR"], !dir.isEmpty { configuration.dataDirectory = dir }
        if let file = environment["FLOWRUN_CREDENTIALS"], !file.isEmpty { configuration.credentialsFile = file }
        if let url = environment["FLOWRUN_STORE_URL"], !url.isEmpty { configuration.storeURL = url }
        return configuration
    }
}
