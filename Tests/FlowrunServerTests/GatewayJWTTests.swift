import FlowrunExpressions
import FlowrunStandIns
import Foundation
import JWTKit
import Testing
import _CryptoExtras

/// JWT verification over real HTTP with RS256 and ES256 keys (PEM and JWKS), the checks Supabase
/// tokens need (expiry, signature, audience, issuer), n8n's jwtAuth with a PEM key, and the rate
/// limit by JWT subject.
@Suite("Webhook gateway: JWT with RS256/ES256 keys")
struct GatewayJWTTests {
    struct Signer: Sendable {
        let keys: JWTKeyCollection

        func token(sub: String = "user-1", expiresIn: TimeInterval = 600, aud: String? = "authenticated", iss: String? = nil) async throws -> String {
            try await keys.sign(TestClaims(
                sub: .init(value: sub), exp: .init(value: Date().addingTimeInterval(expiresIn)), aud: aud.map { .init(value: [$0]) },
                iss: iss.map { .init(value: $0) }))
        }
    }

    static func rsa() async throws -> (signer: Signer, key: JWTKit.Insecure.RSA.PrivateKey) {
        let key = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let keys = JWTKeyCollection()
        await keys.add(rsa: key, digestAlgorithm: .sha256, kid: "r1")
        return (Signer(keys: keys), key)
    }

    static func es256() async -> (signer: Signer, key: ES256PrivateKey) {
        let key = ES256PrivateKey()
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: "e1")
        return (Signer(keys: keys), key)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Valid 200, expired 401, wrong signature 401, missing 401 on `path`.
    static func checkFourCases(_ server: ServerHarness, path: String, good: Signer, other: Signer, iss: String? = nil) async throws {
        let valid = try await server.request("GET", path, headers: [("Authorization", "Bearer \(try await good.token(iss: iss))")])
        #expect(valid.status == 200, "valid: \(valid.text)")
        #expect(valid.json == ["sub": "user-1"])
        let expired = try await server.request("GET", path, headers: [("Authorization", "Bearer \(try await good.token(expiresIn: -120, iss: iss))")])
        #expect(expired.status == 401)
        #expect(expired.text.contains("expired"), "\(expired.text)")
        let forged = try await server.request("GET", path, headers: [("Authorization", "Bearer \(try await other.token(iss: iss))")])
        #expect(forged.status == 401)
        #expect(forged.text.contains("signature") || forged.text.contains("invalid"), "\(forged.text)")
        let missing = try await server.request("GET", path)
        #expect(missing.status == 401)
        #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
    }

    static func flow(path: String, jwt: JSONObject, name: String) -> JSONValue {
        Flows.chain([
            Flows.webhook(["path": .string(path), "responseMode": "lastNode"], extra: ["flowrun": ["jwt": .object(jwt)]]),
            Flows.set("Who", [("sub", "={{ $json.jwtPayload.sub }}")]),
        ], name: name)
    }

    @Test("flowrun JWT with RS256 and ES256 public keys in PEM form: valid, expired, wrong signature, missing")
    func pemKeys() async throws {
        let (rsaSigner, rsaKey) = try await Self.rsa()
        let (otherRSA, _) = try await Self.rsa()
        let (esSigner, esKey) = await Self.es256()
        let (otherES, _) = await Self.es256()
        let flows = [
            "rs.json": Self.flow(path: "rs", jwt: ["publicKey": .string(rsaKey.publicKey.pemRepresentation), "audience": "authenticated"], name: "rs"),
            "es.json": Self.flow(path: "es", jwt: ["publicKey": .string(esKey.publicKey.pemRepresentation), "audience": "authenticated"], name: "es"),
        ]
        try await ServerHarness.with(workflows: flows) { server in
            try await Self.checkFourCases(server, path: "/webhook/rs", good: rsaSigner, other: otherRSA)
            try await Self.checkFourCases(server, path: "/webhook/es", good: esSigner, other: otherES)
            // An ES256 token is refused by the RS256 endpoint and the other way round.
            #expect(try await server.request("GET", "/webhook/rs", headers: [("Authorization", "Bearer \(try await esSigner.token())")]).status == 401)
            #expect(try await server.request("GET", "/webhook/es", headers: [("Authorization", "Bearer \(try await rsaSigner.token())")]).status == 401)
        }
    }

