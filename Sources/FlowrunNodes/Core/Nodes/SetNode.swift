import FlowrunCore
import FlowrunExpressions

/// Edit Fields / Set (`n8n-nodes-base.set`).
///
/// v1–v2 (legacy): `values.{boolean,number,string}[{name, value}]` applied in that order over a
/// copy of the item (or an empty item with `keepOnlySet`). v3–v3.4: `mode` manual (typed fields,
/// `fields.values` before 3.3, `assignments.assignments` from 3.3) or raw (`jsonOutput`), with
/// `include`/`includeOtherFields` and the options `dotNotation`, `ignoreConversionErrors`.
struct SetNode: Node {
    static let description = NodeDescription(
        type: "n8n-nodes-base.set", typeVersions: [1, 2, 3, 3.1, 3.2, 3.3, 3.4], displayName: "Edit Fields (Set)")

    struct Field: Sendable {
        var name: Param<String>
        var type: String
        var value: Param<JSONValue?>
    }

    enum Mode: Sendable {
        case legacy(keepOnlySet: Bool, fields: [Field])
        case manual([Field])
        case raw(RawJSONTemplate)
    }

    let version: Double
    let mode: Mode
    let include: Param<String>
    let includeOtherFields: Param<Bool>
    let includeFields: Param<String>
    let excludeFields: Param<String>
    let dotNotation: Param<Bool>
    let ignoreConversionErrors: Param<Bool>
    let duplicateItem: Bool
    let duplicateCount: Int

    init(configuration c: NodeConfiguration) throws {
        let p = c.parameters
        version = c.typeVersion
        let options = p["options"]
        dotNotation = options["dotNotation"].bool(default: true)
        ignoreConversionErrors = options["ignoreConversionErrors"].bool(default: false)
        include = p["include"].choice(["all", "none", "selected", "except"], default: "all")
        includeOtherFields = p["includeOtherFields"].bool(default: false)
        includeFields = p["includeFields"].string(default: "")
        excludeFields = p["excludeFields"].string(default: "")
        duplicateItem = p["duplicateItem"].raw?.boolValue ?? false
        duplicateCount = Int(p["duplicateCount"].raw?.numberValue ?? 0)
        if c.typeVersion < 3 {
            var fields: [Field] = []
            let defaults: [(String, JSONValue)] = [("boolean", false), ("number", 0), ("string", "")]
            for (type, value) in defaults {
                for f in p["values"][type].elements() {
                    fields.append(Field(name: f["name"].string(default: "propertyName"), type: type, value: f["value"].value(default: value)))
                }
            }
            mode = .legacy(keepOnlySet: p["keepOnlySet"].raw?.boolValue ?? false, fields: fields)
        } else if (p["mode"].raw?.stringValue ?? "manual") == "raw" {
            mode = .raw(RawJSONTemplate(p["jsonOutput"], default: "{\n  \"my_field_1\": \"value\",\n  \"my_field_2\": 1\n}\n"))
        } else if c.typeVersion < 3.3 {
            let defaults: [String: JSONValue] = [
                "stringValue": "", "numberValue": 0, "booleanValue": "true", "arrayValue": "", "objectValue": "={}",
            ]
            mode = .manual(p["fields"]["values"].elements().map { f in
                let type = f["type"].raw?.stringValue ?? "stringValue"
                return Field(name: f["name"].string(default: ""), type: String(type.dropLast(type.hasSuffix("Value") ? 5 : 0)),
                             value: f[type].value(default: defaults[type] ?? ""))
            })
        } else {
            mode = .manual(p["assignments"]["assignments"].elements().map { a in
                Field(name: a["name"].string(default: ""), type: a["type"].raw?.stringValue ?? "string", value: a["value"].json())
            })
        }
    }

    func execute(_ input: NodeInput, context: ExecutionContext) async throws -> [[Item]] {
        var output: [Item] = []
        output.reserveCapacity(input.main.count)
        // Items of one shape get their new fields through one appender: their key lists are shared.
        var appender = JSONObjectAppender()
        for (i, item) in input.main.enumerated() {
            do {
                let newItem = try makeItem(item, index: i, context: context, appender: &appender)
                let copies = duplicateItem && context.mode == .manual ? duplicateCount + 1 : 1
                for _ in 0..<max(1, copies) { output.append(newItem) }
            } catch {
                guard context.continueOnFail else { throw error }
                output.append(Item(json: ["error": .string((error as? NodeError)?.message ?? "\(error)")], pairedItem: [PairedItem(item: i)]))
            }
        }
        return [output]
    }

