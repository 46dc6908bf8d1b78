import FlowrunExpressions

/// One of the paid APIs the Sales Machine calls, as served by the stand-in program.
///
/// Each API is mounted under its own path prefix on the one port, so a workflow's base URL is
/// `http://127.0.0.1:PORT/<prefix>` locally and the vendor's host in production.
public enum SalesAPI: String, Sendable, CaseIterable, Codable {
    case phantombuster
    case instantly
    case calcom
    case builtwith

    /// The path prefix the API is served under (`/phantombuster`, ...).
    public var prefix: String { "/" + rawValue }

    /// The vendor's real base URL that `prefix` stands in for.
    public var productionBaseURL: String {
        switch self {
        case .phantombuster: "https://api.phantombuster.com"
        case .instantly: "https://api.instantly.ai"
        case .calcom: "https://api.cal.com"
        case .builtwith: "https://api.builtwith.com"
        }
    }
}

/// A request the stand-ins answered, as listed by `GET /_admin/calls`.
public struct StandInCall: Sendable {
    /// Position in the log, from 1.
    public var sequence: Int
    public var api: SalesAPI
    public var method: String
    /// The path below the API's prefix, as the real API would see it (`/api/v2/agents/launch`).
    public var path: String
    public var query: [String: String]
    /// The request body when it was JSON.
    public var body: JSONValue?
    public var status: Int
    /// Whether the answer was an injected fault rather than the API's behaviour.
    public var injectedFault: Bool

    var jsonValue: JSONValue {
        var q: JSONObject = [:]
        for (k, v) in query.sorted(by: { $0.key < $1.key }) { q[k] = .string(v) }
        return [
            "sequence": .number(Double(sequence)),
            "api": .string(api.rawValue),
            "method": .string(method),
            "path": .string(path),
            "query": .object(q),
            "body": body ?? .null,
            "status": .number(Double(status)),
            "injectedFault": .bool(injectedFault),
        ]
    }
}

/// Failures to serve instead of the API's answer for its next `remaining` calls.
public struct StandInFault: Sendable, Equatable {
    public var remaining: Int
    /// The HTTP status (5xx or 429).
    public var status: Int
    /// Seconds for a `Retry-After` header, if any.
    public var retryAfterSeconds: Int?

    public init(remaining: Int, status: Int, retryAfterSeconds: Int? = nil) {
        self.remaining = remaining
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
    }
}
