/// Why credentials could not be read, decrypted or written: where (file, entry, variable), then
/// why. Never holds a secret or a credential's data.
public struct CredentialError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file cannot be read or written.
        public static let unreadable = Code("unreadable")
        /// The file or a variable is not valid JSON/YAML, or not a list of credentials.
        public static let invalidFormat = Code("invalidFormat")
        /// The file is encrypted and no key is set, or the key is wrong, or the envelope was altered.
        public static let decryption = Code("decryption")
        /// `FLOWRUN_CREDENTIALS_KEY` is not usable.
        public static let invalidKey = Code("invalidKey")
        /// A command was used the wrong way (no such credential, a field without a value).
        public static let usage = Code("usage")
    }

    public var code: Code
    /// Where and why, without secrets.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: CredentialError, rhs: CredentialError) -> Bool { lhs.code == rhs.code }
}
