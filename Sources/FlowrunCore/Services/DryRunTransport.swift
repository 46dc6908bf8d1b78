import FlowrunExpressions
import Synchronization

/// The HTTP transport of `dry-run`: nothing leaves the machine. Every request is answered with
/// `200 {"dryRun": {"method", "url"}}` and kept, so the plan can list the calls a run would make
/// (the Code node's `this.helpers.httpRequest`, for instance).
public final class DryRunTransport: HTTPTransport {
    private let requests = Mutex<[HTTPRequestSpec]>([])

    public init() {}

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        requests.withLock { $0.append(request) }
        let body: JSONValue = .object(["dryRun": .object(["method": .string(request.method), "url": .string(request.url)])])
        return HTTPResponseData(status: 200, statusText: "OK", headers: [HTTPField("content-type", "application/json")],
                                body: Array(body.jsonString().utf8), url: request.url)
    }

    /// The requests intercepted so far, in order.
    public var intercepted: [HTTPRequestSpec] { requests.withLock { $0 } }
}
