/// How the test HTTP server answers one request to a scripted path.
public enum TestHTTPReply: Sendable, Hashable {
    /// A status with a body and headers (in order).
    case respond(status: Int, body: [UInt8], headers: [TestHTTPHeader])
    /// A JSON request echo: `{"method", "path", "query", "headers", "body"}` with status 200.
    case echo
    /// Never answers (until the server stops or the client gives up).
    case hang
    /// Sends the head (announcing `Content-Length: 1000`) and a few body bytes, then closes the connection.
    case closeMidResponse
    /// A status after a delay (slow server; the delay runs on the server's clock).
    case delayed(milliseconds: Int, status: Int, body: [UInt8], headers: [TestHTTPHeader])

    /// A JSON body (`content-type: application/json`).
    public static func json(_ text: String, status: Int = 200, headers: [TestHTTPHeader] = []) -> TestHTTPReply {
        .respond(status: status, body: Array(text.utf8), headers: [TestHTTPHeader("content-type", "application/json")] + headers)
    }

    /// A text body (`content-type: text/plain; charset=utf-8` unless given).
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> TestHTTPReply {
        .respond(status: status, body: Array(text.utf8), headers: [TestHTTPHeader("content-type", contentType)])
    }

    /// A status without body.
    public static func status(_ status: Int, headers: [TestHTTPHeader] = []) -> TestHTTPReply {
        .respond(status: status, body: [], headers: headers)
    }

    /// `429 Too Many Requests` with `Retry-After: seconds`.
    public static func tooManyRequests(retryAfter seconds: Int) -> TestHTTPReply {
        .respond(status: 429, body: Array(#"{"error":"rate limited"}"#.utf8),
                 headers: [TestHTTPHeader("content-type", "application/json"), TestHTTPHeader("retry-after", String(seconds))])
    }

    /// A redirect (`302` unless given) to `location` (absolute URL or path).
    public static func redirect(to location: String, status: Int = 302) -> TestHTTPReply {
        .respond(status: status, body: [], headers: [TestHTTPHeader("location", location)])
    }
}

/// A header of a scripted reply or a recorded request.
public struct TestHTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request the test server received.
public struct TestHTTPRequest: Sendable, Hashable {
    public var method: String
    /// The path without query.
    public var path: String
    /// The raw query string (without `?`), "" when none.
    public var query: String
    public var headers: [TestHTTPHeader]
    public var body: [UInt8]

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
