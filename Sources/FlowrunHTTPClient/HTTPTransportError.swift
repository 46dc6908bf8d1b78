public import FlowrunCore

/// An HTTP request failed before an answer arrived (refused, timed out, TLS, closed) or was refused
/// by flowrun itself (outbound policy, invalid URL, body too large).
///
/// `description` names the host and the reason, never the full URL (queries may hold credentials).
/// Transport failures are retryable; policy and URL errors are permanent.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible, RetryClassifying {
    /// What went wrong; renders as a short constant string (fit for a metric label).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case connectionRefused, timeout, tls, invalidURL, connectionClosed, blockedByPolicy, bodyTooLarge
            case hostNotFound, tooManyRedirects
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// Nothing listens at the address (or the host is unreachable).
        public static let connectionRefused = Code(.connectionRefused)
        /// The request did not complete within its deadline.
        public static let timeout = Code(.timeout)
        /// The TLS handshake failed (certificate, protocol).
        public static let tls = Code(.tls)
        /// The URL cannot be requested (scheme, host, syntax).
        public static let invalidURL = Code(.invalidURL)
        /// The server closed the connection before the response was complete.
        public static let connectionClosed = Code(.connectionClosed)
        /// The outbound policy refuses the destination (SSRF protection).
        public static let blockedByPolicy = Code(.blockedByPolicy)
        /// The response body is larger than the transport accepts.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// The host name does not resolve.
        public static let hostNotFound = Code(.hostNotFound)
        /// More redirects than allowed.
        public static let tooManyRedirects = Code(.tooManyRedirects)
    }

    public var code: Code
    /// The host (and port) the request went to.
    public var host: String
    /// Why, in words, without URL or secrets.
    public var message: String
    /// The underlying error as text, for `debugDescription` only.
    public var underlying: String?

    public init(_ code: Code, host: String, _ message: String, underlying: String? = nil) {
        self.code = code
        self.host = host
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "HTTP request to \(host) failed: \(message)" }

    public var debugDescription: String {
        underlying.map { "\(description) (\($0))" } ?? description
    }

    public var retryDisposition: RetryDisposition {
        switch code {
        case .connectionRefused, .timeout, .connectionClosed, .hostNotFound: .retryable(after: nil)
        default: .permanent
        }
    }

    /// n8n's error code for this failure (`ECONNREFUSED`, `ETIMEDOUT`…), as its NodeApiError shows.
    public var n8nCode: String {
        switch code {
        case .connectionRefused: "ECONNREFUSED"
        case .timeout: "ETIMEDOUT"
        case .connectionClosed: "ECONNRESET"
        case .hostNotFound: "ENOTFOUND"
        default: code.description
        }
    }
}
