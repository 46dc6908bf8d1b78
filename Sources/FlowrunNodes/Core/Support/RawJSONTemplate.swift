import FlowrunCore
import FlowrunExpressions

/// A JSON text parameter whose `{{ }}` parts are evaluated and spliced in before parsing (Set's
/// raw mode `resolveRawData` + `parseJsonParameter`).
struct RawJSONTemplate: Sendable {
    enum Part: Sendable {
        case text(String)
        case expression(ParameterExpression)
    }

    let parts: [Part]?
    let value: Param<JSONValue?>
    let path: String

    init(_ reader: ParameterReader, default fallback: String) {
        path = reader.path
        value = reader.value(default: .string(fallback))
        guard let raw = reader.raw?.stringValue, raw.hasPrefix("=") else {
            parts = nil
            return
        }
        var text = Substring(raw.drop(while: { $0 == "=" }))
        var list: [Part] = []
        while let open = text.range(of: "{{") {
            guard let close = text[open.upperBound...].range(of: "}}") else { break }
            list.append(.text(String(text[..<open.lowerBound])))
            let source = "=" + String(text[open.lowerBound..<close.upperBound])
            if let compiled = try? ParameterExpression(parsing: source) {
                list.append(.expression(compiled))
            } else {
                reader.report("invalid expression \(source.dropFirst())")
                list.append(.text(String(text[open.lowerBound..<close.upperBound])))
            }
            text = text[close.upperBound...]
        }
        list.append(.text(String(text)))
        parts = list
    }

    /// The object for item `itemIndex`.
    ///
    /// - Throws: n8n's "contains invalid JSON" / "does not contain a valid JSON object" errors.
    func object(itemIndex i: Int, context: ExecutionContext) throws -> JSONObject {
        var parsed: JSONValue?
        if let parts {
            var text = ""
            for part in parts {
                switch part {
                case .text(let s): text += s
                case .expression(let e):
                    let v = try context.evaluate(e, itemIndex: i, parameter: path)
                    switch v {
                    case .object?, .array?: text += v!.jsonString()
                    default: text += JS.string(v)
                    }
                }
            }
            parsed = RelaxedJSON.parse(text)
            if parsed == nil {
                throw NodeError(.operation, "The 'JSON Output' in item \(i) contains invalid JSON", node: context.nodeName, itemIndex: i)
            }
        } else {
            let v = try value.value(for: i, in: context)
            if case .string(let s)? = v {
                parsed = RelaxedJSON.parse(s)
                if parsed == nil {
                    throw NodeError(.operation, "The 'JSON Output' in item \(i) contains invalid JSON", node: context.nodeName, itemIndex: i)
                }
            } else {
                parsed = v
            }
        }
        guard case .object(let o)? = parsed else {
            throw NodeError(.operation, "The 'JSON Output' in item \(i) does not contain a valid JSON object", node: context.nodeName, itemIndex: i)
        }
        return o
    }
}
