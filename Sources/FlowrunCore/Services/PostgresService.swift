public import FlowrunExpressions

/// Postgres connections per credential, pooled by the backend. Owner: Postgres (FlowrunPostgres).
public protocol PostgresService: Sendable {
    /// Runs `body` with a pooled connection for `credential` (n8n's `postgres` credential fields).
    func withConnection<T: Sendable>(
        _ credential: ResolvedCredential, _ body: (any SQLConnection) async throws -> T
    ) async throws -> T
}

/// One connection. Values are always bound (`$1`, `$2`…), never spliced into SQL text.
public protocol SQLConnection: Sendable {
    /// Runs one statement with bound parameters; rows come back as n8n gives them (column order
    /// kept; numeric and bigint as n8n's pg driver returns them).
    func query(_ sql: String, _ binds: [JSONValue]) async throws -> SQLResult
    /// Runs `body` inside BEGIN … COMMIT (ROLLBACK when it throws).
    func transaction<T: Sendable>(_ body: (any SQLConnection) async throws -> T) async throws -> T
}

/// The result of one statement.
public struct SQLResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [JSONObject]
    /// Rows affected for INSERT/UPDATE/DELETE (from the command tag), when known.
    public var affectedRows: Int?

    public init(columns: [String] = [], rows: [JSONObject] = [], affectedRows: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }
}