    @Test("flowrun JWT with an RS256 key from a JWKS URL: valid, expired, wrong signature, missing, wrong issuer")
    func rs256JWKS() async throws {
        let (signer, key) = try await Self.rsa()
        let (other, _) = try await Self.rsa()
        let (n, e) = try key.publicKey.getKeyPrimitives()
        let jwks = "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"r1\",\"n\":\"\(Self.base64URL(n))\",\"e\":\"\(Self.base64URL(e))\"}]}"
        let issuer = "https://project.supabase.co/auth/v1"
        try await TestHTTPServer.withRunning { keys in
            keys.script("/.well-known/jwks.json", always: .json(jwks))
            let flow = Self.flow(path: "jwks", jwt: ["jwksURL": .string(keys.baseURL + "/.well-known/jwks.json"), "issuer": .string(issuer)], name: "jwks")
            try await ServerHarness.with(workflows: ["a.json": flow]) { server in
                try await Self.checkFourCases(server, path: "/webhook/jwks", good: signer, other: other, iss: issuer)
                let wrongIssuer = try await server.request("GET", "/webhook/jwks", headers: [("Authorization", "Bearer \(try await signer.token(iss: "https://evil.example"))")])
                #expect(wrongIssuer.status == 401)
                #expect(wrongIssuer.text.contains("issuer"))
                let garbage = try await server.request("GET", "/webhook/jwks", headers: [("Authorization", "Bearer not.a.token")])
                #expect(garbage.status == 401)
            }
        }
    }

    @Test("n8n jwtAuth with an RS256 PEM key credential: valid 200, expired/forged 403, missing 401")
    func n8nJWTAuthPEM() async throws {
        let (signer, key) = try await Self.rsa()
        let (other, _) = try await Self.rsa()
        let credentials: JSONValue = [
            ["id": "7", "name": "rsa", "type": "jwtAuth", "data": ["keyType": "pemKey", "publicKey": .string(key.publicKey.pemRepresentation), "algorithm": "RS256"]],
        ]
        let flow = Flows.chain([
            Flows.webhook(["path": "n8n-jwt", "authentication": "jwtAuth", "responseMode": "lastNode"], extra: ["credentials": ["jwtAuth": ["id": "7", "name": "rsa"]]]),
            Flows.set("Who", [("sub", "={{ $json.jwtPayload.sub }}")]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow], credentials: credentials) { server in
            let valid = try await server.request("GET", "/webhook/n8n-jwt", headers: [("Authorization", "Bearer \(try await signer.token())")])
            #expect(valid.status == 200)
            #expect(valid.json == ["sub": "user-1"])
            #expect(try await server.request("GET", "/webhook/n8n-jwt", headers: [("Authorization", "Bearer \(try await signer.token(expiresIn: -120))")]).status == 403)
            #expect(try await server.request("GET", "/webhook/n8n-jwt", headers: [("Authorization", "Bearer \(try await other.token())")]).status == 403)
            let missing = try await server.request("GET", "/webhook/n8n-jwt")
            #expect(missing.status == 401)
            #expect(missing.text == "No token provided")
        }
    }

    @Test("n8n jwtAuth with an HS256 secret: a token signed with another secret gets 403")
    func n8nJWTAuthWrongSignature() async throws {
        let flow = Flows.chain([Flows.webhook(["path": "jwt", "authentication": "jwtAuth"], extra: ["credentials": ["jwtAuth": ["id": "3", "name": "jwt"]]])])
        try await ServerHarness.with(workflows: ["a.json": flow], credentials: GatewayTests.credentials) { server in
            let forged = try await GatewayTests.token(secret: "another-secret-another-secret-another-secret")
            let answer = try await server.request("GET", "/webhook/jwt", headers: [("Authorization", "Bearer \(forged)")])
            #expect(answer.status == 403)
            #expect(answer.text.contains("signature"))
        }
    }

    @Test("rate limit by JWT subject: each subject has its own bucket, 429 with Retry-After")
    func rateLimitBySubject() async throws {
        let flow = Flows.chain([
            Flows.webhook(["path": "sub"], extra: ["flowrun": [
                "jwt": ["secret": .string(GatewayTests.secret)], "rateLimit": ["limit": 1, "windowSeconds": 60, "by": "jwtSub"],
            ]]),
        ])
        try await ServerHarness.with(workflows: ["a.json": flow]) { server in
            let a = try await GatewayTests.token(secret: GatewayTests.secret, sub: "a")
            let b = try await GatewayTests.token(secret: GatewayTests.secret, sub: "b")
            #expect(try await server.request("GET", "/webhook/sub", headers: [("Authorization", "Bearer \(a)")]).status == 200)
            let limited = try await server.request("GET", "/webhook/sub", headers: [("Authorization", "Bearer \(a)")])
            #expect(limited.status == 429)
            #expect(limited.header("retry-after").flatMap(Int.init).map { $0 >= 1 } == true)
            #expect(try await server.request("GET", "/webhook/sub", headers: [("Authorization", "Bearer \(b)")]).status == 200)
        }
    }
}
