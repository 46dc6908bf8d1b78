/// A state store failed: which operation, then why. Never holds item data or secrets.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case duplicate, notFound, unavailable, migration, corrupt, invalidURL
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }
        public var description: String { value.rawValue }

        /// A record with this key exists already (`createExecution`, `createCacheValue`).
        public static let duplicate = Code(.duplicate)
        /// No record with this key.
        public static let notFound = Code(.notFound)
        /// The database cannot be opened or reached.
        public static let unavailable = Code(.unavailable)
        /// The schema could not be created or upgraded.
        public static let migration = Code(.migration)
        /// A stored value cannot be read back (not JSON, unknown status).
        public static let corrupt = Code(.corrupt)
        /// The store URL is not one flowrun understands.
        public static let invalidURL = Code(.invalidURL)
    }

    public var code: Code
    /// What failed, as "store operation: reason" (`sqlite .flowrun/flowrun.sqlite: createExecution: ...`).
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

extension StoreError: Equatable {
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
