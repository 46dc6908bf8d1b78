public import FlowrunCore
public import FlowrunExpressions
import Foundation
public import Logging
public import PostgresNIO

/// One leased PostgresNIO connection as Core's `SQLConnection`: every value is bound (`$1`…, sent
/// as text with an unspecified type so the server infers it from the statement), never spliced;
/// rows come back as n8n's pg driver returns them (`PostgresValueDecoding`).
///
/// One statement per call (the extended protocol); the Postgres node splits multi-statement
/// queries itself.
public struct PostgresSQLConnection: SQLConnection {
    public let connection: PostgresConnection
    public let settings: PostgresConnectionSettings
    public let logger: Logger
    /// int8 and numeric as JSON numbers (n8n's `largeNumbersOutput: numbers`).
    public var largeNumbersAsNumbers: Bool
    let inTransaction: Bool

    public init(connection: PostgresConnection, settings: PostgresConnectionSettings, logger: Logger,
                largeNumbersAsNumbers: Bool = false) {
        self.init(connection: connection, settings: settings, logger: logger, largeNumbersAsNumbers: largeNumbersAsNumbers,
                  inTransaction: false)
    }

    init(connection: PostgresConnection, settings: PostgresConnectionSettings, logger: Logger,
         largeNumbersAsNumbers: Bool, inTransaction: Bool) {
        self.connection = connection
        self.settings = settings
        self.logger = logger
        self.largeNumbersAsNumbers = largeNumbersAsNumbers
        self.inTransaction = inTransaction
    }

    public func query(_ sql: String, _ binds: [JSONValue]) async throws -> SQLResult {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            if let text = Self.bindText(value) {
                bindings.append(UntypedText(text: text))
            } else {
                bindings.appendNull()
            }
        }
        let result: PostgresQueryResult
        do {
            result = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).get()
        } catch {
            throw PostgresBackendError.from(error, settings: settings)
        }
        var columns: [String] = []
        var rows: [JSONObject] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var object = JSONObject()
            for cell in row {
                object[cell.columnName] = PostgresValueDecoding.json(cell, largeNumbersAsNumbers: largeNumbersAsNumbers)
            }
            if columns.isEmpty { columns = row.map(\.columnName) }
            rows.append(object)
        }
        return SQLResult(columns: columns, rows: rows, affectedRows: result.metadata.rows)
    }

    public func transaction<T: Sendable>(_ body: (any SQLConnection) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        let inner = PostgresSQLConnection(connection: connection, settings: settings, logger: logger,
                                          largeNumbersAsNumbers: largeNumbersAsNumbers, inTransaction: true)
        _ = try await query("BEGIN", [])
        let value: T
        do {
            value = try await body(inner)
        } catch {
            _ = try? await query("ROLLBACK", [])
            throw error
        }
        _ = try await query("COMMIT", [])
        return value
    }

    /// The text a JSON value is bound as (nil: SQL NULL): strings as is, numbers as JavaScript
    /// prints them, booleans `true`/`false`, objects as JSON, arrays as Postgres array literals.
    public static func bindText(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        case .number(let n): return JSNumberFormatting.string(n)
        case .bool(let b): return b ? "true" : "false"
        case .object: return value.jsonString()
        case .array(let elements): return arrayLiteral(elements)
        }
    }

    static func arrayLiteral(_ elements: [JSONValue]) -> String {
        "{" + elements.map { element -> String in
            switch element {
            case .null: return "NULL"
            case .array(let inner): return arrayLiteral(inner)
            default:
                let text = bindText(element) ?? ""
                return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }
        }.joined(separator: ",") + "}"
    }
}

/// A bound value in text format with no declared type (OID 0): Postgres infers its type from the
/// statement, as it does for a quoted literal.
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String
    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }
    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}
