import FlowrunExpressions

/// flowrun's per-node resilience settings, read from the node's `"flowrun"` key (n8n ignores
/// unknown node keys on import and export, so the file still imports into n8n):
///
/// ```json
/// "flowrun": {
///   "retry": {"maxAttempts": 5, "baseDelayMs": 500, "maxDelayMs": 30000, "jitter": "full",
///             "maxRetryAfterMs": 300000, "retryOn": ["connection", "timeout", "serverError", "rateLimited"]},
///   "breaker": {"key": "host", "failureThreshold": 3, "coolDownMs": 30000}
/// }
/// ```
public struct NodeResilienceSettings: Sendable, Hashable {
    /// Which breaker a call uses.
    public enum BreakerKey: Sendable, Hashable {
        /// The target the node names (the URL's host for HTTP; the default).
        case host
        /// The node's first credential (id, else name), so two hosts behind one account share a breaker.
        case credential
        /// A fixed name shared by every node that uses it.
        case named(String)
        /// No breaker for this node.
        case disabled
    }

    /// nil: the node type's default policy.
    public var retry: BackoffPolicy?
    public var breakerKey: BreakerKey = .host
    /// nil: the service's default configuration.
    public var breaker: CircuitBreaker.Configuration?

    public init(retry: BackoffPolicy? = nil, breakerKey: BreakerKey = .host, breaker: CircuitBreaker.Configuration? = nil) {
        self.retry = retry
        self.breakerKey = breakerKey
        self.breaker = breaker
    }

    /// Reads `node.fields["flowrun"]`.
    ///
    /// - Throws: `NodeError(.configuration)` naming the node and the setting's path
    ///   (`flowrun.retry.maxAttempts`) and why.
    public init(node: NodeDocument) throws(NodeError) {
        guard let root = node.fields["flowrun"] else { return }
        func fail(_ path: String, _ why: String) -> NodeError {
            NodeError(.configuration, "setting \"flowrun.\(path)\" \(why)", node: node.name, parameter: "flowrun.\(path)")
        }
        guard let object = root.objectValue else { throw fail("", "must be an object") }
        func number(_ o: JSONObject, _ key: String, _ path: String, minimum: Double) throws(NodeError) -> Double? {
            guard let v = o[key] else { return nil }
            guard let n = v.numberValue, n.isFinite, n >= minimum else { throw fail(path, "must be a number ≥ \(Int(minimum)), not \(v.kindName)") }
            return n
        }
        if let retryValue = object["retry"] {
            guard let r = retryValue.objectValue else { throw fail("retry", "must be an object") }
            for key in r.keys where !["maxAttempts", "baseDelayMs", "maxDelayMs", "jitter", "retryOn", "maxRetryAfterMs"].contains(key) {
                throw fail("retry.\(key)", "is not a retry setting (maxAttempts, baseDelayMs, maxDelayMs, jitter, retryOn, maxRetryAfterMs)")
            }
            var policy = BackoffPolicy(maxAttempts: 3)
            if let n = try number(r, "maxAttempts", "retry.maxAttempts", minimum: 1) { policy.maxAttempts = Int(n) }
            if let n = try number(r, "baseDelayMs", "retry.baseDelayMs", minimum: 0) { policy.baseDelay = .milliseconds(Int64(n)) }
            if let n = try number(r, "maxDelayMs", "retry.maxDelayMs", minimum: 0) { policy.maxDelay = .milliseconds(Int64(n)) }
            if let n = try number(r, "maxRetryAfterMs", "retry.maxRetryAfterMs", minimum: 0) { policy.maxRetryAfter = .milliseconds(Int64(n)) }
            if let j = r["jitter"] {
                if let b = j.boolValue {
                    policy.jitter = b ? .full : .none
                } else if let s = j.stringValue, let jitter = BackoffPolicy.Jitter(rawValue: s) {
                    policy.jitter = jitter
                } else {
                    throw fail("retry.jitter", "must be \"full\", \"equal\", \"none\" or a boolean")
                }
            }
            if let list = r["retryOn"] {
                guard let items = list.arrayValue else { throw fail("retry.retryOn", "must be a list") }
                var set = Set<RetryCategory>()
                for item in items {
                    guard let s = item.stringValue, let c = Self.category(s) else {
                        throw fail("retry.retryOn", "holds \(item.stringValue.map { "\"\($0)\"" } ?? item.kindName); allowed: connection, timeout, serverError (5xx), rateLimited (429)")
                    }
                    set.insert(c)
                }
                policy.retryOn = set
            }
            retry = policy
        }
        if let breakerValue = object["breaker"] {
            if breakerValue.boolValue == false { breakerKey = .disabled; return }
            guard let b = breakerValue.objectValue else { throw fail("breaker", "must be an object or false") }
            for key in b.keys where !["key", "failureThreshold", "coolDownMs", "enabled"].contains(key) {
                throw fail("breaker.\(key)", "is not a breaker setting (key, failureThreshold, coolDownMs, enabled)")
            }
            if b["enabled"]?.boolValue == false { breakerKey = .disabled }
            if let k = b["key"] {
                guard let s = k.stringValue, !s.isEmpty else { throw fail("breaker.key", "must be \"host\", \"credential\" or a name") }
                if breakerKey != .disabled {
                    breakerKey = s == "host" ? .host : s == "credential" ? .credential : .named(s)
                }
            }
            var configuration = CircuitBreaker.Configuration()
            if let n = try number(b, "failureThreshold", "breaker.failureThreshold", minimum: 1) { configuration.failureThreshold = Int(n) }
            if let n = try number(b, "coolDownMs", "breaker.coolDownMs", minimum: 0) { configuration.coolDown = .milliseconds(Int64(n)) }
            breaker = configuration
        }
    }

    static func category(_ name: String) -> RetryCategory? {
        switch name {
        case "connection", "network": .connection
        case "timeout": .timeout
        case "serverError", "5xx": .serverError
        case "rateLimited", "429": .rateLimited
        default: nil
        }
    }
}

extension Engine {
    /// The retry plan of a node: its `flowrun.retry` settings, else the node type's `defaultPolicy`.
    ///
    /// - Throws: `NodeError(.configuration)` for a malformed `flowrun` key (the validator can call
    ///   this for every node to report them at load time).
    public static func retryPlan(for node: NodeDocument, default defaultPolicy: CallPolicy = .once) throws(NodeError) -> BackoffPolicy {
        try NodeResilienceSettings(node: node).retry ?? defaultPolicy.backoff
    }
}
