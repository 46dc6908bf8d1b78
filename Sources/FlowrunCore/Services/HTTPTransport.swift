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
        headers.first { HTTPField.namesMatch($0.name, name) }?.value
    }
}

extension HTTPField {
    /// Whether two header names are equal ignoring case (`lowercased()` on both, without
    /// allocating for ASCII names: this runs for every header of every answer).
    public static func namesMatch(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?):
                if x == y { continue }
                if x >= 0x80 || y >= 0x80 { return a.lowercased() == b.lowercased() }
                let lx = (0x41...0x5A).contains(x) ? x | 0x20 : x
                let ly = (0x41...0x5A).contains(y) ? y | 0x20 : y
                if lx != ly { return false }
            default:
                // Different lengths: equal only if lower-casing non-ASCII characters changes that.
                return !a.utf8.allSatisfy({ $0 < 0x80 }) || !b.utf8.allSatisfy({ $0 < 0x80 }) ? a.lowercased() == b.lowercased() : false
            }
        }
    }
}

/// Sends HTTP requests. Transport failures (refused, reset, timeout, TLS, refused by the outbound
/// policy) throw errors that conform to `RetryClassifying`; HTTP error statuses are answers, not
/// throws: callers decide what a 4xx/5xx means.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData
}
