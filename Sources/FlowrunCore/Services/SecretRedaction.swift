public import FlowrunExpressions
import Foundation
public import Logging
import Synchronization

/// Collects the secrets of the credentials resolved in this process and scrubs them from text,
/// JSON, node errors and log records, so they never reach logs, errors, execution records or
/// dry-run output.
///
/// The credential resolver registers every credential it hands out (`register(_:)`); the engine
/// passes node errors and outputs through `redact`, and loggers through `Logger.redacting(with:)`.
/// Secrets shorter than `minimumLength` characters are not scrubbed: replacing every "ab" in a log
/// would mangle it without protecting anything. Owner: credentials.
public final class SecretRedactor: Sendable {
    /// What a secret is replaced with.
    public static let placeholder = "[redacted]"
    /// Shorter strings are not treated as secrets.
    public static let minimumLength = 4

    /// Longest first, so that a secret containing another is replaced whole.
    private let secrets = Mutex<[String]>([])

    public init(secrets: [String] = []) {
        for secret in secrets { register(secret: secret) }
    }

    /// Whether nothing is registered (callers skip scrubbing then).
    public var isEmpty: Bool { secrets.withLock { $0.isEmpty } }

    /// Registers one secret string, and its encoded forms that may appear in requests and logs
    /// (percent-encoded, as in a query string; escaped, as inside JSON text).
    public func register(secret: String) {
        guard secret.count >= Self.minimumLength else { return }
        var forms = [secret]
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
            forms.append(encoded)
        }
        // As it appears inside JSON text (a logged request body): quotes and backslashes escaped.
        let quoted = JSONValue.string(secret).jsonString()
        let escaped = String(quoted.dropFirst().dropLast())
        if escaped != secret { forms.append(escaped) }
        secrets.withLock { list in
            for form in forms where !list.contains(form) { list.append(form) }
            list.sort { $0.count > $1.count }
        }
    }

    /// Registers the secret fields of a resolved credential: the fields named in
    /// `ResolvedCredential.secretFields` for its type (every string field of an unknown type except
    /// the known non-secret ones), plus derived forms (the Basic authorization token).
    public func register(_ credential: ResolvedCredential) {
        for field in credential.secretFieldNames {
            let value = credential.string(field)
            if !value.isEmpty { register(secret: value) }
        }
        if credential.type == "httpBasicAuth" || credential.type == "httpDigestAuth" {
            let pair = "\(credential.string("user")):\(credential.string("password"))"
            if !credential.string("password").isEmpty { register(secret: Data(pair.utf8).base64EncodedString()) }
        }
    }

    /// `text` with every registered secret replaced by `placeholder`.
    public func redact(_ text: String) -> String {
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return text }
        var out = text
        for secret in list where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        return out
    }

    /// `value` with secrets replaced in every string and object key.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): .string(redact(s))
        case .array(let a): .array(a.map(redact))
        case .object(let o): .object(redact(o))
        case .null, .bool, .number: value
        }
    }

    /// `object` with secrets replaced in keys and values.
    public func redact(_ object: JSONObject) -> JSONObject {
        var out = JSONObject()
        for (key, value) in object { out[redact(key)] = redact(value) }
        return out
    }

    /// The items with secrets replaced in json, binary metadata and errors.
    public func redact(_ items: [Item]) -> [Item] {
        items.map { item in
            var copy = item
            copy.json = redact(item.json)
            if let binary = item.binary { copy.binary = redact(binary) }
            if let error = item.error { copy.error = redact(error) }
            return copy
        }
    }

    /// The error with secrets replaced in its message, detail and extra fields.
    public func redact(_ error: NodeError) -> NodeError {
        var copy = error
        copy.message = redact(error.message)
        copy.detail = error.detail.map(redact)
        copy.extra = redact(error.extra)
        return copy
    }
}

extension ResolvedCredential {
    /// Fields holding secrets, by n8n credential type.
    public static let secretFields: [String: [String]] = [
        "httpHeaderAuth": ["value"],
        "httpBasicAuth": ["password"],
        "httpDigestAuth": ["password"],
        "httpBearerAuth": ["token"],
        "httpQueryAuth": ["value"],
        "httpCustomAuth": ["json"],
        "postgres": ["password", "sshPassword", "privateKey", "passphrase"],
        "redis": ["password"],
        "anthropicApi": ["apiKey", "headerValue"],
        "jwtAuth": ["secret", "privateKey"],
    ]

    /// Fields never secret, for credential types flowrun does not know (everything else is).
    static let publicFields: Set<String> = [
        "host", "port", "database", "user", "username", "ssl", "url", "name", "headerName", "header", "keyType",
        "algorithm", "publicKey", "allowUnauthorizedCerts", "maxConnections", "sshTunnel", "sshHost", "sshPort",
        "sshUser", "sshAuthenticateWith", "disableTlsVerification",
    ]

    /// The names of this credential's secret fields.
    public var secretFieldNames: [String] {
        if let known = Self.secretFields[type] { return known }
        return data.keys.filter { !Self.publicFields.contains($0) }
    }
}

/// A log handler that scrubs registered secrets from messages and metadata before passing them on.
public struct RedactingLogHandler: LogHandler {
    public var wrapped: any LogHandler
    public let redactor: SecretRedactor

    public init(wrapping handler: any LogHandler, redactor: SecretRedactor) {
        self.wrapped = handler
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.metadata = event.metadata.map { $0.mapValues(redact) }
        event.message = "\(redactor.redact(event.message.description))"
        // The handler's own metadata may have been set from secrets too (a logger handed around).
        var handler = wrapped
        if !redactor.isEmpty { handler.metadata = wrapped.metadata.mapValues(redact) }
        handler.log(event: event)
    }

    private func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let s): .string(redactor.redact(s))
        case .stringConvertible(let c): .string(redactor.redact(c.description))
        case .array(let a): .array(a.map(redact))
        case .dictionary(let d): .dictionary(d.mapValues(redact))
        }
    }
}

extension Logger {
    /// This logger with secrets of `redactor` scrubbed from every record (a no-op wrapper is not
    /// added twice).
    public func redacting(with redactor: SecretRedactor) -> Logger {
        if let existing = handler as? RedactingLogHandler, existing.redactor === redactor { return self }
        var copy = self
        copy.handler = RedactingLogHandler(wrapping: handler, redactor: redactor)
        return copy
    }
}
