import FlowrunCore
import FlowrunExpressions
import FlowrunPostgres
import Foundation
import Testing

/// PostgresPool / PostgresSQLConnection against the real test server.
@Suite("Postgres pool and connection")
struct PostgresConnectionTests {
    @Test("settings from a URL and from n8n's credential; no password in descriptions")
    func settings() throws {
        let s = try PostgresConnectionSettings(url: "postgres://u%40x:p%3Ass@db.example:6543/app?sslmode=require")
        #expect(s.user == "u@x" && s.password == "p:ss" && s.host == "db.example" && s.port == 6543 && s.database == "app")
        #expect(s.ssl == .require)
        #expect(!s.description.contains("p:ss"))
        let c = try PostgresConnectionSettings(credential: ResolvedCredential(type: "postgres", data: ["password": "secret"]))
        #expect(c.host == "localhost" && c.port == 5432 && c.database == "postgres" && c.user == "postgres" && c.ssl == .disable)
        #expect(throws: PostgresBackendError.self) {
            try PostgresConnectionSettings(credential: ResolvedCredential(type: "postgres", data: ["port": "x"]))
        }
        #expect(throws: PostgresBackendError.self) { try PostgresConnectionSettings(url: "mysql://x") }
    }

    @Test("rows convert as n8n's pg driver returns them")
    func conversions() async throws {
        try await PostgresTest.withSchema { pool, _ in
            let r = try await PostgresTest.sql(pool, """
                SELECT 1::int2 AS a, 2::int4 AS b, 9007199254740993::int8 AS c, 1.5::float8 AS d, 0.25::float4 AS e,
                  12.50::numeric AS f, -0.000123::numeric AS g, true AS h, '{"x":[1,"y"]}'::json AS i, '{"z":null}'::jsonb AS j,
                  timestamptz '2024-01-02 03:04:05.678+00' AS k, timestamp '2024-01-02 03:04:05' AS l, date '2024-02-29' AS m,
                  '\\x0102ff'::bytea AS n, ARRAY[1,2]::int4[] AS o, ARRAY['a',NULL]::text[] AS p, NULL::text AS q,
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS r, 'héllo'::varchar AS s, ARRAY[[1,2],[3,4]]::int8[] AS t,
                  '12:30:00'::time AS u, 123456789012.345::numeric AS v
                """)
            let row = try #require(r.rows.first)
            #expect(r.columns.first == "a" && r.columns.last == "v")
            #expect(row["a"] == 1 && row["b"] == 2 && row["c"] == "9007199254740993" && row["d"] == 1.5 && row["e"] == 0.25)
            #expect(row["f"] == "12.50" && row["g"] == "-0.000123" && row["h"] == true && row["v"] == "123456789012.345")
            #expect(row["i"] == ["x": [1, "y"]] && row["j"] == ["z": .null])
            #expect(row["k"] == "2024-01-02T03:04:05.678Z" && row["l"] == "2024-01-02T03:04:05.000Z" && row["m"] == "2024-02-29T00:00:00.000Z")
            #expect(row["n"] == ["type": "Buffer", "data": [1, 2, 255]])
            #expect(row["o"] == [1, 2] && row["p"] == ["a", .null] && row["q"] == .null)
            #expect(row["r"] == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" && row["s"] == "héllo")
            #expect(row["t"] == [["1", "2"], ["3", "4"]] && row["u"] == "12:30:00")
        }
    }

    @Test("values are bound, affected rows come from the command tag, transactions roll back")
    func bindsAndTransactions() async throws {
        try await PostgresTest.withSchema { pool, schema in
            let t = "\"\(schema)\".\"t\""
            _ = try await PostgresTest.sql(pool, "CREATE TABLE \(t) (id int PRIMARY KEY, name text, tags text[], doc jsonb)")
            let evil = "x'); DROP TABLE \(t); --"
            let insert = try await PostgresTest.sql(pool, "INSERT INTO \(t) VALUES ($1, $2, $3, $4), ($5, $2, NULL, NULL)",
                                                    [1, .string(evil), ["a", "b,c", "\"q\""], ["k": [1, true]], 2])
            #expect(insert.affectedRows == 2 && insert.rows.isEmpty)
            let back = try await PostgresTest.sql(pool, "SELECT name, tags, doc FROM \(t) WHERE id = $1", ["1"])
            #expect(back.rows == [["name": .string(evil), "tags": ["a", "b,c", "\"q\""], "doc": ["k": [1, true]]]])
            let update = try await PostgresTest.sql(pool, "UPDATE \(t) SET name = $1", [.null])
            #expect(update.affectedRows == 2)
            let settings = try PostgresTest.settings()
            await #expect(throws: PostgresBackendError.self) {
                try await pool.withConnection(settings) { c in
                    try await c.transaction { tx in
                        _ = try await tx.query("DELETE FROM \(t)", [])
                        _ = try await tx.query("SELECT 1/0", [])
                    }
                }
            }
            #expect(try await PostgresTest.sql(pool, "SELECT count(*)::int AS n FROM \(t)").rows.first?["n"] == 2)
            let numbers = try await pool.withConnection(settings, largeNumbersAsNumbers: true) {
                try await $0.query("SELECT 5::int8 AS a, 1.25::numeric AS b", [])
            }
            #expect(numbers.rows.first == ["a": 5, "b": 1.25])
        }
    }

    @Test("server down, wrong password, statement timeout: classified errors without the password")
    func failures() async throws {
        try await PostgresPool.with(logger: PostgresTest.logger) { pool in
            var down = try PostgresTest.settings()
            down.port = 1 // nothing listens on port 1 of loopback
            let refused = await #expect(throws: PostgresBackendError.self) {
                try await pool.withConnection(down) { try await $0.query("SELECT 1", []) }
            }
            #expect(refused?.kind == .connection)
            #expect(refused?.retryDisposition == .retryable(after: nil))
            var wrong = try PostgresTest.settings()
            wrong.password = "not-the-password-4711"
            let auth = await #expect(throws: PostgresBackendError.self) {
                try await pool.withConnection(wrong) { try await $0.query("SELECT 1", []) }
            }
            #expect(auth?.kind == .authentication && auth?.sqlState == "28P01")
            #expect(auth?.retryDisposition == .permanent)
            #expect(auth.map { !"\($0)".contains("4711") && !$0.message.contains("4711") } == true)
            let settings = try PostgresTest.settings()
            let timeout = await #expect(throws: PostgresBackendError.self) {
                try await pool.withConnection(settings) { c in
                    try await c.transaction { tx in
                        _ = try await tx.query("SET LOCAL statement_timeout = 100", [])
                        return try await tx.query("SELECT pg_sleep(5)", [])
                    }
                }
            }
            #expect(timeout?.sqlState == "57014" && timeout?.retryDisposition == .retryable(after: nil))
            #expect(timeout?.retryCategory == .timeout)
            let syntax = await #expect(throws: PostgresBackendError.self) {
                try await pool.withConnection(settings) { try await $0.query("SELEC 1", []) }
            }
            #expect(syntax?.sqlState == "42601" && syntax?.retryDisposition == .permanent)
            // The pool still works afterwards.
            #expect(try await pool.withConnection(settings) { try await $0.query("SELECT 1 AS one", []) }.rows == [["one": 1]])
        }
    }

    @Test("a connection terminated mid-query fails retryably, and the pool recovers")
    func terminatedMidQuery() async throws {
        let settings = try PostgresTest.settings()
        let admin = try PostgresConnectionSettings(url: PostgresTest.adminURL)
        try await PostgresPool.with(logger: PostgresTest.logger) { pool in
            let (pids, continuation) = AsyncStream.makeStream(of: Int.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: PostgresBackendError.self) {
                        try await pool.withConnection(settings) { c in
                            let pid = try await c.query("SELECT pg_backend_pid()::int AS pid", []).rows.first?["pid"]?.numberValue ?? 0
                            continuation.yield(Int(pid))
                            return try await c.query("SELECT pg_sleep(10)", [])
                        }
                    }
                    #expect(error?.retryDisposition == .retryable(after: nil))
                    continuation.finish()
                }
                group.addTask {
                    var iterator = pids.makeAsyncIterator()
                    let pid = try #require(await iterator.next())
                    try await Task.sleep(for: .milliseconds(200))
                    let killed = try await pool.withConnection(admin) {
                        try await $0.query("SELECT pg_terminate_backend($1) AS ok", [.number(Double(pid))])
                    }
                    #expect(killed.rows.first?["ok"] == true)
                }
                try await group.waitForAll()
            }
            #expect(try await pool.withConnection(settings) { try await $0.query("SELECT 2 AS two", []) }.rows == [["two": 2]])
        }
    }
}
