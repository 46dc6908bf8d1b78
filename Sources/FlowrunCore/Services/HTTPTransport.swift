/// One outbound HTTP request, already built (URL with query, headers with auth, encoded body).
/// Owner: HTTP (FlowrunHTTPClient implements `HTTPTransport`).
public struct HTTPRequestSpec: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Header fields in order; names as given (HTTP treats them case-insensitively).
    public var headers: [HTTPField]
    public var body: [UInt8]?
    /// Whole-request deadline; nil uses the transport's default.
    public var timeout: Duration?
    public var followRedirects: Bool
    public var maxRedirects: Int
    public var allowUnauthorizedCertificates: Bool
    /// `http://host:port` of a proxy, if any.
    public var proxy: String?

    public init(
        method: String, url: String, headers: [HTTPField] = [], body: [UInt8]? = nil, timeout: Duration? = nil,
        followRedirects: Bool = true, maxRedirects: Int = 21, allowUnauthorizedCertificates: Bool = false,
        proxy: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.allowUnauthorizedCertificates = allowUnauthorizedCertificates
        self.proxy = proxy
    }
}

/// A header field.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete HTTP response (the body is read fully; size-limited by the transport).
public struct HTTPResponseData: Sendable, Hashable {
    public var status: Int
    public var statusText: String
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// The URL finally answered (after redirects).
    public var url: String

    public init(status: Int, statusText: String = "", headers: [HTTPField] = [], body: [UInt8] = [], url: String = "") {
        self.status = status
        self.statusText = statusText
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Sends HTTP requests. Transport failures (refused, reset, timeout, TLS, refused by the outbound
/// policy) throw errors that conform to `RetryClassifying`; HTTP error statuses are answers, not
/// throws: callers decide what a 4xx/5xx means.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData
}
