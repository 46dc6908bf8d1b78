import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import Foundation
import Testing

/// Injection attempts through every operation, and failures as the node reports them.
@Suite("Postgres node: injection and failures")
struct PostgresNodeFailureTests {
    static let evil = "x'); DROP TABLE victims; --"

    static func tableStillThere(_ pool: PostgresPool, _ schema: String) async throws -> Int {
        let r = try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \"\(schema)\".victims")
        return Int(r.rows.first?["n"]?.numberValue ?? -1)
    }

    @Test("values, column names and table names never become SQL")
    func injection() async throws {
        try await PostgresTest.withSchema { pool, schema in
            _ = try await PostgresTest.sql(pool, "CREATE TABLE \"\(schema)\".victims (id int PRIMARY KEY, name text)")
            let rl = PostgresTest.locator
            let evilColumn = "name\" = 'x'; DROP TABLE victims; --"
            let evilTable = "victims\"; DROP TABLE victims; --"
            // insert: value and column name.
            let insert = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("victims"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null],
            ], input: [["id": 1, "name": .string(Self.evil)]], pool: pool)
            #expect(PostgresTest.json(insert) == [["id": 1, "name": .string(Self.evil)]])
            let badColumn = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("victims"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null],
            ], input: [["id": 2, evilColumn: "v"]], pool: pool)
            #expect(PostgresTest.error(badColumn) != nil)
            // table name through every operation.
            for operation in ["insert", "update", "upsert", "select", "deleteTable"] {
                let r = try await PostgresTest.run([
                    "operation": .string(operation), "schema": rl(schema), "table": rl(evilTable), "deleteCommand": "drop",
                    "columns": ["mappingMode": "autoMapInputData", "value": .null, "matchingColumns": ["id"]],
                ], input: [["id": 1, "name": "n"]], pool: pool)
                if operation != "deleteTable" { #expect(PostgresTest.error(r) != nil, "operation \(operation)") }
                #expect(try await Self.tableStillThere(pool, schema) == 1, "operation \(operation)")
            }
            // update / upsert: values and match values.
            for operation in ["update", "upsert"] {
                let r = try await PostgresTest.run([
                    "operation": .string(operation), "schema": rl(schema), "table": rl("victims"),
                    "columns": ["mappingMode": "autoMapInputData", "value": .null, "matchingColumns": ["id"]],
                ], input: [["id": 1, "name": .string(Self.evil + operation)]], pool: pool)
                #expect(PostgresTest.json(r).first?["name"] == .string(Self.evil + operation))
            }
            // select / delete: where values and column names, sort column.
            let select = try await PostgresTest.run([
                "operation": "select", "schema": rl(schema), "table": rl("victims"),
                "where": ["values": [["column": "name", "condition": "equal", "value": .string(Self.evil)]]],
                "sort": ["values": [["column": .string(evilColumn), "direction": "ASC"]]],
            ], pool: pool)
            #expect(PostgresTest.error(select)?.message.contains("does not exist") == true)
            let badCondition = try await PostgresTest.run([
                "operation": "select", "schema": rl(schema), "table": rl("victims"),
                "where": ["values": [["column": "id", "condition": "= 1; DROP TABLE victims; --", "value": "1"]]],
            ], pool: pool)
            #expect(PostgresTest.error(badCondition) != nil)
            let delete = try await PostgresTest.run([
                "operation": "deleteTable", "schema": rl(schema), "table": rl("victims"), "deleteCommand": "delete",
                "where": ["values": [["column": "name", "condition": "equal", "value": "' OR '1'='1"]]],
            ], pool: pool)
            #expect(PostgresTest.error(delete) == nil)
            // executeQuery: query parameters.
            let query = try await PostgresTest.run([
                "operation": "executeQuery", "query": .string("SELECT $1::text AS v FROM \"\(schema)\".victims"),
                "options": ["queryReplacement": "={{ $json.v }}"],
            ], input: [["v": .string("'; DROP TABLE victims; --")]], pool: pool)
            #expect(PostgresTest.json(query) == [["v": "'; DROP TABLE victims; --"]])
            #expect(try await Self.tableStillThere(pool, schema) == 1)
        }
    }

    @Test("malformed SQL names the node; server down, wrong password and timeouts fail with reasons")
    func failures() async throws {
        try await PostgresTest.withSchema { pool, _ in
            let syntax = try await PostgresTest.run(["operation": "executeQuery", "query": "SELECT 1;\nSELEKT oops"], pool: pool)
            let error = try #require(PostgresTest.error(syntax))
            #expect(error.node == "Postgres")
            #expect(error.message == "Syntax error at line 2 near \"SELEKT\"")
            #expect(error.extra["sqlState"] == "42601")
            var credential = PostgresTest.credential(try PostgresTest.settings())
            credential["port"] = 1
            let down = try await PostgresTest.run(["operation": "executeQuery", "query": "SELECT 1"], pool: pool, credential: credential)
            #expect(PostgresTest.error(down)?.message == "Connection refused")
            credential = PostgresTest.credential(try PostgresTest.settings())
            credential["password"] = "wrong-pw-0815"
            let auth = try await PostgresTest.run(["operation": "executeQuery", "query": "SELECT 1"], pool: pool, credential: credential)
            let authError = try #require(PostgresTest.error(auth))
            #expect(authError.code == .credentials && authError.message.contains("password authentication failed"))
            #expect(!"\(authError) \(authError.detail ?? "")".contains("0815"))
            let timeout = try await PostgresTest.run([
                "operation": "executeQuery", "query": "SET LOCAL statement_timeout = 100; SELECT pg_sleep(5)",
                "options": ["queryBatching": "transaction"],
            ], pool: pool)
            #expect(PostgresTest.error(timeout)?.message.contains("statement timeout") == true)
            #expect(PostgresTest.error(timeout)?.extra["sqlState"] == "57014")
            let missingParameter = try await PostgresTest.run(["operation": "executeQuery", "query": "SELECT $1::int"], pool: pool)
            #expect(PostgresTest.error(missingParameter)?.message.contains("$1") == true)
        }
    }
}
