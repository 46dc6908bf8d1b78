import FlowrunExpressions
import Hummingbird
import HTTPTypes
import NIOCore
import Synchronization

/// Holds the server once its port is known (the responder is built before).
final class ServerBox: Sendable {
    let server = Mutex<TestHTTPServer?>(nil)

    func respond(to request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        let recorded = TestHTTPRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            headers: request.headers.map { TestHTTPHeader($0.name.rawName, $0.value) },
            body: Array(body.readableBytesView))
        guard let server = self.server.withLock({ $0 }) else { return Self.make(503, [], []) }
        guard let reply = server.nextReply(for: recorded) else {
            let message = JSONValue.object(["error": .string("no script for \(recorded.path)")]).jsonString()
            return Self.make(404, Array(message.utf8), [TestHTTPHeader("content-type", "application/json")])
        }
        switch reply {
        case .respond(let status, let body, let headers):
            return Self.make(status, body, headers)
        case .delayed(let milliseconds, let status, let body, let headers):
            try await Task.sleep(for: .milliseconds(milliseconds))
            return Self.make(status, body, headers)
        case .echo:
            let echo: JSONValue = .object([
                "method": .string(recorded.method), "path": .string(recorded.path), "query": .string(recorded.query),
                "headers": .object(JSONObject(recorded.headers.map { ($0.name.lowercased(), JSONValue.string($0.value)) },
                                              uniquingKeysWith: { a, _ in a })),
                "body": .string(recorded.bodyText),
            ])
            return Self.make(200, Array(echo.jsonString().utf8), [TestHTTPHeader("content-type", "application/json")])
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return Self.make(504, [], [])
        case .closeMidResponse:
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let responseBody = ResponseBody(contentLength: 1000) { writer in
                try await writer.write(ByteBuffer(string: #"{"partial":"#))
                throw TestHTTPServerError(message: "connection closed mid-response on purpose")
            }
            return Response(status: .ok, headers: headers, body: responseBody)
        }
    }

    static func make(_ status: Int, _ body: [UInt8], _ headers: [TestHTTPHeader]) -> Response {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(status: HTTPResponse.Status(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
