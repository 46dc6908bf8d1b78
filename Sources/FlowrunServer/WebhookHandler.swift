import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Logging

/// An HTTP answer before it becomes a Hummingbird `Response`.
struct Reply: Sendable {
    var status: Int
    var headers: [HTTPField] = []
    var body: [UInt8] = []

    static func json(_ status: Int, _ value: JSONValue, headers: [HTTPField] = []) -> Reply {
        Reply(status: status, headers: headers + [HTTPField("Content-Type", "application/json; charset=utf-8")], body: Array(value.jsonString().utf8))
    }

    static func text(_ status: Int, _ text: String, headers: [HTTPField] = []) -> Reply {
        Reply(status: status, headers: headers + [HTTPField("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// n8n's error body (`ResponseHelper.sendErrorResponse`): `{code, message, hint?}`.
    static func n8nError(_ status: Int, code: Int, _ message: String, hint: String? = nil) -> Reply {
        var o: JSONObject = ["code": .number(Double(code)), "message": .string(message)]
        if let hint { o["hint"] = .string(hint) }
        return json(status, .object(o))
    }
}

/// A webhook request as the handler reads it.
struct IncomingRequest: Sendable {
    var method: String
    /// The path after `/webhook/` or `/webhook-test/`.
    var path: String
    var isTest: Bool
    var query: String
    var headers: [HTTPField]
    var remoteAddress: String?
    /// Reads the body up to `limit` bytes; nil when it is longer.
    var readBody: @Sendable (_ limit: Int) async -> [UInt8]?

    /// The first value of `name` (case-insensitive, as HTTP field names are ASCII).
    func header(_ name: String) -> String? {
        headers.first { Self.sameFieldName($0.name, name) }?.value
    }

    /// ASCII case-insensitive equality without making lower-cased copies (several lookups per request).
    static func sameFieldName(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] {
                    let l = x[i] | 0x20, r = y[i] | 0x20
                    guard l == r, l >= UInt8(ascii: "a"), l <= UInt8(ascii: "z") else { return false }
                }
                return true
            }
        }
    }
}

/// Serves `/webhook/…` and `/webhook-test/…` as n8n does, with flowrun's gateway options
/// (`GatewayOptions`) checked before any execution starts.
struct WebhookHandler: Sendable {
    static let productionHint =
        "The workflow must be active for a production URL to run successfully. You can activate the workflow using the toggle in the top-right of the editor. Note that unlike test URL calls, production URL calls aren't shown on the canvas (only in the executions list)"
    static let testHint =
        "Click the 'Execute workflow' button on the canvas, then try again. (In test mode, the webhook only works for one call after you click this button)"

    let workflows: WorkflowSet
    let dispatcher: any ExecutionDispatcher
    let limiter: any ClientRateLimiter
    let credentials: any CredentialResolver
    let metrics: ServerMetrics
    let baseURL: String
    let maxBodyBytes: Int
    let now: @Sendable () -> Double
    let logger: Logger

    func handle(_ request: IncomingRequest) async -> Reply {
        let started = ContinuousClock.now
        let table = workflows.webhooks
        if request.method == "OPTIONS" { return preflight(request, table: table) }
        switch table.match(method: request.method, path: request.path) {
        case .notFound:
            let label = request.isTest ? request.path : "\(request.method) \(request.path)"
            return .n8nError(404, code: 404, "The requested webhook \"\(label)\" is not registered.", hint: request.isTest ? Self.testHint : Self.productionHint)
        case .wrongMethod(let methods):
            let list = methods.count == 1 ? methods[0] : methods.dropLast().joined(separator: ", ") + " or " + methods.last!
            return .n8nError(404, code: 404, "This webhook is not registered for \(request.method) requests. Did you mean to make a \(list) request?",
                             hint: request.isTest ? Self.testHint : Self.productionHint)
        case .found(let endpoint, let params):
            var reply = await serve(request, endpoint: endpoint, params: params)
            reply.headers += cors(request, endpoint: endpoint)
            let elapsed = (ContinuousClock.now - started).components
            metrics.webhookAnswered(workflow: endpoint.workflow.id, status: reply.status,
                                    nanoseconds: elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
            return reply
        }
    }

    /// `OPTIONS`: n8n's CORS preflight (204, allowed methods, origin per `allowedOrigins`).
    func preflight(_ request: IncomingRequest, table: WebhookTable) -> Reply {
        var methods: [String] = []
        var endpoint: WebhookEndpoint?
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] {
            if case .found(let e, _) = table.match(method: method, path: request.path) {
                methods.append(method)
                endpoint = endpoint ?? e
            }
        }
        guard let endpoint else {
            return .n8nError(404, code: 404, "The requested webhook \"\(request.path)\" is not registered.", hint: Self.productionHint)
        }
        var headers = [HTTPField("Access-Control-Allow-Methods", (["OPTIONS"] + methods).joined(separator: ", "))]
        headers += cors(request, endpoint: endpoint)
        if request.header("origin") != nil {
            headers.append(HTTPField("Access-Control-Max-Age", "300"))
            if let asked = request.header("access-control-request-headers"), !asked.isEmpty {
                headers.append(HTTPField("Access-Control-Allow-Headers", asked))
            }
        }
        return Reply(status: 204, headers: headers)
    }

    /// `Access-Control-Allow-Origin` from `options.allowedOrigins` (default `*`), n8n's rules.
    func cors(_ request: IncomingRequest, endpoint: WebhookEndpoint) -> [HTTPField] {
        guard let origin = request.header("origin") else { return [] }
        let allowed = endpoint.spec.allowedOrigins.flatMap { $0.isEmpty ? nil : $0 } ?? "*"
        if allowed == "*" || allowed == origin { return [HTTPField("Access-Control-Allow-Origin", origin)] }
        let list = allowed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return [HTTPField("Access-Control-Allow-Origin", list.contains(origin) ? origin : (list.first ?? origin))]
    }
}
