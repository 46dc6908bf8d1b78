import FlowrunCore
import FlowrunExpressions

/// One item's query: its statements (placeholders renumbered per statement) and bound values.
struct PostgresPreparedQuery: Sendable {
    /// The query as written (for "Failed query" descriptions: placeholders, never values).
    var text: String
    var statements: [PostgresSQLText.Statement]
    var values: [JSONValue]
    /// update (v2.2+): `SELECT EXISTS(…)` for the matched row, run first (n8n's doesRowExist).
    var existsCheck: [PostgresPreparedQuery] = []

    /// A generated single statement whose placeholders are already `$1…$n`.
    init(generated sql: String, values: [JSONValue]) {
        text = sql
        statements = [PostgresSQLText.Statement(sql: sql, parameters: values.isEmpty ? [] : Array(1...values.count))]
        self.values = values
    }

    init(text: String, values: [JSONValue]) {
        self.text = text
        statements = PostgresSQLText.statements(text)
        self.values = values
    }

    var isSelect: Bool { PostgresSQLText.isSelect(statements) }
}

/// A column of the target table (information_schema.columns).
struct PostgresColumnInfo: Sendable {
    var name: String
    var dataType: String
    var nullable: Bool
}

/// Accumulates bound values and hands out their `$n` placeholders.
struct PostgresBinds {
    var values: [JSONValue] = []
    mutating func add(_ value: JSONValue) -> String {
        values.append(value)
        return "$\(values.count)"
    }
}

extension PostgresNode {
    func buildQueries(items: [Item], connection: any SQLConnection, context: ExecutionContext) async throws -> [PostgresPreparedQuery] {
        var schemas: [String: [PostgresColumnInfo]] = [:]
        func tableSchema(_ schema: String, _ table: String) async throws -> [PostgresColumnInfo] {
            let key = schema + "\u{0}" + table
            if let known = schemas[key] { return known }
            let result = try await connection.query(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                [.string(schema), .string(table)])
            let columns = result.rows.map {
                PostgresColumnInfo(name: $0["column_name"]?.stringValue ?? "", dataType: $0["data_type"]?.stringValue ?? "",
                                   nullable: $0["is_nullable"]?.stringValue == "YES")
            }
            schemas[key] = columns
            return columns
        }
        var queries: [PostgresPreparedQuery] = []
        for i in items.indices {
            do {
                switch operation {
                case "executeQuery":
                    let text = try query.value(for: i, in: context).map(JSONCoercion.string) ?? ""
                    queries.append(PostgresPreparedQuery(text: text, values: try queryReplacement.values(for: i, context: context)))
                case "insert", "update", "upsert":
                    let (schema, table) = try target(i, context: context)
                    let info = try await tableSchema(schema, table)
                    let prepared = try writeQuery(i, item: items[i], schema: schema, table: table, info: info, context: context)
                    if let check = prepared.existsCheck.first {
                        let result = try await connection.query(check.statements[0].sql, check.values)
                        if result.rows.first?["exists"] != .bool(true) {
                            throw NodeError(.operation, "The row you are trying to update doesn't exist",
                                            detail: "No rows matching the provided values were found in the table \"\(table)\".",
                                            node: context.nodeName, itemIndex: i)
                        }
                    }
                    queries.append(prepared)
                case "select":
                    queries.append(try selectQuery(i, context: context))
                case "deleteTable":
                    queries.append(try deleteQuery(i, context: context))
                default:
                    throw NodeError(.invalidParameter, "The operation \"\(operation)\" is not supported", node: context.nodeName,
                                    parameter: "operation")
                }
            }
        }
        return queries
    }

    /// The item's options (`outputColumns`, `skipOnConflict`, `cascade`…).
    func itemOptions(_ i: Int, context: ExecutionContext) throws -> JSONObject {
        try options.value(for: i, in: context)?.objectValue ?? [:]
    }

    func returning(_ i: Int, context: ExecutionContext) throws -> String {
        let columns = Self.stringList(try itemOptions(i, context: context)["outputColumns"]) ?? ["*"]
        if columns.isEmpty || columns.contains("*") { return " RETURNING *" }
        return " RETURNING " + PostgresSQLText.names(columns)
    }

