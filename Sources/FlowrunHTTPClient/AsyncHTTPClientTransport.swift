import AsyncHTTPClient
public import FlowrunCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// `HTTPTransport` on AsyncHTTPClient: one pooled `HTTPClient` shared by every request, plus
/// clients created on first use for requests that allow unverified certificates or go through a
/// proxy (AsyncHTTPClient configures both per client).
///
/// Redirects are followed here, hop by hop, so that each request decides whether and how far to
/// follow and every hop passes the outbound policy. The caller shuts the transport down
/// (`withTransport` does it).
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// Transport-wide settings.
    public struct Configuration: Sendable {
        /// Deadline of a request that sets none (n8n's HTTP Request default: 5 minutes).
        public var defaultTimeout: Duration
        /// Time allowed to open a connection.
        public var connectTimeout: Duration
        /// Largest response body accepted; larger ones fail with `.bodyTooLarge`.
        public var maxResponseBytes: Int
        /// Destinations refused before connecting (off by default).
        public var outboundPolicy: OutboundPolicy

        public init(
            defaultTimeout: Duration = .seconds(300), connectTimeout: Duration = .seconds(10),
            maxResponseBytes: Int = 64 << 20, outboundPolicy: OutboundPolicy = .open
        ) {
            self.defaultTimeout = defaultTimeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
            self.outboundPolicy = outboundPolicy
        }
    }

    struct ClientKey: Hashable {
        var insecure: Bool
        var proxy: String?
    }

    public let configuration: Configuration
    private let clients = Mutex<[ClientKey: HTTPClient]>([:])
    private let logger: Logger

    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "flowrun.http", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates a transport, runs `body`, and shuts every client down, whatever `body` does.
    public static func withTransport<T: Sendable>(
        configuration: Configuration = Configuration(), logger: Logger,
        _ body: (AsyncHTTPClientTransport) async throws -> T
    ) async throws -> T {
        let transport = AsyncHTTPClientTransport(configuration: configuration, logger: logger)
        do {
            let result = try await body(transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// Shuts down every client created so far (idempotent).
    public func shutdown() async {
        let all = clients.withLock { c in
            defer { c = [:] }
            return Array(c.values)
        }
        for client in all {
            do {
                try await client.shutdown()
            } catch {
                logger.debug("HTTP client shutdown failed", metadata: ["flowrun.error": "\(error)"])
            }
        }
    }

    /// How many pooled clients exist (tests: the shared client is created lazily).
    public var clientCount: Int { clients.withLock { $0.count } }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseData {
        let deadline = NIODeadline.now() + TimeAmount(request.timeout ?? configuration.defaultTimeout)
        var current = request
        var hops = 0
        while true {
            let target = try Target(current.url)
            try configuration.outboundPolicy.check(host: target.host, port: target.port)
            let response = try await sendOnce(current, target: target, deadline: deadline)
            guard request.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                let location = response.header("location"), !location.isEmpty
            else { return response }
            guard hops < request.maxRedirects else {
                throw HTTPTransportError(.tooManyRedirects, host: target.hostAndPort,
                                         "exceeded \(request.maxRedirects) redirects; probably stuck in a redirect loop")
            }
            hops += 1
            guard let next = URL(string: location, relativeTo: URL(string: current.url))?.absoluteString else {
                throw HTTPTransportError(.invalidURL, host: target.hostAndPort, "the redirect location is not a valid URL")
            }
            let keepsMethod = response.status == 307 || response.status == 308
            if !keepsMethod && current.method != "GET" && current.method != "HEAD" {
                current.method = "GET"
                current.body = nil
                current.headers.removeAll { ["content-type", "content-length"].contains($0.name.lowercased()) }
            }
            // Credentials stay with their origin, as browsers and n8n ≥ 4.4 do.
            if let nextTarget = try? Target(next), nextTarget.hostAndPort != target.hostAndPort || nextTarget.scheme != target.scheme {
                current.headers.removeAll { ["authorization", "cookie", "proxy-authorization"].contains($0.name.lowercased()) }
            }
            current.url = next
        }
    }

    /// One hop, through AsyncHTTPClient's event-loop API with the body gathered on the event loop
    /// (`ResponseAccumulator`), started from an event loop: the request crosses to the loop once
    /// and its answer comes back to the calling task once. The async API streamed the body to the
    /// task, and starting the request from the task's thread scheduled its deadline, its pool entry
    /// and its completion callback on the loop one by one, each a wake-up of the loop.
    private func sendOnce(_ spec: HTTPRequestSpec, target: Target, deadline: NIODeadline) async throws -> HTTPResponseData {
        do {
            let response = try await execute(try request(spec), deadline: deadline)
            return HTTPResponseData(
                status: Int(response.status.code), statusText: response.status.reasonPhrase,
                headers: response.headers.map { HTTPField($0.name, $0.value) }, body: response.body.map { Array($0.readableBytesView) } ?? [],
                url: spec.url)
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw HTTPTransportError(.bodyTooLarge, host: target.hostAndPort,
                                     "the response body is larger than \(configuration.maxResponseBytes) bytes")
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw Self.classify(error, host: target.hostAndPort)
        }
    }

    /// The request for AsyncHTTPClient and the client that sends it (not async: the request's
    /// parts stay off the awaiting task's frames, which every request in flight holds).
    private func request(_ spec: HTTPRequestSpec) throws -> (HTTPClient, HTTPClient.Request) {
        let client = try client(insecure: spec.allowUnauthorizedCertificates, proxy: spec.proxy)
        var headers = HTTPHeaders()
        headers.reserveCapacity(spec.headers.count)
        for header in spec.headers { headers.add(name: header.name, value: header.value) }
        let request = try HTTPClient.Request(
            url: spec.url, method: HTTPMethod(rawValue: spec.method), headers: headers, body: spec.body.map { HTTPClient.Body.bytes($0) })
        return (client, request)
    }

    /// Starts `request` on one of the client's event loops and waits for its answer; cancelling
    /// the calling task cancels the request (before or after it started).
    private func execute(_ prepared: (HTTPClient, HTTPClient.Request), deadline: NIODeadline) async throws -> HTTPClient.Response {
        let (client, request) = prepared
        let eventLoop = client.eventLoopGroup.next()
        let handle = RequestHandle()
        let maxBodySize = configuration.maxResponseBytes
        let logger = logger
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPClient.Response, any Error>) in
                eventLoop.execute {
                    let accumulator = ResponseAccumulator(request: request, maxBodySize: maxBodySize)
                    let task = client.execute(request: request, delegate: accumulator, eventLoop: .indifferent, deadline: deadline, logger: logger)
                    if !handle.started(task) { task.cancel() }
                    task.futureResult.whenComplete { continuation.resume(with: $0) }
                }
            }
        } onCancel: {
            handle.cancel()
        }
    }

    private func client(insecure: Bool, proxy: String?) throws -> HTTPClient {
        let key = ClientKey(insecure: insecure, proxy: proxy)
        let proxyConfiguration = try proxy.map(Self.proxy)
        return clients.withLock { clients in
            if let existing = clients[key] { return existing }
            var tls = TLSConfiguration.makeClientConfiguration()
            if insecure { tls.certificateVerification = .none }
            var c = HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .disallow,
                timeout: .init(connect: TimeAmount(configuration.connectTimeout)),
                proxy: proxyConfiguration, decompression: .enabled(limit: .ratio(200)))
            c.connectionPool = .init(idleTimeout: .seconds(60))
            // A refused connection fails the request at once (as n8n's ECONNREFUSED); retrying is
            // the resilience service's decision, not the pool's.
            c.connectionPool.retryConnectionEstablishment = false
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: c)
            clients[key] = client
            return client
        }
    }

    static func proxy(_ text: String) throws -> HTTPClient.Configuration.Proxy {
        let withScheme = text.contains("://") ? text : "http://\(text)"
        guard let url = URL(string: withScheme), let host = url.host, !host.isEmpty else {
            throw HTTPTransportError(.invalidURL, host: "proxy", "the proxy is not a valid URL (expected http://host:port)")
        }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        if let user = url.user {
            return .server(host: host, port: port,
                           authorization: .basic(username: user.removingPercentEncoding ?? user,
                                                 password: url.password?.removingPercentEncoding ?? ""))
        }
        return .server(host: host, port: port)
    }

    /// Maps AsyncHTTPClient/NIO errors to `HTTPTransportError` (by type and description, because
    /// NIO's connection errors are spread across modules).
    static func classify(_ error: any Error, host: String) -> HTTPTransportError {
        let text = String(reflecting: error)
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return HTTPTransportError(.timeout, host: host, "the request timed out", underlying: text)
            case .remoteConnectionClosed:
                return HTTPTransportError(.connectionClosed, host: host, "the server closed the connection before the response was complete", underlying: text)
            case .invalidURL, .emptyHost, .emptyScheme:
                return HTTPTransportError(.invalidURL, host: host, "the URL is not valid", underlying: text)
            case .cancelled:
                return HTTPTransportError(.timeout, host: host, "the request was cancelled", underlying: text)
            default: break
            }
        }
        if error is NIOSSLError || text.contains("NIOSSL") || text.contains("handshake") {
            return HTTPTransportError(.tls, host: host, "the TLS handshake failed", underlying: text)
        }
        if text.contains("connectTimeout") || text.contains("Timeout") || text.contains("timeout") {
            return HTTPTransportError(.timeout, host: host, "the connection timed out", underlying: text)
        }
        if text.contains("ECONNREFUSED") || text.contains("Connection refused") || text.contains("connectionRefused")
            || text.contains("NIOConnectionError") || text.contains("EHOSTUNREACH") || text.contains("ENETUNREACH")
        {
            return HTTPTransportError(.connectionRefused, host: host, "the service refused the connection (is it running?)", underlying: text)
        }
        if text.contains("NXDOMAIN") || text.contains("SocketAddressError") || text.contains("unknown host") {
            return HTTPTransportError(.hostNotFound, host: host, "the host name does not resolve", underlying: text)
        }
        return HTTPTransportError(.connectionClosed, host: host, "the connection failed", underlying: text)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// A request started on an event loop, for cancelling it from the waiting task.
private final class RequestHandle: Sendable {
    private enum State {
        case waiting
        case started(HTTPClient.Task<HTTPClient.Response>)
        case cancelled
    }

    private let state = Mutex<State>(.waiting)

    /// Records the started task; false when the caller was cancelled first (then cancel it).
    func started(_ task: HTTPClient.Task<HTTPClient.Response>) -> Bool {
        state.withLock { state in
            if case .cancelled = state { return false }
            state = .started(task)
            return true
        }
    }

    func cancel() {
        let task = state.withLock { state -> HTTPClient.Task<HTTPClient.Response>? in
            if case .started(let task) = state { return task }
            state = .cancelled
            return nil
        }
        task?.cancel()
    }
}
