import AsyncHTTPClient
import FlowrunExpressions
import FlowrunStandIns
import Foundation
import NIOCore
import NIOHTTP1

/// A small JSON client for the stand-in tests: real HTTP requests over loopback.
struct StandInClient {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var json: JSONValue
    }

    let baseURL: String

    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], json: JSONValue? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.jsonString()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        let text = String(buffer: body)
        return Answer(
            status: Int(response.status.code), headers: response.headers,
            json: text.isEmpty ? .null : try JSONValue(parsing: text))
    }

    /// Runs `body` with a client for freshly started sales stand-ins.
    static func withStandIns<T: Sendable>(
        _ configuration: SalesStandIns.Configuration = SalesStandIns.Configuration(),
        _ body: (StandInClient, SalesStandIns) async throws -> T
    ) async throws -> T {
        let standIns = SalesStandIns(configuration: configuration)
        return try await StandInServer.withRunning(router: standIns.router()) { baseURL in
            try await body(StandInClient(baseURL: baseURL), standIns)
        }
    }
}