    /// insert, update and upsert: the columns and values for item `i`, checked against the table.
    func writeQuery(
        _ i: Int, item: Item, schema: String, table: String, info: [PostgresColumnInfo], context: ExecutionContext
    ) throws -> PostgresPreparedQuery {
        var row = JSONObject()
        var matchColumns: [String] = []
        let mode: String
        if version < 2.2 {
            mode = try dataMode.value(for: i, in: context)
            if operation != "insert" { matchColumns = [try columnToMatchOn.value(for: i, in: context)] }
        } else {
            let mapping = try columns.value(for: i, in: context)?.objectValue ?? [:]
            mode = mapping["mappingMode"]?.stringValue ?? "defineBelow"
            matchColumns = Self.stringList(mapping["matchingColumns"]) ?? []
            if mode == "defineBelow" { row = mapping["value"]?.objectValue ?? [:] }
        }
        if mode == "autoMapInputData" {
            row = item.json
        } else if version < 2.2 {
            for entry in try valuesToSend.value(for: i, in: context)?.arrayValue ?? [] {
                guard let column = entry["column"].map(JSONCoercion.string) else { continue }
                row[column] = entry["value"] ?? .null
            }
            if operation != "insert", let column = matchColumns.first {
                row[column] = try valueToMatchOn.value(for: i, in: context) ?? .null
            }
        }
        let node = context.nodeName
        if operation == "update" && version < 2.2 && mode == "autoMapInputData" {
            if let column = matchColumns.first, row[column] == nil || Self.isFalsy(row[column]) {
                throw NodeError(.operation, "Column to match on not found in input item. Add a column to match on or set the 'Data Mode' to 'Define Below' to define the value to match on.",
                                node: node, itemIndex: i)
            }
        }
        if operation == "upsert" {
            guard let first = matchColumns.first, let value = row[first], !Self.isFalsy(value) else {
                throw NodeError(.operation, "Column to match on not found in input item. Add a column to match on or set the 'Data Mode' to 'Define Below' to define the value to match on.",
                                node: node, itemIndex: i)
            }
            if row.count == 1 {
                throw NodeError(.operation, "Add values to update or insert to the input item or set the 'Data Mode' to 'Define Below' to define the values to insert or update.",
                                node: node, itemIndex: i)
            }
        }
        // n8n's checkItemAgainstSchema: every written column must exist (and accept null).
        if !info.isEmpty {
            for (key, value) in row {
                guard let column = info.first(where: { $0.name == key }) else {
                    throw NodeError(.operation, "Column '\(key)' does not exist in selected table", node: node, itemIndex: i)
                }
                if value == .null && !column.nullable {
                    throw NodeError(.operation, "Column '\(key)' is not nullable", node: node, itemIndex: i)
                }
            }
        }
        func bindValue(_ column: String, _ value: JSONValue) -> JSONValue {
            guard let type = info.first(where: { $0.name == column })?.dataType else { return value }
            switch (type, value) {
            case ("json", .object), ("json", .array), ("jsonb", .object), ("jsonb", .array):
                return .string(value.jsonString())
            case ("ARRAY", .string(let s)) where s.hasPrefix("["):
                return (try? JSONValue(parsing: s)) ?? value
            default:
                return value
            }
        }
        let target = PostgresSQLText.qualified(schema, table)
        var binds = PostgresBinds()
        var sql: String
        var existsCheck: [PostgresPreparedQuery] = []
        switch operation {
        case "update":
            let updates = row.filter { !matchColumns.contains($0.key) }
            if updates.isEmpty {
                throw NodeError(.operation, "Add values to update to the input item or set the 'Data Mode' to 'Define Below' to define the values to update.",
                                node: node, itemIndex: i)
            }
            let set = updates.map { "\(PostgresSQLText.name($0.key)) = \(binds.add(bindValue($0.key, $0.value)))" }
            let conditions = matchColumns.map { "\(PostgresSQLText.name($0)) = \(binds.add(bindValue($0, row[$0] ?? .null)))" }
            sql = "UPDATE \(target) SET \(set.joined(separator: ", ")) WHERE \(conditions.joined(separator: " AND "))"
            if version >= 2.2 {
                var checkBinds = PostgresBinds()
                let where_ = matchColumns.map { "\(PostgresSQLText.name($0)) = \(checkBinds.add(bindValue($0, row[$0] ?? .null)))" }
                existsCheck = [PostgresPreparedQuery(
                    generated: "SELECT EXISTS(SELECT 1 FROM \(target) WHERE \(where_.joined(separator: " AND "))) AS \"exists\"",
                    values: checkBinds.values)]
            }
        default:
            if row.isEmpty {
                sql = "INSERT INTO \(target) DEFAULT VALUES"
            } else {
                let names = PostgresSQLText.names(Array(row.keys))
                let placeholders = row.map { binds.add(bindValue($0.key, $0.value)) }
                sql = "INSERT INTO \(target)(\(names)) VALUES(\(placeholders.joined(separator: ",")))"
            }
            if operation == "upsert" {
                sql += " ON CONFLICT (\(PostgresSQLText.names(matchColumns)))"
                let updates = row.filter { !matchColumns.contains($0.key) }
                sql += updates.isEmpty ? " DO NOTHING"
                    : " DO UPDATE SET " + updates.map { "\(PostgresSQLText.name($0.key)) = \(binds.add(bindValue($0.key, $0.value)))" }
                        .joined(separator: ", ")
            } else if try itemOptions(i, context: context)["skipOnConflict"]?.coercedBool == true {
                sql += " ON CONFLICT DO NOTHING"
            }
        }
        sql += try returning(i, context: context)
        var prepared = PostgresPreparedQuery(generated: sql, values: binds.values)
        prepared.existsCheck = existsCheck
        return prepared
    }

