import FlowrunCore
import FlowrunExpressions
import Foundation
import GRDB
import GRDBSQLite

// Large JSON columns (a node run or trigger input of 100s of MB) are streamed into SQLite instead
// of being bound as one string: the row is inserted with a `zeroblob(n)` of the text's measured
// length, then the text is written into it with SQLite's incremental blob I/O in 64 KB chunks from
// one buffer. Neither a whole-value `String` nor SQLite's bound copy of it (nor the record SQLite
// builds from that copy) exists at any time.
//
// A large trigger input is kept in its own table, `execution_inputs`, not in the execution's row:
// SQLite rewrites a whole row on every UPDATE (the status, last node and end of an execution), so a
// 200 MB input in that row was read and written again by each of them, and a zeroblob that is not a
// row's last column is built in memory.
//
// Such a column then holds a BLOB of the UTF-8 JSON text; smaller values (and every row written
// before) hold TEXT. Readers take both: SQLite hands out a BLOB's bytes and a TEXT's bytes alike
// (`sqlite3_column_blob`), and no SQL applies json_* functions to these columns.

/// A JSON column's value, prepared before the write: the text itself, or the measured length of a
/// text to stream in.
enum JSONColumn: Sendable {
    case text(String)
    case streamed(value: any JSONWritable & Sendable, byteCount: Int)

    /// Text at least this long is streamed.
    static let streamingThreshold = 1 << 20

    /// Text built ahead of one write, at most: beyond it values are streamed, so a write of many
    /// medium-sized runs does not hold all their texts at once.
    static let preparedBudget = 8 << 20

    /// Measures `value`; builds the text when it is short.
    init(_ value: any JSONWritable & Sendable) {
        self.init(value, budget: Self.streamingThreshold)
    }

    private init(_ value: any JSONWritable & Sendable, budget: Int) {
        let count = value.jsonByteCount()
        self = count < min(budget, Self.streamingThreshold) ? .text(value.jsonString(byteCount: count)) : .streamed(value: value, byteCount: count)
    }

    /// Each value measured, and built as text while the texts built stay within `preparedBudget`.
    static func prepare(_ values: [any JSONWritable & Sendable]) -> [JSONColumn] {
        var budget = preparedBudget
        return values.map { value in
            let column = JSONColumn(value, budget: budget)
            if case .text(let text) = column { budget -= text.utf8.count }
            return column
        }
    }

    /// The SQL for the column's value in an INSERT: a parameter, or a zero-filled blob of the length.
    var placeholder: String {
        switch self {
        case .text: "?"
        case .streamed: "zeroblob(?)"
        }
    }

    /// The text when it is kept in the row itself (not streamed).
    var inlineText: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The parameter `placeholder` takes.
    var argument: any DatabaseValueConvertible {
        switch self {
        case .text(let text): text
        case .streamed(_, let count): count
        }
    }

    /// After the INSERT: writes a streamed value's text into the row's zero-filled blob.
    func fill(table: String, column: String, rowID: Int64, _ db: Database) throws {
        guard case .streamed(let value, let count) = self else { return }
        try SQLiteBlobWriter.write(value, byteCount: count, table: table, column: column, rowID: rowID, db)
    }
}

/// Writes JSON text into an existing blob with `sqlite3_blob_write`.
enum SQLiteBlobWriter {
    static let chunkSize = 1 << 16

    /// Writes `value`'s text (exactly `byteCount` bytes, the blob's length) into `table.column` of
    /// row `rowID`, inside the caller's transaction.
    ///
    /// - Throws: `StoreError(.unavailable)` when SQLite refuses the blob or a write, or when the
    ///   text's length differs from `byteCount`; the caller's savepoint then rolls the row back.
    static func write(_ value: some JSONWritable, byteCount: Int, table: String, column: String, rowID: Int64, _ db: Database) throws {
        guard let connection = db.sqliteConnection else {
            throw StoreError(.unavailable, "sqlite: writing \(table).\(column): the connection is closed")
        }
        var blob: OpaquePointer?
        let opened = sqlite3_blob_open(connection, "main", table, column, rowID, 1, &blob)
        guard opened == SQLITE_OK, let blob else {
            let reason = String(cString: sqlite3_errmsg(connection))
            sqlite3_blob_close(blob)
            throw StoreError(.unavailable, "sqlite: writing \(table).\(column) of row \(rowID): cannot open the blob: \(reason) (code \(opened))")
        }
        defer { sqlite3_blob_close(blob) }
        guard Int(sqlite3_blob_bytes(blob)) == byteCount else {
            throw StoreError(.unavailable, "sqlite: writing \(table).\(column) of row \(rowID): the blob holds \(sqlite3_blob_bytes(blob)) bytes, not the \(byteCount) measured")
        }
        var offset = 0
        let written = try value.streamJSON(chunkSize: chunkSize) { chunk in
            guard offset + chunk.count <= byteCount else {
                throw StoreError(.unavailable, "sqlite: writing \(table).\(column) of row \(rowID): the JSON text is longer than the \(byteCount) bytes measured")
            }
            let code = sqlite3_blob_write(blob, chunk.baseAddress, Int32(chunk.count), Int32(offset))
            guard code == SQLITE_OK else {
                throw StoreError(.unavailable, "sqlite: writing \(table).\(column) of row \(rowID) at byte \(offset): \(String(cString: sqlite3_errmsg(connection))) (code \(code))")
            }
            offset += chunk.count
        }
        guard written == byteCount else {
            throw StoreError(.unavailable, "sqlite: writing \(table).\(column) of row \(rowID): the JSON text has \(written) bytes, not the \(byteCount) measured")
        }
    }
}

extension SQLiteStateStore {
    /// A JSON column read back from its bytes (TEXT or BLOB) without copying them.
    static func json(bytes data: Data?, _ what: String) throws -> JSONValue? {
        guard let data else { return nil }
        do {
            return try data.withUnsafeBytes { try JSONValue(parsing: $0) }
        } catch {
            throw StoreError(.corrupt, "sqlite: \(what) is not JSON: \(error)")
        }
    }
}

extension SQLiteStateStore {
    /// Large trigger inputs, one row per execution, deleted with it.
    static func createExecutionInputsTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE execution_inputs (
                execution_id TEXT PRIMARY KEY NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
                data TEXT NOT NULL
            )
            """)
    }

    /// The SQL for an execution's trigger input, wherever it is kept (in a SELECT from `executions`).
    static let largeInputColumn = "COALESCE(trigger_input, (SELECT data FROM execution_inputs WHERE execution_id = executions.id))"

    /// Writes a streamed trigger input into `execution_inputs` (a short one is in the execution's row).
    static func insertInput(_ input: JSONColumn, executionID: String, _ db: Database) throws {
        guard case .streamed = input else { return }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO execution_inputs (execution_id, data) VALUES (?, \(input.placeholder))")
            .execute(arguments: [executionID, input.argument])
        try input.fill(table: "execution_inputs", column: "data", rowID: db.lastInsertedRowID, db)
    }
}
