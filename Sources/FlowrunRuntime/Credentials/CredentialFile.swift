import FlowrunCore
import FlowrunExpressions
import Foundation

/// A credentials file on disk: JSON or YAML (by extension; `.yaml`/`.yml` are YAML), plain or
/// encrypted (an envelope written by `flowrun credentials encrypt`).
public struct CredentialFile: Sendable {
    public var path: String
    /// The parsed content.
    public var credentials: CredentialSet
    /// `json` or `yaml`: how the (decrypted) text is written.
    public var format: String
    /// Whether the file on disk is encrypted.
    public var isEncrypted: Bool

    /// A file that may not exist yet (for `credentials set`).
    public init(path: String, credentials: CredentialSet, format: String, isEncrypted: Bool) {
        self.path = path
        self.credentials = credentials
        self.format = format
        self.isEncrypted = isEncrypted
    }

    /// Reads and, when encrypted, decrypts `path` with `keyText` (`FLOWRUN_CREDENTIALS_KEY`).
    ///
    /// - Throws: `CredentialError` naming the file: unreadable, not JSON/YAML, encrypted without a
    ///   key, wrong key.
    public static func load(_ path: String, keyText: String?) throws(CredentialError) -> CredentialFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError(.unreadable, "\(path): cannot read the credentials file")
        }
        guard let raw = String(data: data, encoding: .utf8) else {
            throw CredentialError(.invalidFormat, "\(path): the credentials file is not UTF-8 text")
        }
        var text = raw
        var format = Self.format(ofPath: path)
        let encrypted = CredentialEncryption.isEnvelope(raw)
        if encrypted {
            (text, format) = try CredentialEncryption.decrypt(raw, keyText: keyText, source: path)
        }
        let json = try parse(text, format: format, source: path)
        return CredentialFile(path: path, credentials: try CredentialSet(json: json, source: path), format: format,
                              isEncrypted: encrypted)
    }

    /// `yaml` for `.yaml`/`.yml` paths, else `json`.
    public static func format(ofPath path: String) -> String {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") ? "yaml" : "json"
    }

    /// Parses file text as JSON or YAML.
    static func parse(_ text: String, format: String, source: String) throws(CredentialError) -> JSONValue {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .array([]) }
        if format == "yaml" {
            do {
                return try CredentialYAML.parse(text)
            } catch {
                throw CredentialError(.invalidFormat, "\(source): invalid YAML: \(error)")
            }
        }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw CredentialError(.invalidFormat, "\(source): invalid JSON at \(error.description)")
        }
    }

    /// The plain text of the credentials in this file's format.
    public func plaintext() -> String {
        format == "yaml" ? YAMLWriter.write(credentials.jsonValue) : credentials.jsonValue.jsonString(indent: 2) + "\n"
    }

    /// Writes the credentials back, encrypted with `keyText` when `encrypted`; the file is replaced
    /// atomically and readable by its owner only.
    public func save(encrypted: Bool, keyText: String?) throws(CredentialError) {
        var text = plaintext()
        if encrypted {
            guard let keyText, !keyText.isEmpty else {
                throw CredentialError(.invalidKey, "\(path): set \(CredentialEncryption.keyVariable) to encrypt the credentials file")
            }
            text = try CredentialEncryption.encrypt(text, format: format, keyText: keyText)
        }
        try Self.write(text, to: path)
    }

    /// Writes `text` to `path` atomically with mode 0600.
    static func write(_ text: String, to path: String) throws(CredentialError) {
        let temporary = path + ".tmp-\(UInt32.random(in: 0...UInt32.max))"
        let manager = FileManager.default
        guard manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CredentialError(.unreadable, "\(path): cannot write the credentials file")
        }
        if rename(temporary, path) != 0 {
            try? manager.removeItem(atPath: temporary)
            throw CredentialError(.unreadable, "\(path): cannot replace the credentials file")
        }
    }
}
