import FlowrunCore
import FlowrunExpressions

/// Postgres (`n8n-nodes-base.postgres`, typeVersion 2 to 2.5): executeQuery, insert, update,
/// upsert, select and deleteTable through `context.services.postgres`, with n8n's parameters,
/// column mapping modes, query batching and output shapes (docs: nodes/postgres.md).
///
/// Item data only ever travels as bound parameters; schema, table and column names are quoted
/// identifiers (pg-promise's `:name`), and written columns must exist in the table.
struct PostgresNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.postgres", typeVersions: [2, 2.1, 2.2, 2.3, 2.4, 2.5], displayName: "Postgres",
        hasSideEffects: true)

    static let operations = ["deleteTable", "executeQuery", "insert", "upsert", "select", "update"]

    let version: Double
    let credentialReference: JSONValue?
    let operation: String
    let schema: Param<JSONValue?>
    let table: Param<JSONValue?>
    let query: Param<JSONValue?>
    /// `options` without `queryReplacement` (read per item through `queryReplacement`).
    let options: Param<JSONValue?>
    let queryReplacement: QueryReplacement
    let dataMode: Param<String>
    let valuesToSend: Param<JSONValue?>
    let columns: Param<JSONValue?>
    let columnToMatchOn: Param<String>
    let valueToMatchOn: Param<JSONValue?>
    let returnAll: Param<Bool>
    let limit: Param<Double>
    let whereValues: Param<JSONValue?>
    let combineConditions: Param<String>
    let sortValues: Param<JSONValue?>
    let deleteCommand: Param<String>
    let restartSequences: Param<Bool>

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        credentialReference = c.credentials?["postgres"]
        operation = p["operation"].literal(default: "insert").stringValue ?? "insert"
        if !Self.operations.contains(operation) {
            p["operation"].report("unknown operation \"\(operation)\"; expected one of \(Self.operations.joined(separator: ", "))")
        }
        schema = p["schema"].json(default: .string("public"))
        table = p["table"].json(default: "")
        // n8n also resolves {{ }} inside a query that is not marked as an expression.
        var rawQuery = p["query"].literal(default: "")
        if case .string(let s) = rawQuery, !s.hasPrefix("="), s.contains("{{") { rawQuery = .string("=" + s) }
        query = Param(path: "query", raw: CompiledParameter(rawQuery)) { $0 }
        var optionsRaw = p["options"].literal(default: .object([:]))
        if case .object(var o) = optionsRaw {
            o["queryReplacement"] = nil
            optionsRaw = .object(o)
        }
        options = Param(path: "options", raw: CompiledParameter(optionsRaw)) { $0 }
        queryReplacement = QueryReplacement(p["options"]["queryReplacement"])
        dataMode = p["dataMode"].choice(["autoMapInputData", "defineBelow"], default: "autoMapInputData")
        valuesToSend = p["valuesToSend"]["values"].json(default: .array([]))
        columns = p["columns"].json(default: .object(["mappingMode": "defineBelow", "value": .null]))
        columnToMatchOn = p["columnToMatchOn"].string(default: "")
        valueToMatchOn = p["valueToMatchOn"].json(default: "")
        returnAll = p["returnAll"].bool(default: false)
        limit = p["limit"].number(default: 50)
        whereValues = p["where"]["values"].json(default: .array([]))
        combineConditions = p["combineConditions"].choice(["AND", "OR"], default: "AND")
        sortValues = p["sort"]["values"].json(default: .array([]))
        deleteCommand = p["deleteCommand"].choice(["truncate", "delete", "drop"], default: "truncate")
        restartSequences = p["restartSequences"].bool(default: false)
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        let postgres = try context.require(\.postgres, "Postgres")
        var items = input.main
        if items.isEmpty { return [[]] }
        let nodeOptions = try options.value(for: 0, in: context)?.objectValue ?? [:]
        if nodeOptions["replaceEmptyStrings"]?.coercedBool == true, operation != "select", operation != "deleteTable" {
            items = items.map { item in
                var copy = item
                for (key, value) in item.json where value == .string("") { copy.json[key] = .null }
                return copy
            }
        }
        var credential = try await context.services.credentials.resolve(
            type: "postgres", reference: credentialReference, node: context.nodeName)
        if let numbers = nodeOptions["largeNumbersOutput"]?.stringValue {
            credential.data["largeNumbersOutput"] = .string(numbers)
        }
        let batching = nodeOptions["queryBatching"]?.stringValue ?? "single"
        guard ["single", "independently", "transaction"].contains(batching) else {
            throw NodeError(.invalidParameter, "Unknown query batching \"\(batching)\"", detail: "Use single, independently or transaction.",
                            node: context.nodeName, parameter: "options.queryBatching")
        }
        let runItems = items, runCredential = credential
        let run: @Sendable () async throws -> [Item] = {
            try await postgres.withConnection(runCredential) { connection in
                let queries = try await self.buildQueries(items: runItems, connection: connection, context: context)
                return try await self.run(queries, batching: batching, items: runItems, connection: connection, context: context)
            }
        }
        do {
            if let resilience = context.services.resilience {
                let target = "postgres:\(credential.string("host")):\(credential.string("port"))/\(credential.string("database"))"
                return [try await resilience.call(target: target, policy: .once, context: context, run)]
            }
            return [try await run()]
        } catch let error as NodeError {
            throw error
        } catch {
            let nodeError = PostgresNodeError.make(error, queries: [], itemIndex: nil, context: context)
            guard context.continueOnFail else { throw nodeError }
            return [[Item(json: ["message": .string(nodeError.message), "error": PostgresNodeError.errorObject(nodeError)])]]
        }
    }

    /// The schema and table for item `i` (resource locator values or plain strings).
    func target(_ i: Int, context: ExecutionContext) throws -> (schema: String, table: String) {
        let s = Self.locatorValue(try schema.value(for: i, in: context)) ?? "public"
        guard let t = Self.locatorValue(try table.value(for: i, in: context)), !t.isEmpty else {
            throw NodeError(.invalidParameter, "No table is selected", node: context.nodeName, parameter: "table", itemIndex: i)
        }
        return (s.isEmpty ? "public" : s, t)
    }

    static func locatorValue(_ value: JSONValue?) -> String? {
        switch value {
        case .object(let o)?: return o["value"].flatMap { $0 == .null ? nil : JSONCoercion.string($0) }
        case let v?: return v == .null ? nil : JSONCoercion.string(v)
        case nil: return nil
        }
    }
}

enum JSONCoercion {
    /// JavaScript's `String(value)` for scalars; JSON for objects and arrays.
    static func string(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): JSNumberFormatting.string(n)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .object, .array: value.jsonString()
        }
    }
}
