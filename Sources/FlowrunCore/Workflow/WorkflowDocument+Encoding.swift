public import FlowrunExpressions

extension WorkflowDocument {
    /// The document as one JSON value: `fields` in file order with `nodes` and `connections` in place.
    public var jsonValue: JSONValue {
        var object = fields
        object["nodes"] = .array(nodes.map { .object($0.fields) })
        object["connections"] = connections.jsonValue
        return .object(object)
    }

    /// The document as n8n writes an export: JSON indented by two spaces, with a final newline.
    public func jsonText() -> String {
        jsonValue.jsonString(indent: 2) + "\n"
    }

    /// The document as YAML in the same structure (see `YAMLWriter` for the rules).
    public func yamlText() -> String {
        YAMLWriter.write(jsonValue)
    }

    /// The document in `format`.
    public func text(in format: WorkflowFormat) -> String {
        switch format {
        case .json: jsonText()
        case .yaml: yamlText()
        }
    }
}

extension WorkflowConnections {
    /// The connections as n8n writes them: `{source: {kind: [[{node, type, index}], null, …]}}`.
    public var jsonValue: JSONValue {
        var sources = JSONObject()
        for (source, kinds) in bySource {
            var kindsObject = JSONObject()
            for (kind, slots) in kinds {
                kindsObject[kind] = .array(slots.map { slot in
                    guard let slot else { return .null }
                    return .array(slot.map { target in
                        guard var object = target.written else {
                            return .object(["node": .string(target.node), "type": .string(target.type),
                                            "index": .number(Double(target.index))])
                        }
                        object["node"] = .string(target.node)
                        if object["type"] != nil || target.type != kind { object["type"] = .string(target.type) }
                        if object["index"] != nil || target.index != 0 { object["index"] = .number(Double(target.index)) }
                        return .object(object)
                    })
                })
            }
            sources[source] = .object(kindsObject)
        }
        return .object(sources)
    }
}
