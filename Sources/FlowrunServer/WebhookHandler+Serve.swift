import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation
import Logging

extension WebhookHandler {
    /// The gateway checks in order (IP list, bots, size, authentication, rate limit, body, schema),
    /// then the execution and its response mode.
    func serve(_ request: IncomingRequest, endpoint: WebhookEndpoint, params: JSONObject) async -> Reply {
        let spec = endpoint.spec
        let workflowID = endpoint.workflow.id
        func reject(_ reason: String, _ reply: Reply) -> Reply {
            metrics.webhookRejected(workflow: workflowID, reason: reason)
            return reply
        }
        if !spec.ipWhitelist.isEmpty {
            let ip = clientIP(request)
            if !spec.ipWhitelist.contains(ip ?? "") {
                return reject("ip", .text(403, "IP is not whitelisted to access the webhook!"))
            }
        }
        if spec.ignoreBots, Self.isBot(request.header("user-agent")) {
            return reject("bot", .text(403, "Bots are not allowed to access this webhook!"))
        }
        let limit = endpoint.gateway.maxBodyBytes ?? maxBodyBytes
        if let length = request.header("content-length").flatMap(Int.init), length > limit {
            return reject("size", .n8nError(413, code: 413, "The request body is larger than \(limit) bytes"))
        }
        // Rate limits keyed by IP or header are checked before authentication, so that floods of
        // bad credentials are limited too; by JWT subject after it.
        if let rate = endpoint.gateway.rateLimit, rate.by != .jwtSub, let rejected = await rateLimited(request, endpoint: endpoint, rate: rate, subject: nil) {
            return reject("rate_limit", rejected)
        }
        var jwtPayload: JSONObject?
        switch await authenticate(request, endpoint: endpoint) {
        case .failure(let failure): return reject("auth", failure.reply)
        case .success(let payload): jwtPayload = payload
        }
        if let verifier = endpoint.jwtVerifier {
            guard let token = bearerToken(request, header: endpoint.gateway.jwt?.header) else {
                return reject("auth", .n8nError(401, code: 401, "Authorization is required!").adding(HTTPField("WWW-Authenticate", "Bearer")))
            }
            do {
                jwtPayload = try await verifier.verify(token, now: now())
            } catch {
                return reject("auth", .n8nError(401, code: 401, "Invalid token: \(error.description)").adding(HTTPField("WWW-Authenticate", "Bearer error=\"invalid_token\"")))
            }
        }
        if let rate = endpoint.gateway.rateLimit, rate.by == .jwtSub {
            let subject = jwtPayload?["sub"]?.stringValue
            if let rejected = await rateLimited(request, endpoint: endpoint, rate: rate, subject: subject) { return reject("rate_limit", rejected) }
        }
        guard let body = await request.readBody(limit) else {
            return reject("size", .n8nError(413, code: 413, "The request body is larger than \(limit) bytes"))
        }
        let webhookRequest = WebhookRequest(
            method: request.method, headers: request.headers, query: request.query, body: body, params: params,
            webhookURL: "\(baseURL)/\(request.isTest ? "webhook-test" : "webhook")/\(endpoint.path)", isTest: request.isTest)
        var item: Item
        do {
            item = try WebhookRequestItem.item(for: webhookRequest, spec: spec)
        } catch {
            return reject("body", .n8nError(400, code: 400, error.description))
        }
        if let jwtPayload { item.json["jwtPayload"] = .object(jwtPayload) }
        if let schema = endpoint.gateway.schema {
            let violations = schema.validate(item.json["body"] ?? .null)
            if !violations.isEmpty {
                let errors = violations.map { JSONValue.object(["path": .string($0.path), "message": .string($0.message)]) }
                return reject("schema", .json(400, .object([
                    "code": 400, "message": .string("The request body does not match the webhook's schema"), "errors": .array(errors),
                ])))
            }
        }
        return await execute(request, endpoint: endpoint, item: item)
    }

    func rateLimited(_ request: IncomingRequest, endpoint: WebhookEndpoint, rate: GatewayOptions.RateLimit, subject: String?) async -> Reply? {
        let client: String
        switch rate.by {
        case .ip: client = "ip:" + (clientIP(request) ?? "unknown")
        case .header: client = "h:" + (rate.header.flatMap { request.header($0) } ?? "")
        case .jwtSub: client = "sub:" + (subject ?? clientIP(request) ?? "unknown")
        }
        let key = "\(endpoint.workflow.id)/\(endpoint.nodeName)/\(client)"
        guard let wait = await limiter.acquire(key: key, limit: rate.limit, windowSeconds: rate.windowSeconds, now: now()) else { return nil }
        let seconds = max(1, Int(wait.rounded(.up)))
        return Reply.n8nError(429, code: 429, "Too many requests, retry in \(seconds) seconds").adding(HTTPField("Retry-After", String(seconds)))
    }

    /// The client address: the connection's peer (proxies are not trusted for this).
    func clientIP(_ request: IncomingRequest) -> String? { request.remoteAddress }

    func bearerToken(_ request: IncomingRequest, header: String?) -> String? {
        if let header { return request.header(header).flatMap { $0.isEmpty ? nil : $0 } }
        guard let value = request.header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }

    /// isbot's gist: crawler words in the user agent.
    static func isBot(_ userAgent: String?) -> Bool {
        guard let ua = userAgent?.lowercased(), !ua.isEmpty else { return false }
        return ["bot", "crawl", "spider", "slurp", "facebookexternalhit", "preview", "headless", "python-requests", "curl/"]
            .contains { ua.contains($0) } && !ua.contains("cubot")
    }
}

extension Reply {
    func adding(_ field: HTTPField) -> Reply {
        var copy = self
        copy.headers.append(field)
        return copy
    }
}
