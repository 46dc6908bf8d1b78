import FlowrunCore
public import FlowrunExpressions
public import FlowrunRuntime
import Foundation

/// `flowrun serve`'s settings from, in order of precedence, command-line flags, environment
/// variables, the config file (YAML or JSON) and defaults. docs/configuration.md lists every key.
public struct ServeSettings: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One key: config-file name, environment variable(s), and whether it holds a secret.
    public struct Key: Sendable {
        public var name: String
        public var environment: [String]
        public var isSecret: Bool = false
    }

    public static let keys: [Key] = [
        Key(name: "workflows", environment: ["FLOWRUN_WORKFLOWS"]),
        Key(name: "host", environment: ["FLOWRUN_HOST"]),
        Key(name: "port", environment: ["FLOWRUN_PORT", "N8N_PORT"]),
        Key(name: "baseURL", environment: ["FLOWRUN_BASE_URL", "WEBHOOK_URL"]),
        Key(name: "maxBodyBytes", environment: ["FLOWRUN_MAX_BODY_BYTES"]),
        Key(name: "reloadIntervalSeconds", environment: ["FLOWRUN_RELOAD_INTERVAL"]),
        Key(name: "shutdownGraceSeconds", environment: ["FLOWRUN_SHUTDOWN_GRACE"]),
        Key(name: "timezone", environment: ["FLOWRUN_TIMEZONE", "GENERIC_TIMEZONE"]),
        Key(name: "logFormat", environment: ["FLOWRUN_LOG_FORMAT"]),
        Key(name: "logLevel", environment: ["FLOWRUN_LOG_LEVEL"]),
        Key(name: "metrics", environment: ["FLOWRUN_METRICS"]),
        Key(name: "credentials", environment: ["FLOWRUN_CREDENTIALS"]),
        Key(name: "dataDir", environment: ["FLOWRUN_DATA_DIR"]),
        Key(name: "store", environment: ["FLOWRUN_STORE_URL"], isSecret: true),
        Key(name: "queue", environment: ["FLOWRUN_QUEUE_URL"], isSecret: true),
        Key(name: "queuePrefix", environment: ["FLOWRUN_QUEUE_PREFIX"]),
    ]

    public var server: WorkflowServer.Configuration
    public var runtime: RuntimeConfiguration
    /// `text` or `json`.
    public var logFormat: String = "text"
    public var logLevel: String = "info"
    public var metrics: Bool = true
    /// Queue mode: the `redis://` URL executions are queued on (nil: executions run in this process).
    public var queueURL: String?
    /// The prefix of every queue key in Redis (default `flowrun`).
    public var queuePrefix: String = "flowrun"

    /// Resolves the settings.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, by key name (nil entries are absent).
    ///   - configFile: the config file path (`--config`, else `FLOWRUN_CONFIG`; none when nil).
    public static func resolve(flags: [String: String], paths: [String], configFile: String?, environment: [String: String]) throws(Failure) -> ServeSettings {
        var file: JSONObject = [:]
        if let path = configFile ?? environment["FLOWRUN_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Failure(description: "\(path): cannot read the config file") }
            let value: JSONValue
            do {
                value = try YAMLText.parse(text)
            } catch {
                throw Failure(description: "\(path): \(error)")
            }
            guard case .object(let o) = value else { throw Failure(description: "\(path): the config file must hold an object of settings") }
            let known = Set(keys.map(\.name))
            for key in o.keys where !known.contains(key) {
                throw Failure(description: "\(path): unknown key \"\(key)\" (docs/configuration.md lists the keys)")
            }
            file = o
        }
        func value(_ name: String) -> String? {
            if let flag = flags[name] { return flag }
            if let key = keys.first(where: { $0.name == name }) {
                for variable in key.environment { if let v = environment[variable], !v.isEmpty { return v } }
            }
            switch file[name] {
            case .string(let s)?: return s
            case .number(let n)?: return n.rounded() == n ? String(Int(n)) : String(n)
            case .bool(let b)?: return String(b)
            case .array(let a)?: return a.compactMap(\.stringValue).joined(separator: "\n")
            default: return nil
            }
        }
        func number(_ name: String) throws(Failure) -> Double? {
            guard let text = value(name) else { return nil }
            guard let n = Double(text), n >= 0 else { throw Failure(description: "\(name): \"\(text)\" is not a non-negative number") }
            return n
        }
        var workflowPaths = paths
        if workflowPaths.isEmpty, let list = value("workflows") {
            workflowPaths = list.split(whereSeparator: { $0 == "\n" || $0 == ":" }).map(String.init)
        }
        if workflowPaths.isEmpty { workflowPaths = ["."] }
        var server = WorkflowServer.Configuration(paths: workflowPaths)
        if let host = value("host") { server.host = host }
        if let port = try number("port") {
            guard port <= 65535 else { throw Failure(description: "port: \(Int(port)) is not a TCP port") }
            server.port = Int(port)
        }
        server.baseURL = value("baseURL")
        if let n = try number("maxBodyBytes") { server.maxBodyBytes = Int(n) }
        if let n = try number("reloadIntervalSeconds") { server.reloadInterval = n == 0 ? nil : .milliseconds(Int64(n * 1000)) }
        if let n = try number("shutdownGraceSeconds") { server.shutdownGrace = .milliseconds(Int64(n * 1000)) }
        if let zone = value("timezone") {
            guard TimeZone(identifier: zone) != nil else { throw Failure(description: "timezone: \"\(zone)\" is not a known time zone") }
            server.timeZone = zone
        }
        var runtime = RuntimeConfiguration.fromEnvironment(environment)
        // Breaker transitions and retries as metrics (through MetricsSystem, bootstrapped later).
        runtime.resilience.observers.append(BreakerMetricsObserver())
        if let v = value("credentials") { runtime.credentialsFile = v }
        if let v = value("dataDir") { runtime.dataDirectory = v }
        if let v = value("store") { runtime.storeURL = v }
        var settings = ServeSettings(server: server, runtime: runtime)
        if let format = value("logFormat") {
            guard ["text", "json"].contains(format) else { throw Failure(description: "logFormat: expected \"text\" or \"json\", found \"\(format)\"") }
            settings.logFormat = format
        }
        if let level = value("logLevel") { settings.logLevel = level.lowercased() }
        if let m = value("metrics") { settings.metrics = !["false", "0", "no", "off"].contains(m.lowercased()) }
        if let queue = value("queue") {
            guard queue.hasPrefix("redis://") || queue.hasPrefix("rediss://") else {
                throw Failure(description: "queue: expected a redis:// URL")
            }
            settings.queueURL = queue
        }
        if let prefix = value("queuePrefix") { settings.queuePrefix = prefix }
        return settings
    }
}