    private func makeItem(_ item: Item, index i: Int, context: ExecutionContext, appender: inout JSONObjectAppender) throws -> Item {
        let dots = try dotNotation.value(for: i, in: context)
        switch mode {
        case .legacy(let keepOnlySet, let fields):
            var json: JSONObject = keepOnlySet ? [:] : item.json
            for f in fields {
                let raw = try f.value.value(for: i, in: context)
                var value: JSONValue = f.type == "boolean" ? .bool(JS.truthy(raw)) : (raw ?? .null)
                // v1 stores number values as given (an expression's string stays a string); v2 converts.
                if f.type == "number" && version >= 2, case .string(let text) = value {
                    let n = JS.number(value)
                    if n.isNaN {
                        throw NodeError(.operation, "Invalid numeric value: \"\(text)\"", node: context.nodeName, itemIndex: i)
                    }
                    value = .number(n)
                }
                let key = try f.name.value(for: i, in: context)
                if dots { FieldPath.set(&json, key, value) } else { json[key] = value }
            }
            return Item(json: json, binary: keepOnlySet ? nil : item.binary, pairedItem: item.lineage(i))
        case .manual(let fields):
            let ignore = try ignoreConversionErrors.value(for: i, in: context)
            var newFields: [(String, JSONValue)] = []
            for f in fields {
                let name = try f.name.value(for: i, in: context)
                let raw = try f.value.value(for: i, in: context)
                switch SetFieldValidation.validate(name: name, type: f.type, value: raw, ignoreErrors: ignore, version: version) {
                case .success(let value):
                    newFields.append((name, value))
                case .failure(let failure):
                    throw NodeError(.operation, "\(failure.message) [item \(i)]", detail: failure.description, node: context.nodeName, itemIndex: i)
                }
            }
            return try compose(item, index: i, fields: newFields, dots: dots, context: context, appender: &appender)
        case .raw(let template):
            let object = try template.object(itemIndex: i, context: context)
            return try compose(item, index: i, fields: Array(object.map { ($0.key, $0.value) }), dots: dots, context: context, appender: &appender)
        }
    }

    /// `composeReturnItem`: the included input fields, then the new fields.
    private func compose(
        _ item: Item, index i: Int, fields: [(String, JSONValue)], dots: Bool, context: ExecutionContext, appender: inout JSONObjectAppender
    ) throws -> Item {
        var mode = try include.value(for: i, in: context)
        if version >= 3.3 {
            let includeOthers = try includeOtherFields.value(for: i, in: context)
            if !includeOthers { mode = "none" }
        }
        var json: JSONObject = [:]
        switch mode {
        case "all":
            // Fields that are plain keys (no dot notation, or names without `.`/`[`, which lodash's
            // `set` takes as one key) are plain assignments: the appender gives the same object,
            // built at its final size, sharing its key list with the items of the same shape.
            if !dots || fields.allSatisfy({ FieldPath.isKey($0.0, in: nil) }) {
                let keepBinary = version >= 3.4
                return Item(json: appender.appending(fields, to: item.json), binary: keepBinary ? item.binary : nil, pairedItem: item.lineage(i))
            }
            json = item.json
        case "selected":
            for key in try includeFields.value(for: i, in: context).split(separator: ",").map({ $0.trimmingSpaces }) where !key.isEmpty {
                let value = dots ? FieldPath.get(.object(item.json), key) : item.json[key]
                guard let value else { continue }
                let target = dots && key.utf8.contains(UInt8(ascii: ".")) ? String(key.split(separator: ".").last ?? "") : key
                if dots { FieldPath.set(&json, target, value) } else { json[target] = value }
            }
        case "except":
            json = item.json
            for key in try excludeFields.value(for: i, in: context).split(separator: ",").map({ $0.trimmingSpaces }) where !key.isEmpty {
                if dots { FieldPath.unset(&json, key) } else { json.removeValue(forKey: key) }
            }
        case "none": break
        default:
            throw NodeError(.operation, "The include option \"\(mode)\" is not known!", node: context.nodeName, itemIndex: i)
        }
        for (key, value) in fields {
            if dots { FieldPath.set(&json, key, value) } else { json[key] = value }
        }
        let keepBinary = version >= 3.4 ? mode != "none" : false
        return Item(json: json, binary: keepBinary ? item.binary : nil, pairedItem: item.lineage(i))
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
