import FlowrunCore
import FlowrunExpressions
@testable import FlowrunHTTPClient
import FlowrunStandIns
import Foundation
import Logging
import Testing

@testable import FlowrunRuntime

/// AsyncHTTPClientTransport against the scriptable test server on 127.0.0.1.
@Suite("HTTP transport against a local server")
struct HTTPTransportIntegrationTests {
    static func transport(_ configure: (inout AsyncHTTPClientTransport.Configuration) -> Void = { _ in }) -> AsyncHTTPClientTransport {
        var c = AsyncHTTPClientTransport.Configuration()
        configure(&c)
        return AsyncHTTPClientTransport(configuration: c)
    }

    @Test("a request round-trips method, query, headers and body; clients are created on first use")
    func roundTrip() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/echo", always: .echo)
            let t = Self.transport()
            #expect(t.clientCount == 0)
            let r = try await t.send(HTTPRequestSpec(method: "POST", url: "\(server.baseURL)/echo?a=1",
                                                     headers: [HTTPField("x-test", "yes")], body: Array("hi".utf8)))
            #expect(t.clientCount == 1)
            #expect(r.status == 200)
            let echo = try JSONValue(parsing: String(decoding: r.body, as: UTF8.self))
            #expect(echo["method"] == "POST")
            #expect(echo["query"] == "a=1")
            #expect(echo["headers"]?["x-test"] == "yes")
            #expect(echo["body"] == "hi")
            await t.shutdown()
        }
    }

    @Test("4xx and 5xx are answers, not errors")
    func statuses() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/nf", always: .json(#"{"e":1}"#, status: 404))
            server.script("/boom", always: .status(503))
            let t = Self.transport()
            #expect(try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/nf")).status == 404)
            #expect(try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/boom")).status == 503)
            await t.shutdown()
        }
    }

    @Test("server down: connection refused, retryable")
    func serverDown() async throws {
        let port = try await TestHTTPServer.withRunning { $0.port }
        let t = Self.transport()
        let error = await #expect(throws: HTTPTransportError.self) {
            _ = try await t.send(HTTPRequestSpec(method: "GET", url: "http://127.0.0.1:\(port)/x"))
        }
        #expect(error?.code == .connectionRefused, "\(String(describing: error?.debugDescription))")
        #expect(error?.retryDisposition == .retryable(after: nil))
        await t.shutdown()
    }

    @Test("a hanging server times out at the request's deadline")
    func timeout() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/hang", always: .hang)
            let t = Self.transport()
            let start = ContinuousClock.now
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/hang", timeout: .milliseconds(300)))
            }
            #expect(error?.code == .timeout, "\(String(describing: error?.debugDescription))")
            // Generous: a loaded machine is slow, but without the deadline the request would hang for good.
            #expect(ContinuousClock.now - start < .seconds(30))
            await t.shutdown()
        }
    }

    @Test("a connection closed mid-response fails as connectionClosed")
    func closedMidResponse() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/cut", always: .closeMidResponse)
            let t = Self.transport()
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/cut"))
            }
            #expect(error?.code == .connectionClosed, "\(String(describing: error?.debugDescription))")
            await t.shutdown()
        }
    }

    @Test("redirects: followed by default, returned when not followed, capped by maxRedirects; 303 turns POST into GET")
    func redirects() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/a", always: .redirect(to: "/b"))
            server.script("/b", always: .redirect(to: "\(server.baseURL)/c", status: 303))
            server.script("/c", always: .echo)
            let t = Self.transport()
            let followed = try await t.send(HTTPRequestSpec(method: "POST", url: "\(server.baseURL)/a", body: Array("x".utf8)))
            #expect(followed.status == 200)
            #expect(try JSONValue(parsing: String(decoding: followed.body, as: UTF8.self))["method"] == "GET")
            let notFollowed = try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/a", followRedirects: false))
            #expect(notFollowed.status == 302)
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/a", maxRedirects: 1))
            }
            #expect(error?.code == .tooManyRedirects)
            await t.shutdown()
        }
    }

    @Test("the body cap refuses larger responses")
    func bodyCap() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/big", always: .text(String(repeating: "x", count: 5000)))
            let t = Self.transport { $0.maxResponseBytes = 1000 }
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await t.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/big"))
            }
            #expect(error?.code == .bodyTooLarge)
            #expect(error?.retryDisposition == .permanent)
            await t.shutdown()
        }
    }

    @Test("the outbound policy refuses loopback by resolved address, names the host, and checks redirect hops")
    func ssrf() async throws {
        try await TestHTTPServer.withRunning { (server: TestHTTPServer) async throws in
            server.script("/ok", always: .echo)
            let blocked = Self.transport { $0.outboundPolicy = .blockingPrivateAddresses }
            for host in ["127.0.0.1", "localhost"] {
                let error = await #expect(throws: HTTPTransportError.self) {
                    _ = try await blocked.send(HTTPRequestSpec(method: "GET", url: "http://\(host):\(server.port)/ok"))
                }
                #expect(error?.code == .blockedByPolicy)
                #expect(error?.description.contains(host) == true)
                #expect(error?.retryDisposition == .permanent)
            }
            #expect(server.requests(path: "/ok").isEmpty)
            let exempt = Self.transport { $0.outboundPolicy = OutboundPolicy(blocksPrivateAddresses: true, allowedHosts: ["127.0.0.1"]) }
            #expect(try await exempt.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/ok")).status == 200)
            server.script("/hop", always: .redirect(to: "http://localhost:\(server.port)/ok"))
            let error = await #expect(throws: HTTPTransportError.self) {
                _ = try await exempt.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/hop"))
            }
            #expect(error?.code == .blockedByPolicy)
            let open = Self.transport()
            #expect(try await open.send(HTTPRequestSpec(method: "GET", url: "\(server.baseURL)/ok")).status == 200)
            for t in [blocked, exempt, open] { await t.shutdown() }
        }
    }

    @Test("FLOWRUN_HTTP_BLOCK_PRIVATE=1 turns the policy on in the runtime")
    func runtimeConfiguration() {
        #expect(Runtime.httpConfiguration([:]).outboundPolicy == .open)
        let on = Runtime.httpConfiguration(["FLOWRUN_HTTP_BLOCK_PRIVATE": "1", "FLOWRUN_HTTP_ALLOW_HOSTS": "Intranet.local, x"])
        #expect(on.outboundPolicy == OutboundPolicy(blocksPrivateAddresses: true, allowedHosts: ["intranet.local", "x"]))
    }
}

