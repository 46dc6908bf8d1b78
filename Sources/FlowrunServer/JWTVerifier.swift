import FlowrunCore
import FlowrunExpressions
import Foundation
import JWTKit
import Synchronization

/// Verifies bearer tokens for one webhook (`GatewayOptions.JWT`), with jwt-kit: HS256/384/512
/// secrets, RS256 and ES256 PEM public keys, or a JWKS URL fetched through the runtime's HTTP
/// transport and cached (refetched after `jwksTTL`, or at once for an unknown `kid`, at most every
/// 30 seconds). Expiry and not-before are checked, then audience and issuer when configured.
final class JWTVerifier: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The registered claims jwt-kit checks; the full payload is read separately as JSON.
    struct Claims: JWTPayload {
        var exp: ExpirationClaim?
        var nbf: NotBeforeClaim?
        var aud: AudienceClaim?
        var iss: IssuerClaim?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp?.verifyNotExpired()
            try nbf?.verifyNotBefore()
        }
    }

    let options: GatewayOptions.JWT
    let http: (any HTTPTransport)?
    let jwksTTL: Double
    private let staticKeys: JWTKeyCollection?
    private let jwks = Mutex<(keys: JWTKeyCollection?, fetchedAt: Double)>((nil, 0))

    init(options: GatewayOptions.JWT, http: (any HTTPTransport)?, jwksTTL: Double = 600) async throws {
        self.options = options
        self.http = http
        self.jwksTTL = jwksTTL
        if options.secret != nil || !options.publicKeys.isEmpty {
            let keys = JWTKeyCollection()
            if let secret = options.secret {
                await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: "hs256")
                // jwt-kit asserts (debug) on HMAC keys shorter than the digest; longer hashes only for long secrets.
                if secret.utf8.count >= 48 { await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha384, kid: "hs384") }
                if secret.utf8.count >= 64 { await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha512, kid: "hs512") }
            }
            for (i, pem) in options.publicKeys.enumerated() {
                if let key = try? ES256PublicKey(pem: pem) {
                    await keys.add(ecdsa: key, kid: JWKIdentifier(string: "pem\(i)"))
                } else if let key = try? Insecure.RSA.PublicKey(pem: pem) {
                    await keys.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: "pem\(i)"))
                } else {
                    throw Failure(description: "flowrun.jwt.publicKey \(i + 1): not an RS256 or ES256 public key in PEM form")
                }
            }
            staticKeys = keys
        } else {
            staticKeys = nil
        }
    }

    /// The token's payload as JSON after every check passed.
    func verify(_ token: String, now: Double) async throws(Failure) -> JSONObject {
        let claims: Claims
        do {
            if let staticKeys {
                claims = try await staticKeys.verify(token, as: Claims.self, iteratingKeys: true)
            } else {
                let keys = try await jwksKeys(now: now, refresh: false)
                do {
                    claims = try await keys.verify(token, as: Claims.self)
                } catch let error as JWTError where error.errorType == .unknownKID {
                    claims = try await jwksKeys(now: now, refresh: true).verify(token, as: Claims.self)
                }
            }
        } catch let error as JWTError {
            throw Failure(description: Self.reason(error))
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "invalid token")
        }
        if !options.audience.isEmpty {
            guard let aud = claims.aud, aud.value.contains(where: options.audience.contains) else {
                throw Failure(description: "audience not accepted")
            }
        }
        if let issuer = options.issuer, claims.iss?.value != issuer { throw Failure(description: "issuer not accepted") }
        return Self.payload(of: token) ?? [:]
    }

    static func reason(_ error: JWTError) -> String {
        switch error.errorType {
        case .claimVerificationFailure: "token expired or not yet valid"
        case .signatureVerificationFailed: "signature verification failed"
        case .malformedToken: "malformed token"
        default: "invalid token"
        }
    }

    /// The decoded middle segment of a compact JWS.
    static func payload(of token: String) -> JSONObject? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64) else { return nil }
        return (try? JSONValue(parsing: [UInt8](data)))?.objectValue
    }

    private func jwksKeys(now: Double, refresh: Bool) async throws -> JWTKeyCollection {
        let cached = jwks.withLock { $0 }
        if let keys = cached.keys, now - cached.fetchedAt < (refresh ? 30 : jwksTTL) { return keys }
        guard let url = options.jwksURL else { throw Failure(description: "no verification key configured") }
        guard let http else { throw Failure(description: "fetching the JWKS needs an HTTP client") }
        let response: HTTPResponseData
        do {
            response = try await http.send(HTTPRequestSpec(method: "GET", url: url, timeout: .seconds(10)))
        } catch {
            if let keys = cached.keys { return keys }
            throw Failure(description: "the JWKS could not be fetched")
        }
        guard response.status == 200 else {
            if let keys = cached.keys { return keys }
            throw Failure(description: "the JWKS could not be fetched (HTTP \(response.status))")
        }
        let keys = JWTKeyCollection()
        do {
            try await keys.add(jwksJSON: String(decoding: response.body, as: UTF8.self))
        } catch {
            throw Failure(description: "the JWKS is not valid")
        }
        jwks.withLock { $0 = (keys, now) }
        return keys
    }
}
