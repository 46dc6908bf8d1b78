import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunCore

/// schemas/workflow.schema.json against the repository's workflow files.
///
/// Two checkers: a small JSON Schema evaluator for exactly the keywords the schema uses (it fails on
/// any keyword it does not implement, so the schema cannot grow past what is checked), which also
/// runs the rejection cases; and Python's `jsonschema`, the reference implementation, which
/// scripts/test.sh installs. Over the 912 real-world files both accept all but one file, whose
/// `active` is the string "false".
@Suite("Workflow schema")
struct WorkflowSchemaTests {
    static func schema() throws -> JSONValue {
        let url = WorkflowTestFiles.repository.appendingPathComponent("schemas/workflow.schema.json")
        return try JSONValue(parsing: String(contentsOf: url, encoding: .utf8))
    }

    static func document(at url: URL) throws -> JSONValue {
        let text = try String(contentsOf: url, encoding: .utf8)
        if WorkflowFormat(fileName: url.path) == .yaml {
            var reader = YAMLReader()
            return try reader.read(text)
        }
        return try JSONValue(parsing: text)
    }

    @Test("every file under workflows/ and examples/ matches the schema")
    func repositoryFiles() throws {
        let schema = try Self.schema()
        let files = WorkflowTestFiles.files(under: "workflows") + WorkflowTestFiles.files(under: "examples")
        #expect(!files.isEmpty, "examples/ holds at least the README's example")
        for url in files {
            let errors = SchemaChecker(root: schema).errors(try Self.document(at: url))
            #expect(errors.isEmpty, "\(url.lastPathComponent): \(errors)")
        }
    }

