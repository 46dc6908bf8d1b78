import FlowrunCore
import FlowrunExpressions

extension PostgresNode {
    /// n8n's configureQueryRunner: runs the item queries with the chosen batching and turns rows
    /// into items (`pairedItem` = the query's index), `{success: true}` for statements without
    /// rows as the node version does it.
    func run(
        _ queries: [PostgresPreparedQuery], batching: String, items: [Item], connection: any SQLConnection,
        context: ExecutionContext
    ) async throws -> [Item] {
        let legacy = version < 2.3
        let emptyResult: [JSONObject] = operation == "select" ? [] : [["success": true]]
        switch batching {
        case "single":
            // pg-promise sends all statements as one simple query: one implicit transaction.
            var rowsPerStatement: [[JSONObject]] = []
            let body: (any SQLConnection) async throws -> Void = { conn in
                for (index, query) in queries.enumerated() {
                    do {
                        for statement in query.statements {
                            rowsPerStatement.append(try await Self.execute(statement, values: query.values, connection: conn).rows)
                        }
                    } catch {
                        throw PostgresRunFailure(underlying: error, queries: queries, itemIndex: index)
                    }
                }
            }
            let controlsTransactions = queries.contains { $0.statements.contains { Self.isTransactionControl($0.sql) } }
            do {
                if controlsTransactions || queries.count + queries.reduce(0, { $0 + $1.statements.count }) <= 2 {
                    try await body(connection)
                } else {
                    try await connection.transaction { try await body($0) }
                }
            } catch let failure as PostgresRunFailure {
                guard context.continueOnFail else { throw failure }
                let error = PostgresNodeError.make(failure, queries: queries, itemIndex: nil, context: context)
                return [Item(json: ["message": .string(error.message), "error": PostgresNodeError.errorObject(error)])]
            }
            var output: [Item] = []
            for (index, rows) in rowsPerStatement.enumerated() {
                let pairing = [PairedItem(item: min(index, max(items.count - 1, 0)))]
                output += rows.map { Item(json: $0, pairedItem: pairing) }
            }
            if output.isEmpty {
                let pairing = queries.indices.map { PairedItem(item: $0) }
                if legacy {
                    output = emptyResult.map { Item(json: $0, pairedItem: pairing) }
                } else if !queries.allSatisfy(\.isSelect) {
                    output = [Item(json: ["success": true], pairedItem: pairing)]
                }
            }
            return output
        case "transaction":
            var output: [Item] = []
            var failed = false
            do {
                try await connection.transaction { conn in
                    for (index, query) in queries.enumerated() {
                        do {
                            output += try await self.runOne(query, index: index, legacy: legacy, emptyResult: emptyResult, connection: conn)
                        } catch {
                            let failure = PostgresRunFailure(underlying: error, queries: queries, itemIndex: index)
                            guard context.continueOnFail else { throw failure }
                            output.append(Self.errorItem(failure, items: items, index: index, queries: queries, context: context))
                            failed = true
                            throw failure
                        }
                    }
                }
            } catch let failure as PostgresRunFailure where failed {
                _ = failure // rolled back; n8n returns the items so far and the error item
            }
            return output
        default: // independently
            var output: [Item] = []
            for (index, query) in queries.enumerated() {
                do {
                    output += try await runOne(query, index: index, legacy: legacy, emptyResult: emptyResult, connection: connection)
                } catch {
                    let failure = PostgresRunFailure(underlying: error, queries: queries, itemIndex: index)
                    guard context.continueOnFail else { throw failure }
                    output.append(Self.errorItem(failure, items: items, index: index, queries: queries, context: context))
                }
            }
            return output
        }
    }

    /// One item's query (transaction / independently): v < 2.3 the last statement's rows, else all.
    func runOne(
        _ query: PostgresPreparedQuery, index: Int, legacy: Bool, emptyResult: [JSONObject], connection: any SQLConnection
    ) async throws -> [Item] {
        var rows: [JSONObject] = []
        for statement in query.statements {
            let result = try await Self.execute(statement, values: query.values, connection: connection)
            rows = legacy ? result.rows : rows + result.rows
        }
        if rows.isEmpty {
            rows = legacy ? emptyResult : (query.isSelect ? [] : [["success": true]])
        }
        return rows.map { Item(json: $0, pairedItem: [PairedItem(item: index)]) }
    }

    /// Runs one statement with the values its placeholders name.
    static func execute(_ statement: PostgresSQLText.Statement, values: [JSONValue], connection: any SQLConnection) async throws -> SQLResult {
        var binds: [JSONValue] = []
        for number in statement.parameters {
            guard number >= 1, number <= values.count else {
                throw PostgresStatementError(message: "The query uses $\(number), but only \(values.count) query parameter\(values.count == 1 ? " is" : "s are") given")
            }
            binds.append(values[number - 1])
        }
        return try await connection.query(statement.sql, binds)
    }

    static func isTransactionControl(_ sql: String) -> Bool {
        ["begin", "commit", "rollback", "start", "end", "savepoint", "release", "vacuum"].contains(PostgresSQLText.firstWord(sql))
    }

    /// n8n's prepareErrorItem: `{message, item, error}` paired with the failed item.
    static func errorItem(
        _ failure: PostgresRunFailure, items: [Item], index: Int, queries: [PostgresPreparedQuery], context: ExecutionContext
    ) -> Item {
        let error = PostgresNodeError.make(failure, queries: queries, itemIndex: index, context: context)
        return Item(json: ["message": .string(error.message), "item": .object(index < items.count ? items[index].json : [:]),
                           "error": PostgresNodeError.errorObject(error)],
                    pairedItem: [PairedItem(item: index)])
    }
}

/// A statement failed: the backend's error (its retry classification kept) with the queries and
/// the failing item, converted to n8n's NodeError by `PostgresNodeError`.
struct PostgresRunFailure: Error, RetryClassifying {
    var underlying: any Error
    var queries: [PostgresPreparedQuery]
    var itemIndex: Int?

    var retryDisposition: RetryDisposition {
        (underlying as? any RetryClassifying)?.retryDisposition ?? .permanent
    }
}

/// A query that cannot be sent as written (placeholders without values).
struct PostgresStatementError: Error {
    var message: String
}
