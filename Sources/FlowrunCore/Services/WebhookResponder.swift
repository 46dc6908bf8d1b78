/// The answer a Respond to Webhook node (or the server, for `lastNode`) sends to the request that
/// started the execution.
public struct WebhookResponse: Sendable, Hashable {
    public var status: Int
    /// Header fields in order (names as written; HTTP compares them case-insensitively).
    public var headers: [HTTPField]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// The per-execution channel between a webhook request waiting for its answer and the nodes of
/// the execution it started (n8n's `sendResponse`). Only the first response is delivered.
public protocol WebhookResponder: Sendable {
    /// The HTTP method of the request that started the execution (Webhook v2 picks its output by it).
    var requestMethod: String { get }
    /// Delivers `response`; returns false when a response was already sent (later ones are ignored).
    func respond(_ response: WebhookResponse) async -> Bool
    /// Called by whoever runs the execution when it has ended (a waiting request that got no
    /// response is then answered by the server's default).
    func executionEnded() async
}

extension WebhookResponder {
    public func executionEnded() async {}
}

/// Where a node finds the responder of its execution.
///
/// The server binds the responder for the duration of one execution (`$current.withValue`); it is
/// a task-local so a shared `Engine` needs no per-execution services. Until `NodeServices` carries a
/// `webhookResponder` field (requested in NOTES.md), this is the only way in.
public enum WebhookResponding {
    @TaskLocal public static var current: (any WebhookResponder)?
}
