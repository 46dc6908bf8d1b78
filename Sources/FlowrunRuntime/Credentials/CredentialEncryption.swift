import Crypto
import FlowrunExpressions
import Foundation

/// Encryption at rest of a credentials file: AES-256-GCM in a versioned JSON envelope.
///
/// The key comes from `FLOWRUN_CREDENTIALS_KEY`: 32 bytes in base64 are used as the key itself;
/// any other value (at least 16 characters) is a passphrase, stretched with HKDF-SHA256 over a
/// random per-file salt. The envelope's header (version, cipher, kdf, salt) is authenticated with
/// the ciphertext, so an altered header fails like a wrong key. docs/credentials.md describes the
/// format and key rotation.
public enum CredentialEncryption {
    /// The environment variable holding the key or passphrase.
    public static let keyVariable = "FLOWRUN_CREDENTIALS_KEY"
    /// The envelope marker and version written now.
    static let marker = "flowrunEncryptedCredentials"
    static let version = 1
    static let cipher = "AES-256-GCM"
    static let minimumPassphraseLength = 16
    static let info = Data("flowrun credentials v1".utf8)

    /// Where the key material came from.
    enum KeyMaterial {
        case raw(SymmetricKey)
        case passphrase(Data)
    }

    /// Whether `text` is an encrypted envelope (a JSON object with the marker).
    public static func isEnvelope(_ text: String) -> Bool {
        guard text.contains(marker), let json = try? JSONValue(parsing: text) else { return false }
        return json[marker] != nil
    }

    /// Encrypts `plaintext` (the credentials file's text) into an envelope (JSON text).
    ///
    /// - Parameter format: `json` or `yaml`, recorded so that `decrypt` gives the file back as it was.
    public static func encrypt(_ plaintext: String, format: String, keyText: String) throws(CredentialError) -> String {
        let material = try keyMaterial(keyText)
        var salt = Data(count: 0)
        let kdf: String
        switch material {
        case .raw: kdf = "none"
        case .passphrase:
            kdf = "HKDF-SHA256"
            salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
        }
        let key = derive(material, salt: salt)
        let header = headerData(version: version, kdf: kdf, salt: salt, format: format)
        let sealed: AES.GCM.SealedBox
        do {
            sealed = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: header)
        } catch {
            throw CredentialError(.decryption, "cannot encrypt the credentials: \(error)")
        }
        let envelope: JSONValue = .object([
            marker: .number(Double(version)),
            "cipher": .string(cipher),
            "kdf": .string(kdf),
            "salt": .string(salt.base64EncodedString()),
            "format": .string(format),
            "keyId": .string(fingerprint(key)),
            "nonce": .string(Data(sealed.nonce).base64EncodedString()),
            "ciphertext": .string((sealed.ciphertext + sealed.tag).base64EncodedString()),
        ])
        return envelope.jsonString(indent: 2) + "\n"
    }

    /// Decrypts an envelope; returns the original text and its format.
    ///
    /// - Throws: `.decryption` naming `source` when no key is given, the key is wrong or the
    ///   envelope was altered; `.invalidFormat` for an envelope of another version.
    public static func decrypt(_ envelopeText: String, keyText: String?, source: String) throws(CredentialError) -> (text: String, format: String) {
        guard let envelope = try? JSONValue(parsing: envelopeText), let versionNumber = envelope[marker]?.numberValue else {
            throw CredentialError(.invalidFormat, "\(source): not an encrypted credentials envelope")
        }
        guard Int(versionNumber) == version, envelope["cipher"]?.stringValue == cipher else {
            throw CredentialError(.invalidFormat, "\(source): encrypted with envelope version \(JSNumberFormatting.string(versionNumber)) (\(envelope["cipher"]?.stringValue ?? "?")), this flowrun reads version \(version) (\(cipher))")
        }
        guard let keyText, !keyText.isEmpty else {
            throw CredentialError(.decryption, "\(source): the credentials file is encrypted; set \(keyVariable) to its key")
        }
        let kdf = envelope["kdf"]?.stringValue ?? ""
        let format = envelope["format"]?.stringValue ?? "json"
        guard let salt = envelope["salt"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let nonceData = envelope["nonce"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let combined = envelope["ciphertext"]?.stringValue.flatMap({ Data(base64Encoded: $0) }), combined.count >= 16
        else {
            throw CredentialError(.invalidFormat, "\(source): the envelope lacks salt, nonce or ciphertext (base64)")
        }
        let material = try keyMaterial(keyText)
        switch (material, kdf) {
        case (.raw, "none"), (.passphrase, "HKDF-SHA256"): break
        case (.raw, _):
            throw CredentialError(.decryption, "\(source): encrypted with a passphrase, but \(keyVariable) holds a raw 32-byte key")
        case (.passphrase, _):
            throw CredentialError(.decryption, "\(source): encrypted with a raw 32-byte key, but \(keyVariable) holds a passphrase")
        }
        let key = derive(material, salt: salt)
        let header = headerData(version: version, kdf: kdf, salt: salt, format: format)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonceData), ciphertext: combined.dropLast(16),
                                            tag: combined.suffix(16))
            let plain = try AES.GCM.open(box, using: key, authenticating: header)
            guard let text = String(data: plain, encoding: .utf8) else {
                throw CredentialError(.invalidFormat, "\(source): the decrypted credentials are not UTF-8 text")
            }
            return (text, format)
        } catch let error as CredentialError {
            throw error
        } catch {
            var hint = ""
            if let id = envelope["keyId"]?.stringValue, id != fingerprint(key) {
                hint = " (the file was encrypted with key \(id), \(keyVariable) gives key \(fingerprint(key)))"
            }
            throw CredentialError(.decryption, "\(source): cannot decrypt: wrong \(keyVariable) or an altered file\(hint)")
        }
    }

    /// Reads the key setting: 32 bytes in base64, or a passphrase of at least 16 characters.
    static func keyMaterial(_ text: String) throws(CredentialError) -> KeyMaterial {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = Data(base64Encoded: trimmed), bytes.count == 32 {
            return .raw(SymmetricKey(data: bytes))
        }
        guard trimmed.count >= minimumPassphraseLength else {
            throw CredentialError(.invalidKey, "\(keyVariable): give 32 random bytes in base64 (openssl rand -base64 32) or a passphrase of at least \(minimumPassphraseLength) characters")
        }
        return .passphrase(Data(trimmed.utf8))
    }

    static func derive(_ material: KeyMaterial, salt: Data) -> SymmetricKey {
        switch material {
        case .raw(let key): key
        case .passphrase(let bytes):
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: bytes), salt: salt, info: info, outputByteCount: 32)
        }
    }

    /// The authenticated header: changing any of these fields makes decryption fail.
    static func headerData(version: Int, kdf: String, salt: Data, format: String) -> Data {
        Data("\(marker)|\(version)|\(cipher)|\(kdf)|\(salt.base64EncodedString())|\(format)".utf8)
    }

    /// A short, non-secret key identifier (first 4 bytes of SHA-256 of the key), to tell keys apart.
    static func fingerprint(_ key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }
}
