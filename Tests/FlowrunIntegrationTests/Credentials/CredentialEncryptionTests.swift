import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Logging
import Testing

@Suite("Credentials: encryption at rest")
struct CredentialEncryptionTests {
    static let rawKey = Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()
    static let passphrase = "correct horse battery staple"
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("An encrypted file round-trips with a raw key and with a passphrase, and holds no plaintext", arguments: [rawKey, passphrase])
    func roundTrip(key: String) async throws {
        let path = try CredentialFixtures.file([
            CredentialFixtures.entry("postgres", name: "Main DB", data: ["password": "pg-very-secret", "host": "db"]),
        ])
        var file = try CredentialFile.load(path, keyText: nil)
        #expect(!file.isEncrypted)
        try file.save(encrypted: true, keyText: key)
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!onDisk.contains("pg-very-secret") && !onDisk.contains("Main DB"))
        #expect(onDisk.contains("\"flowrunEncryptedCredentials\": 1"))
        #expect(onDisk.contains("AES-256-GCM"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        file = try CredentialFile.load(path, keyText: key)
        #expect(file.isEncrypted)
        #expect(file.credentials.entries.first?.string("password") == "pg-very-secret")
        let resolver = try CredentialStoreResolver.load(file: path, environment: ["FLOWRUN_CREDENTIALS_KEY": key], logger: logger)
        let credential = try await resolver.resolve(type: "postgres", reference: ["name": "Main DB"], node: "Q")
        #expect(credential.string("host") == "db")
    }

    @Test("Without the key, with a wrong key or with an altered envelope, loading fails naming the file, never a secret")
    func failures() throws {
        let path = try CredentialFixtures.file([CredentialFixtures.entry("redis", name: "Cache", data: ["password": "redis-pw-xyz"])])
        try CredentialFile.load(path, keyText: nil).save(encrypted: true, keyText: Self.passphrase)

        let noKey = #expect(throws: CredentialError.self) { try CredentialFile.load(path, keyText: nil) }
        #expect(noKey?.code == .decryption)
        #expect(noKey?.message.contains("FLOWRUN_CREDENTIALS_KEY") == true)
        #expect(noKey?.message.hasPrefix(path) == true)

        let wrong = #expect(throws: CredentialError.self) { try CredentialFile.load(path, keyText: "another passphrase entirely") }
        #expect(wrong?.code == .decryption)
        #expect(wrong?.message.contains("wrong FLOWRUN_CREDENTIALS_KEY") == true)
        #expect(wrong?.message.contains("redis-pw-xyz") == false)

        let rawInstead = #expect(throws: CredentialError.self) { try CredentialFile.load(path, keyText: Self.rawKey) }
        #expect(rawInstead?.message.contains("passphrase") == true)

        let short = #expect(throws: CredentialError.self) { try CredentialFile.load(path, keyText: "short") }
        #expect(short?.code == .invalidKey)

        // Changing the authenticated header (the recorded format) must fail like a wrong key.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"format\": \"json\"", with: "\"format\": \"yaml\"").write(toFile: path, atomically: true, encoding: .utf8)
        let altered = #expect(throws: CredentialError.self) { try CredentialFile.load(path, keyText: Self.passphrase) }
        #expect(altered?.code == .decryption)
    }

    @Test("Two encryptions of the same file differ (fresh salt and nonce), and both decrypt")
    func freshNonce() throws {
        let a = try CredentialEncryption.encrypt("[]", format: "json", keyText: Self.passphrase)
        let b = try CredentialEncryption.encrypt("[]", format: "json", keyText: Self.passphrase)
        #expect(a != b)
        #expect(try CredentialEncryption.decrypt(a, keyText: Self.passphrase, source: "a").text == "[]")
        #expect(try CredentialEncryption.decrypt(b, keyText: Self.passphrase, source: "b").text == "[]")
    }
}