    func selectQuery(_ i: Int, context: ExecutionContext) throws -> PostgresPreparedQuery {
        let (schema, table) = try target(i, context: context)
        let outputColumns = Self.stringList(try itemOptions(i, context: context)["outputColumns"]) ?? []
        let list = outputColumns.isEmpty || outputColumns.contains("*") ? "*" : PostgresSQLText.names(outputColumns)
        var binds = PostgresBinds()
        var sql = "SELECT \(list) FROM \(PostgresSQLText.qualified(schema, table))"
        sql += try whereClause(i, binds: &binds, context: context)
        let rules = try sortValues.value(for: i, in: context)?.arrayValue ?? []
        if !rules.isEmpty {
            sql += " ORDER BY " + rules.map { rule in
                let column = rule["column"].map(JSONCoercion.string) ?? ""
                return PostgresSQLText.name(column) + (rule["direction"]?.stringValue == "DESC" ? " DESC" : " ASC")
            }.joined(separator: ", ")
        }
        if try !returnAll.value(for: i, in: context) {
            let n = try limit.value(for: i, in: context)
            guard n.isFinite, n >= 0 else {
                throw NodeError(.invalidParameter, "Limit must be a number of 0 or more", node: context.nodeName, parameter: "limit", itemIndex: i)
            }
            sql += " LIMIT \(Int(n))"
        }
        return PostgresPreparedQuery(generated: sql, values: binds.values)
    }

    func deleteQuery(_ i: Int, context: ExecutionContext) throws -> PostgresPreparedQuery {
        let (schema, table) = try target(i, context: context)
        let target = PostgresSQLText.qualified(schema, table)
        let cascade = try itemOptions(i, context: context)["cascade"]?.coercedBool == true ? " CASCADE" : ""
        var binds = PostgresBinds()
        switch try deleteCommand.value(for: i, in: context) {
        case "drop":
            return PostgresPreparedQuery(generated: "DROP TABLE IF EXISTS \(target)\(cascade)", values: [])
        case "delete":
            let sql = "DELETE FROM \(target)" + (try whereClause(i, binds: &binds, context: context))
            return PostgresPreparedQuery(generated: sql, values: binds.values)
        default:
            let identity = try restartSequences.value(for: i, in: context) ? " RESTART IDENTITY" : ""
            return PostgresPreparedQuery(generated: "TRUNCATE TABLE \(target)\(identity)\(cascade)", values: [])
        }
    }

    static let conditions: [String: String] = [
        "equal": "=", "=": "=", "!=": "!=", "LIKE": "LIKE", ">": ">", "<": "<", ">=": ">=", "<=": "<=",
        "IS NULL": "IS NULL", "IS NOT NULL": "IS NOT NULL",
    ]

    /// n8n's addWhereClauses: ` WHERE "col" op $n AND …` (numbers required for > < >= <=).
    func whereClause(_ i: Int, binds: inout PostgresBinds, context: ExecutionContext) throws -> String {
        let clauses = try whereValues.value(for: i, in: context)?.arrayValue ?? []
        if clauses.isEmpty { return "" }
        let combine = try combineConditions.value(for: i, in: context) == "OR" ? " OR " : " AND "
        var parts: [String] = []
        for (index, clause) in clauses.enumerated() {
            let raw = clause["condition"]?.stringValue ?? "equal"
            guard let op = Self.conditions[raw] else {
                throw NodeError(.invalidParameter, "Unknown condition \"\(raw)\" in entry \(index + 1) of 'Select Rows'",
                                node: context.nodeName, parameter: "where", itemIndex: i)
            }
            let column = PostgresSQLText.name(clause["column"].map(JSONCoercion.string) ?? "")
            var value = clause["value"] ?? .string("")
            if [">", "<", ">=", "<="].contains(op) {
                guard let n = Self.number(value) else {
                    throw NodeError(.operation, "Operator in entry \(index + 1) of 'Select Rows' works with numbers, but value is not a number",
                                    node: context.nodeName, itemIndex: i)
                }
                value = .number(n)
            }
            parts.append(op.hasPrefix("IS") ? "\(column) \(op)" : "\(column) \(op) \(binds.add(value))")
        }
        return " WHERE " + parts.joined(separator: combine)
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return n
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? 0 : Double(t)
        case .bool(let b): return b ? 1 : 0
        case .null: return 0
        default: return nil
        }
    }

    static func stringList(_ value: JSONValue?) -> [String]? {
        switch value {
        case .array(let a)?: return a.map(JSONCoercion.string)
        case .string(let s)?:
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        default: return nil
        }
    }

    static func isFalsy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let s)?: return s.isEmpty
        case .number(let n)?: return n == 0 || n.isNaN
        case .bool(let b)?: return !b
        default: return false
        }
    }
}

import Foundation
