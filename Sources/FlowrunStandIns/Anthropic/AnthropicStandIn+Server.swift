public import Hummingbird
public import Logging
import FlowrunExpressions

extension AnthropicStandIn {
    /// Adds `v1/messages` and the `_admin/…` routes to `group` (mount under `/anthropic` to share a
    /// port with other stand-ins; the base URL is then `http://host:port/anthropic`).
    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.post("v1/messages") { request, context in
            try await self.messagesRoute(request, context: context)
        }
        group.get("_admin/requests") { _, _ in Self.response(200, self.requestLog.jsonString()) }
        group.post("_admin/:action") { request, context in
            let action = context.parameters.get("action") ?? ""
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let body = try? JSONValue(parsing: Array(buffer: bytes))
            if let problem = self.admin(action, body: body) {
                return Self.response(400, JSONValue.object(["error": .string(problem)]).jsonString())
            }
            return Self.response(200, "{\"ok\":true}")
        }
    }

    /// Adds the routes at the root of `router` (base URL `http://host:port`).
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        addRoutes(to: router.group(""))
    }

    private func messagesRoute<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = handleMessages(headers: headers, body: Array(buffer: bytes))
        var response = Self.response(answer.status, answer.body)
        for (name, value) in answer.headers {
            if let fieldName = HTTPFields.Element.Name(name) { response.headers[fieldName] = value }
        }
        return response
    }

    static func response(_ status: Int, _ body: String) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// Serves the stand-in on `host`:`port` (0 picks a free port), runs `body` with the base URL
    /// (`http://127.0.0.1:PORT`), then stops the server.
    public func withServer<T: Sendable>(
        host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "flowrun.standins.anthropic", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let router = Router()
        addRoutes(to: router)
        let ports = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in
                                  ports.continuation.yield(channel.localAddress?.port ?? port)
                                  ports.continuation.finish()
                              }, logger: logger)
        return try await ServerLifecycle.withRunning(app, ports: ports, logger: logger, notStarted: CancellationError()) { bound in
            try await body("http://\(host):\(bound)")
        }
    }
}