    @Test("Python's jsonschema, the reference validator, agrees on workflows/ and examples/")
    func referenceValidator() throws {
        let files = WorkflowTestFiles.files(under: "workflows") + WorkflowTestFiles.files(under: "examples")
        let documents = try JSONValue.array(files.map { try Self.document(at: $0) })
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-schema-\(UUID().uuidString).json")
        try documents.jsonString().write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            bad = [f"{i}: {e.message}" for i, d in enumerate(json.load(open(sys.argv[2]))) for e in validator.iter_errors(d)]
            print("\\n".join(bad)); sys.exit(1 if bad else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script,
                             WorkflowTestFiles.repository.appendingPathComponent("schemas/workflow.schema.json").path, input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with jsonschema (scripts/test.sh installs it): \(output)")
    }

    @Test("the shared n8n fixtures match the schema")
    func fixtures() throws {
        let schema = try Self.schema()
        for url in WorkflowTestFiles.files(under: "../shared/conformance/n8n-fixtures", extensions: ["json"]) {
            let errors = SchemaChecker(root: schema).errors(try Self.document(at: url))
            #expect(errors.isEmpty, "\(url.lastPathComponent): \(errors)")
        }
    }

    @Test("the schema rejects malformed workflows", arguments: [
        #"[]"#, #"{"connections":{}}"#, #"{"nodes":[{"type":"x"}]}"#, #"{"nodes":[{"name":"","type":"x"}]}"#,
        #"{"nodes":[{"name":"a","type":"x","position":[1]}]}"#, #"{"nodes":[{"name":"a","type":"x","onError":"retry"}]}"#,
        #"{"nodes":[],"connections":{"a":{"main":[[{"node":"b","index":-1}]]}}}"#,
        #"{"nodes":[],"connections":{"a":{"data":[]}}}"#, #"{"nodes":[],"settings":{"executionOrder":"v2"}}"#,
        #"{"nodes":[],"pinData":{"a":{"json":{}}}}"#, #"{"nodes":[],"active":"false"}"#,
        #"{"nodes":[{"name":"a","type":"x","credentials":{"t":{"id":5}}}]}"#,
    ])
    func rejects(_ text: String) throws {
        let errors = SchemaChecker(root: try Self.schema()).errors(try JSONValue(parsing: text))
        #expect(!errors.isEmpty)
    }

    @Test("the schema accepts a minimal YAML-style workflow without ids and positions")
    func acceptsMinimal() throws {
        let value = try JSONValue(parsing: #"{"nodes":[{"name":"a","type":"n8n-nodes-base.noOp"}]}"#)
        #expect(SchemaChecker(root: try Self.schema()).errors(value).isEmpty)
    }
}

/// Evaluates the JSON Schema 2020-12 keywords the workflow schema uses.
struct SchemaChecker {
    let root: JSONValue
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]

    func errors(_ value: JSONValue) -> [String] {
        var out: [String] = []
        check(value, root, path: "$", &out)
        return out
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: JSONValue? = root
        for part in ref.dropFirst(2).split(separator: "/") { current = current?[String(part)] }
        return current
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, path: String, _ out: inout [String]) {
        guard case .object(let s) = schema else {
            if schema == .bool(false) { out.append("\(path): not allowed") }
            return
        }
        for (keyword, argument) in s {
            switch keyword {
            case _ where Self.annotations.contains(keyword): continue
            case "$ref":
                guard let target = argument.stringValue.flatMap(resolve) else {
                    out.append("\(path): unresolvable $ref")
                    continue
                }
                check(value, target, path: path, &out)
            case "type":
                let allowed = argument.arrayValue?.compactMap(\.stringValue) ?? [argument.stringValue ?? ""]
                if !allowed.contains(where: { Self.hasType(value, $0) }) { out.append("\(path): not \(allowed)") }
            case "enum":
                if !(argument.arrayValue ?? []).contains(value) { out.append("\(path): not one of \(argument.jsonString())") }
            case "required":
                for key in argument.arrayValue?.compactMap(\.stringValue) ?? [] where value[key] == nil && value.objectValue != nil {
                    out.append("\(path): missing \(key)")
                }
            case "properties":
                guard case .object(let o) = value, case .object(let properties) = argument else { continue }
                for (key, sub) in properties { if let v = o[key] { check(v, sub, path: "\(path).\(key)", &out) } }
            case "additionalProperties":
                guard case .object(let o) = value else { continue }
                let known = Set(s["properties"]?.objectValue?.keys.map { $0 } ?? [])
                for (key, v) in o where !known.contains(key) { check(v, argument, path: "\(path).\(key)", &out) }
            case "propertyNames":
                guard case .object(let o) = value else { continue }
                for key in o.keys { check(.string(key), argument, path: "\(path){\(key)}", &out) }
            case "items":
                guard case .array(let a) = value else { continue }
                let start = s["prefixItems"]?.arrayValue?.count ?? 0
                for (i, v) in a.enumerated() where i >= start { check(v, argument, path: "\(path)[\(i)]", &out) }
            case "prefixItems":
                guard case .array(let a) = value else { continue }
                for (i, sub) in (argument.arrayValue ?? []).enumerated() where i < a.count {
                    check(a[i], sub, path: "\(path)[\(i)]", &out)
                }
            case "minItems":
                if let a = value.arrayValue, Double(a.count) < (argument.numberValue ?? 0) { out.append("\(path): too few items") }
            case "maxItems":
                if let a = value.arrayValue, Double(a.count) > (argument.numberValue ?? .infinity) { out.append("\(path): too many items") }
            case "minLength":
                if let t = value.stringValue, Double(t.count) < (argument.numberValue ?? 0) { out.append("\(path): too short") }
            case "minimum":
                if let n = value.numberValue, n < (argument.numberValue ?? -.infinity) { out.append("\(path): below minimum") }
            case "pattern":
                if let t = value.stringValue, let p = argument.stringValue,
                    t.range(of: p, options: .regularExpression) == nil
                {
                    out.append("\(path): does not match \(p)")
                }
            case "anyOf":
                let branches = argument.arrayValue ?? []
                let passes = branches.contains { branch in
                    var sub: [String] = []
                    check(value, branch, path: path, &sub)
                    return sub.isEmpty
                }
                if !passes { out.append("\(path): matches no alternative") }
            default:
                out.append("\(path): the test's checker does not implement \(keyword)")
            }
        }
    }

    private static func hasType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let n)): return n == n.rounded()
        default: return false
        }
    }
}
