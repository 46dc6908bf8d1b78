import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import Foundation
import Testing

/// The Postgres node end to end (engine → node → PostgresPool → the test server).
@Suite("Postgres node operations")
struct PostgresNodeTests {
    static func createTable(_ pool: PostgresPool, _ schema: String) async throws {
        _ = try await PostgresTest.sql(pool, """
            CREATE TABLE "\(schema)"."people" (id int PRIMARY KEY, name text, score numeric, big bigint, tags text[],
              doc jsonb, born date)
            """)
    }

    @Test("insert (resource mapper and auto-map), select with where/sort/limit, update, upsert")
    func crud() async throws {
        try await PostgresTest.withSchema { pool, schema in
            try await Self.createTable(pool, schema)
            let rl = PostgresTest.locator
            // v2.5 defineBelow with expressions in columns.value.
            let inserted = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "defineBelow", "value": ["id": "={{ $json.n }}", "name": "={{ $json.who }}", "score": 1.5],
                            "matchingColumns": [], "schema": []],
            ], input: [["n": 1, "who": "Ada"], ["n": 2, "who": "Bob"]], pool: pool)
            #expect(PostgresTest.error(inserted) == nil)
            let rows = PostgresTest.output(inserted)
            #expect(rows.map(\.json["name"]) == ["Ada", "Bob"])
            #expect(rows.first?.json["score"] == "1.5" && rows.first?.json["big"] == .null)
            #expect(rows.map { $0.pairedItem?.first?.item } == [0, 1])
            // v2.1 auto-map with outputColumns and json/array columns.
            let auto = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("people"), "dataMode": "autoMapInputData",
                "options": ["outputColumns": ["id", "doc"]],
            ], version: 2.1, input: [["id": 3, "name": "Cy", "big": "9007199254740993", "tags": ["a", "b"], "doc": ["k": [1]]]], pool: pool)
            #expect(PostgresTest.json(auto) == [["id": 3, "doc": ["k": [1]]]])
            // select: where, sort, limit; returnAll.
            let selected = try await PostgresTest.run([
                "operation": "select", "schema": rl(schema), "table": rl("people"), "limit": 2,
                "where": ["values": [["column": "id", "condition": ">=", "value": "1"]]],
                "sort": ["values": [["column": "id", "direction": "DESC"]]],
                "options": ["outputColumns": ["id", "big"]],
            ], pool: pool)
            #expect(PostgresTest.json(selected) == [["id": 3, "big": "9007199254740993"], ["id": 2, "big": .null]])
            let numbers = try await PostgresTest.run([
                "operation": "select", "schema": rl(schema), "table": rl("people"), "returnAll": true,
                "where": ["values": [["column": "tags", "condition": "IS NOT NULL"]]],
                "options": ["largeNumbersOutput": "numbers"],
            ], pool: pool)
            #expect(PostgresTest.json(numbers).first?["big"] == 9007199254740992)
            #expect(PostgresTest.json(numbers).first?["tags"] == ["a", "b"])
            let none = try await PostgresTest.run([
                "operation": "select", "schema": rl(schema), "table": rl("people"),
                "where": ["values": [["column": "name", "condition": "equal", "value": "nobody"]]],
            ], pool: pool)
            #expect(PostgresTest.output(none).isEmpty && PostgresTest.error(none) == nil)
            // update v2.5 by matching column; a missing row fails.
            let updated = try await PostgresTest.run([
                "operation": "update", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null, "matchingColumns": ["id"]],
            ], input: [["id": 2, "name": "Bobby"]], pool: pool)
            #expect(PostgresTest.json(updated).first?["name"] == "Bobby")
            let missing = try await PostgresTest.run([
                "operation": "update", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null, "matchingColumns": ["id"]],
            ], input: [["id": 99, "name": "x"]], pool: pool)
            #expect(PostgresTest.error(missing)?.message == "The row you are trying to update doesn't exist")
            #expect(PostgresTest.error(missing)?.node == "Postgres")
            // v2.1 update with columnToMatchOn.
            let legacyUpdate = try await PostgresTest.run([
                "operation": "update", "schema": rl(schema), "table": rl("people"), "dataMode": "defineBelow",
                "columnToMatchOn": "id", "valueToMatchOn": "1", "valuesToSend": ["values": [["column": "name", "value": "Ada L."]]],
            ], version: 2.1, pool: pool)
            #expect(PostgresTest.json(legacyUpdate).first?["name"] == "Ada L.")
            // upsert: one update, one insert.
            let upserted = try await PostgresTest.run([
                "operation": "upsert", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null, "matchingColumns": ["id"]],
            ], input: [["id": 1, "name": "Ada U."], ["id": 4, "name": "Dee"]], pool: pool)
            #expect(PostgresTest.json(upserted).map { $0["name"] } == ["Ada U.", "Dee"])
            let count = try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \"\(schema)\".people")
            #expect(count.rows.first?["n"] == 4)
            // insert of a column the table does not have fails before any SQL runs.
            let badColumn = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null],
            ], input: [["id": 5, "nope": 1]], pool: pool)
            #expect(PostgresTest.error(badColumn)?.message == "Column 'nope' does not exist in selected table")
            // skipOnConflict.
            let skipped = try await PostgresTest.run([
                "operation": "insert", "schema": rl(schema), "table": rl("people"),
                "columns": ["mappingMode": "autoMapInputData", "value": .null], "options": ["skipOnConflict": true],
            ], input: [["id": 1, "name": "dup"]], pool: pool)
            #expect(PostgresTest.json(skipped) == [["success": true]])
        }
    }

    @Test("executeQuery: $n with queryReplacement, several statements, output shapes per version")
    func executeQuery() async throws {
        try await PostgresTest.withSchema { pool, schema in
            try await Self.createTable(pool, schema)
            let t = "\"\(schema)\".people"
            let insert = try await PostgresTest.run([
                "operation": "executeQuery",
                "query": .string("INSERT INTO \(t)(id, name) VALUES ($1, $2) RETURNING id, name"),
                "options": ["queryReplacement": "={{ $json.id }}, {{ $json.name }}"],
            ], input: [["id": 1, "name": "a, with comma"], ["id": 2, "name": "b"]], pool: pool)
            #expect(PostgresTest.json(insert) == [["id": 1, "name": "a, with comma"], ["id": 2, "name": "b"]])
            let array = try await PostgresTest.run([
                "operation": "executeQuery", "query": .string("SELECT name FROM \(t) WHERE id = ANY($1::int[]) ORDER BY id"),
                "options": ["queryReplacement": "={{ [[1, 2]] }}"],
            ], pool: pool)
            #expect(PostgresTest.json(array) == [["name": "a, with comma"], ["name": "b"]])
            let multi = try await PostgresTest.run([
                "operation": "executeQuery",
                "query": .string("UPDATE \(t) SET name = 'x;y' WHERE id = $2; -- comment; here\nSELECT name FROM \(t) WHERE id = $2;"),
                "options": ["queryReplacement": "unused, 2"],
            ], pool: pool)
            #expect(PostgresTest.json(multi) == [["name": "x;y"]])
            let noRows = "UPDATE \(t) SET name = name WHERE id = -1"
            let v25 = try await PostgresTest.run(["operation": "executeQuery", "query": .string(noRows)], pool: pool)
            #expect(PostgresTest.json(v25) == [["success": true]])
            let emptySelect = "SELECT * FROM \(t) WHERE id = -1"
            let v25select = try await PostgresTest.run(["operation": "executeQuery", "query": .string(emptySelect)], pool: pool)
            #expect(PostgresTest.output(v25select).isEmpty && PostgresTest.error(v25select) == nil)
            let v22select = try await PostgresTest.run(["operation": "executeQuery", "query": .string(emptySelect)], version: 2.2, pool: pool)
            #expect(PostgresTest.json(v22select) == [["success": true]])
        }
    }

    @Test("queryBatching transaction rolls back; independently continues on fail; single is one unit")
    func batching() async throws {
        try await PostgresTest.withSchema { pool, schema in
            try await Self.createTable(pool, schema)
            let t = "\"\(schema)\".people"
            let query: JSONValue = .string("INSERT INTO \(t)(id) VALUES ($1::int)")
            let input: [JSONObject] = [["id": 1], ["id": 1], ["id": 2]]
            for batching in ["transaction", "single"] {
                let r = try await PostgresTest.run([
                    "operation": "executeQuery", "query": query,
                    "options": ["queryBatching": .string(batching), "queryReplacement": "={{ $json.id }}"],
                ], input: input, pool: pool)
                #expect(PostgresTest.error(r)?.message.contains("duplicate key") == true, "\(String(describing: PostgresTest.error(r)))")
                #expect(try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \(t)").rows.first?["n"] == 0)
            }
            let independent = try await PostgresTest.run([
                "operation": "executeQuery", "query": query,
                "options": ["queryBatching": "independently", "queryReplacement": "={{ $json.id }}"],
            ], input: input, pool: pool, continueOnFail: true)
            let out = PostgresTest.output(independent)
            #expect(out.count == 3)
            #expect(out[1].json["message"]?.stringValue?.contains("duplicate key") == true && out[1].json["item"] == ["id": 1])
            #expect(out[1].pairedItem?.first?.item == 1)
            #expect(try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \(t)").rows.first?["n"] == 2)
        }
    }

    @Test("deleteTable: delete with where, truncate, drop")
    func deleteTable() async throws {
        try await PostgresTest.withSchema { pool, schema in
            try await Self.createTable(pool, schema)
            let rl = PostgresTest.locator
            _ = try await PostgresTest.sql(pool, "INSERT INTO \"\(schema)\".people(id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
            let deleted = try await PostgresTest.run([
                "operation": "deleteTable", "schema": rl(schema), "table": rl("people"), "deleteCommand": "delete",
                "where": ["values": [["column": "id", "condition": "<=", "value": 2]]],
            ], pool: pool)
            #expect(PostgresTest.json(deleted) == [["success": true]])
            #expect(try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \"\(schema)\".people").rows.first?["n"] == 1)
            _ = try await PostgresTest.run(["operation": "deleteTable", "schema": rl(schema), "table": rl("people"),
                                            "restartSequences": true], pool: pool)
            #expect(try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \"\(schema)\".people").rows.first?["n"] == 0)
            _ = try await PostgresTest.run(["operation": "deleteTable", "schema": rl(schema), "table": rl("people"),
                                            "deleteCommand": "drop"], pool: pool)
            let exists = try await PostgresTest.sql(pool, "SELECT to_regclass($1) IS NOT NULL AS e", [.string("\(schema).people")])
            #expect(exists.rows.first?["e"] == false)
        }
    }
}