/// The transport's Foundation-free reading of plain URLs agrees with Foundation's.
@Suite("HTTP transport: URL targets")
struct HTTPTransportTargetTests {
    @Test("plain URLs are read without Foundation and give its scheme, host and port; others fall back to it")
    func targets() throws {
        let plain = [
            "http://127.0.0.1:8080/item", "https://api.example.com", "https://API.Example.com/v1/x?a=1&b=%20#frag",
            "http://h:1/", "http://h.io?x=1", "http://a-b.c/path;p=1/(x)*+,'!$~_", "https://h:443/a:b@c",
        ]
        for url in plain {
            let simple = try #require(Target.simple(url), "\(url)")
            let u = try #require(URL(string: url))
            #expect(simple.scheme == u.scheme?.lowercased())
            #expect(simple.host == u.host)
            #expect(simple.port == (u.port ?? (simple.scheme == "https" ? 443 : 80)))
            let viaInit = try Target(url)
            #expect(viaInit.hostAndPort == simple.hostAndPort)
        }
        let others = [
            "HTTP://h/", "http://user@h/", "http://[::1]:80/", "http://h:/x", "http://h:99999/", "http://h_x/", "http://h/a b",
            "http://h/%zz", "http://h/%4", "http://é.com/", "ftp://h/", "http://", "http://h/[x]",
        ]
        for url in others { #expect(Target.simple(url) == nil, "\(url)") }
        // Those still parse (or fail) as before, through Foundation.
        #expect(try Target("http://user@h/").host == "h")
        #expect(try Target("http://[::1]:81/").port == 81)
        #expect(throws: HTTPTransportError.self) { try Target("ftp://h/") }
    }
}
