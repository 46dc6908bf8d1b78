import FlowrunCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the peer address (rate limits, IP lists).
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// Every request: webhooks under `/webhook/` and `/webhook-test/`, waiting executions under
/// `/webhook-waiting/`, the operations routes, else 404.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    let webhooks: WebhookHandler
    let operations: OperationsRoutes
    var waiting: WaitingWebhooks? = nil

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let path = request.uri.path
        let query = request.uri.query ?? ""
        for (prefix, isTest) in [("/webhook/", false), ("/webhook-test/", true), (WaitingWebhooks.prefix, false)] where path.hasPrefix(prefix) {
            let headers = request.headers.map { FlowrunCore.HTTPField($0.name.rawName, $0.value) }
            let body = request.body
            let incoming = IncomingRequest(
                method: method, path: String(path.dropFirst(prefix.count)), isTest: isTest, query: query, headers: headers,
                remoteAddress: context.remoteAddress,
                readBody: { limit in
                    do {
                        let buffer = try await body.collect(upTo: limit)
                        return Array(buffer.readableBytesView)
                    } catch {
                        return nil
                    }
                })
            if prefix == WaitingWebhooks.prefix {
                guard let waiting else { break }
                return Self.response(await waiting.handle(incoming), head: method == "HEAD")
            }
            return Self.response(await webhooks.handle(incoming), head: method == "HEAD")
        }
        if let reply = await operations.handle(method: method, path: path, query: query) {
            return Self.response(reply, head: method == "HEAD")
        }
        return Self.response(.n8nError(404, code: 404, "Not found"), head: false)
    }

    static func response(_ reply: Reply, head: Bool) -> Response {
        var fields = HTTPFields()
        for header in reply.headers {
            guard let name = HTTPTypes.HTTPField.Name(header.name) else { continue }
            fields.append(HTTPTypes.HTTPField(name: name, value: header.value))
        }
        let body = head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
        return Response(status: .init(code: reply.status), headers: fields, body: body)
    }
}
