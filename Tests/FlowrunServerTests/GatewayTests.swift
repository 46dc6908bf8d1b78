import FlowrunExpressions
import FlowrunStandIns
import Foundation
import JWTKit
import Testing

/// The payload tests sign.
struct TestClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var aud: AudienceClaim?
    var iss: IssuerClaim?
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

@Suite("Webhook gateway options")
struct GatewayTests {
    static func token(secret: String, sub: String = "user-1", expiresIn: TimeInterval = 600, aud: String? = "authenticated") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(TestClaims(
            sub: .init(value: sub), exp: .init(value: Date().addingTimeInterval(expiresIn)), aud: aud.map { .init(value: [$0]) }, iss: nil))
    }

    static let secret = "super-secret-jwt-token-with-at-least-32-characters"

    @Test("flowrun JWT (HS256 secret from the environment): valid, expired, wrong signature, missing, wrong audience")
    func jwtHS256() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "me", "responseMode": "lastNode"],
                          extra: ["flowrun": ["jwt": ["secretEnv": "TEST_JWT_SECRET", "audience": "authenticated"]]]),
            Flows.set("Who", [("sub", "={{ $json.jwtPayload.sub }}")]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow], environment: ["TEST_JWT_SECRET": Self.secret]) { server in
            let valid = try await Self.token(secret: Self.secret)
            let ok = try await server.request("GET", "/webhook/me", headers: [("Authorization", "Bearer \(valid)")])
            #expect(ok.status == 200)
            #expect(ok.json == ["sub": "user-1"])
            let expired = try await Self.token(secret: Self.secret, expiresIn: -60)
            let e = try await server.request("GET", "/webhook/me", headers: [("Authorization", "Bearer \(expired)")])
            #expect(e.status == 401)
            #expect(e.text.contains("expired"))
            let forged = try await Self.token(secret: "another-secret-another-secret-another-secret")
            let f = try await server.request("GET", "/webhook/me", headers: [("Authorization", "Bearer \(forged)")])
            #expect(f.status == 401)
            #expect(f.text.contains("signature"))
            let missing = try await server.request("GET", "/webhook/me")
            #expect(missing.status == 401)
            let wrongAudience = try await Self.token(secret: Self.secret, aud: "anon")
            let w = try await server.request("GET", "/webhook/me", headers: [("Authorization", "Bearer \(wrongAudience)")])
            #expect(w.status == 401)
            #expect(w.text.contains("audience"))
        }
    }

    @Test("flowrun JWT with an ES256 key from a JWKS URL (as Supabase publishes them)")
    func jwks() async throws {
        let key = ES256PrivateKey()
        let params = try #require(key.publicKey.parameters)
        let jwks = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"kid\":\"k1\",\"x\":\"\(params.x)\",\"y\":\"\(params.y)\"}]}"
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key, kid: "k1")
        let good = try await signer.sign(TestClaims(sub: .init(value: "s"), exp: .init(value: Date().addingTimeInterval(60)), aud: nil, iss: .init(value: "https://x.supabase.co/auth/v1")))
        let other = JWTKeyCollection()
        await other.add(ecdsa: ES256PrivateKey(), kid: "k1")
        let bad = try await other.sign(TestClaims(sub: .init(value: "s"), exp: .init(value: Date().addingTimeInterval(60)), aud: nil, iss: .init(value: "https://x.supabase.co/auth/v1")))
        try await TestHTTPServer.withRunning { keys in
            keys.script("/jwks.json", always: .json(jwks))
            let flow = Flows.chain([
                Flows.webhook(["path": "es"], extra: ["flowrun": ["jwt": ["jwksURL": .string(keys.baseURL + "/jwks.json"), "issuer": "https://x.supabase.co/auth/v1"]]]),
            ])
            try await ServerHarness.with(workflows: ["a.json": flow]) { server in
                let accepted = try await server.request("GET", "/webhook/es", headers: [("Authorization", "Bearer \(good)")])
                #expect(accepted.status == 200)
                let refused = try await server.request("GET", "/webhook/es", headers: [("Authorization", "Bearer \(bad)")])
                #expect(refused.status == 401)
                #expect(keys.requests(path: "/jwks.json").count == 1)
            }
        }
    }

    static let credentials: JSONValue = [
        ["id": "1", "name": "basic", "type": "httpBasicAuth", "data": ["user": "ada", "password": "pw"]],
        ["id": "2", "name": "header", "type": "httpHeaderAuth", "data": ["name": "X-Key", "value": "k-123"]],
        ["id": "3", "name": "jwt", "type": "jwtAuth", "data": ["keyType": "passphrase", "secret": .string(GatewayTests.secret), "algorithm": "HS256"]],
    ]

    @Test("n8n authentication: basicAuth, headerAuth and jwtAuth with n8n's statuses and messages")
    func n8nAuthentication() async throws {
        let basic = Flows.chain([Flows.webhook(["path": "basic", "authentication": "basicAuth"], extra: ["credentials": ["httpBasicAuth": ["id": "1", "name": "basic"]]])], name: "b")
        let header = Flows.chain([Flows.webhook(["path": "header", "authentication": "headerAuth"], extra: ["credentials": ["httpHeaderAuth": ["id": "2", "name": "header"]]])], name: "h")
        let jwt = Flows.chain([Flows.webhook(["path": "jwt", "authentication": "jwtAuth"], extra: ["credentials": ["jwtAuth": ["id": "3", "name": "jwt"]]])], name: "j")
        try await ServerHarness.with(workflows: ["b.json": basic, "h.json": header, "j.json": jwt], credentials: Self.credentials) { server in
            let good = "Basic " + Data("ada:pw".utf8).base64EncodedString()
            let wrong = "Basic " + Data("ada:nope".utf8).base64EncodedString()
            #expect(try await server.request("GET", "/webhook/basic", headers: [("Authorization", good)]).status == 200)
            let w = try await server.request("GET", "/webhook/basic", headers: [("Authorization", wrong)])
            #expect(w.status == 403)
            #expect(w.text == "Authorization data is wrong!")
            let m = try await server.request("GET", "/webhook/basic")
            #expect(m.status == 401)
            #expect(m.text == "Authorization is required!")
            #expect(m.header("www-authenticate") == "Basic realm=\"Webhook\"")
            #expect(try await server.request("GET", "/webhook/header", headers: [("X-Key", "k-123")]).status == 200)
            #expect(try await server.request("GET", "/webhook/header", headers: [("X-Key", "bad")]).status == 403)
            #expect(try await server.request("GET", "/webhook/header").status == 403)
            let token = try await Self.token(secret: Self.secret)
            #expect(try await server.request("GET", "/webhook/jwt", headers: [("Authorization", "Bearer \(token)")]).status == 200)
            let expired = try await Self.token(secret: Self.secret, expiresIn: -60)
            #expect(try await server.request("GET", "/webhook/jwt", headers: [("Authorization", "Bearer \(expired)")]).status == 403)
            let none = try await server.request("GET", "/webhook/jwt")
            #expect(none.status == 401)
            #expect(none.text == "No token provided")
        }
    }

    @Test("rate limit by IP and by header: 429 with Retry-After once the bucket is empty")
    func rateLimit() async throws {
        let byIP = Flows.chain([Flows.webhook(["path": "ip"], extra: ["flowrun": ["rateLimit": ["limit": 3, "windowSeconds": 60]]])], name: "ip")
        let byHeader = Flows.chain([Flows.webhook(["path": "key"], extra: ["flowrun": ["rateLimit": ["limit": 1, "windowSeconds": 60, "by": "header", "header": "X-Client"]]])], name: "key")
        try await ServerHarness.with(workflows: ["ip.json": byIP, "key.json": byHeader]) { server in
            for _ in 0..<3 { #expect(try await server.request("GET", "/webhook/ip").status == 200) }
            let limited = try await server.request("GET", "/webhook/ip")
            #expect(limited.status == 429)
            // One token comes back every 20 s (3 per 60 s), less the time the requests took (wall clock).
            let retryAfter = try #require(limited.header("retry-after").flatMap { Int($0) })
            #expect((1...20).contains(retryAfter))
            #expect(try await server.request("GET", "/webhook/key", headers: [("X-Client", "a")]).status == 200)
            #expect(try await server.request("GET", "/webhook/key", headers: [("X-Client", "a")]).status == 429)
            #expect(try await server.request("GET", "/webhook/key", headers: [("X-Client", "b")]).status == 200)
        }
    }

    @Test("body size limit answers 413 and the workflow does not run")
    func sizeLimit() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "small", "httpMethod": "POST", "responseMode": "lastNode"], extra: ["flowrun": ["maxBodyBytes": 64]])])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            #expect(try await server.post("/webhook/small", json: ["a": 1]).status == 200)
            let big = try await server.post("/webhook/small", json: ["a": .string(String(repeating: "x", count: 200))])
            #expect(big.status == 413)
        }
    }

    @Test("JSON Schema: an invalid body gets 400 with the violations by path; a valid one runs")
    func schema() async throws {
        let schema: JSONValue = [
            "type": "object", "required": ["email", "age"], "additionalProperties": false,
            "properties": ["email": ["type": "string", "pattern": "^[^@]+@[^@]+$"], "age": ["type": "integer", "minimum": 18], "tags": ["type": "array", "items": ["type": "string"]]],
        ]
        let flow = Flows.chain([
            Flows.webhook(["path": "signup", "httpMethod": "POST", "responseMode": "lastNode"], extra: ["flowrun": ["schema": schema]]),
            Flows.set("Ok", [("ok", "yes")]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let valid = try await server.post("/webhook/signup", json: ["email": "a@b.c", "age": 30, "tags": ["x"]])
            #expect(valid.status == 200)
            #expect(valid.json == ["ok": "yes"])
            let invalid = try await server.post("/webhook/signup", json: ["email": "nope", "age": 12, "tags": [1], "extra": true])
            #expect(invalid.status == 400)
            let paths = Set((invalid.json?.objectValue?["errors"]?.arrayValue ?? []).compactMap { $0.objectValue?["path"]?.stringValue })
            #expect(paths == ["/email", "/age", "/tags/0", "/extra"])
            #expect(invalid.header("x-flowrun-execution-id") == nil)
            let missing = try await server.post("/webhook/signup", json: [:])
            #expect(Set((missing.json?.objectValue?["errors"]?.arrayValue ?? []).compactMap { $0.objectValue?["path"]?.stringValue }) == ["/email", "/age"])
        }
    }

    @Test("CORS: preflight and Access-Control-Allow-Origin follow options.allowedOrigins")
    func cors() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "c", "httpMethod": "POST", "options": ["allowedOrigins": "https://a.example,https://b.example"]])])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let preflight = try await server.request("OPTIONS", "/webhook/c", headers: [
                ("Origin", "https://b.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type"),
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "https://b.example")
            #expect(preflight.header("access-control-allow-methods") == "OPTIONS, POST")
            #expect(preflight.header("access-control-allow-headers") == "content-type")
            let other = try await server.post("/webhook/c", json: [:], headers: [("Origin", "https://evil.example")])
            #expect(other.header("access-control-allow-origin") == "https://a.example")
        }
    }
}
