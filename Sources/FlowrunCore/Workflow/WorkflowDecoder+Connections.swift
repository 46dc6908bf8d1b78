import FlowrunExpressions

extension WorkflowDecoder {
    mutating func decodeConnections(_ value: JSONValue?) -> WorkflowConnections {
        var result = WorkflowConnections()
        guard let value, !value.isNull else { return result }
        guard case .object(let sources) = value else {
            report(.invalidConnection, "\"connections\" must be an object keyed by source node name, not "
                   + value.kindName.withArticle, at: "connections")
            return result
        }
        for (source, kindsValue) in sources {
            let path = "connections.\(source)"
            guard case .object(let kinds) = kindsValue else {
                report(.invalidConnection, "connections of \"\(source)\" must be an object such as "
                       + "{\"main\": [[{\"node\": …, \"type\": \"main\", \"index\": 0}]]}, not "
                       + kindsValue.kindName.withArticle, node: source, at: path)
                continue
            }
            var decodedKinds: OrderedDictionary<String, [[WorkflowConnections.Target]?]> = [:]
            for (kind, slotsValue) in kinds {
                if kind != "main" && !kind.hasPrefix("ai_") {
                    report(.invalidConnection, "unknown connection type \"\(kind)\" from \"\(source)\": n8n uses "
                           + "\"main\" or an AI type such as \"ai_tool\"", node: source, at: "\(path).\(kind)")
                }
                guard case .array(let slots) = slotsValue else {
                    report(.invalidConnection, "\"\(kind)\" connections of \"\(source)\" must be an array with one "
                           + "list of targets per output, not \(slotsValue.kindName.withArticle)", node: source,
                           at: "\(path).\(kind)")
                    continue
                }
                var decodedSlots: [[WorkflowConnections.Target]?] = []
                for (outputIndex, slotValue) in slots.enumerated() {
                    decodedSlots.append(decodeSlot(slotValue, source: source, kind: kind, outputIndex: outputIndex,
                                                   path: "\(path).\(kind)[\(outputIndex)]"))
                }
                decodedKinds[kind] = decodedSlots
            }
            result.bySource[source] = decodedKinds
        }
        return result
    }

    private mutating func decodeSlot(_ value: JSONValue, source: String, kind: String, outputIndex: Int,
                                     path: String) -> [WorkflowConnections.Target]? {
        switch value {
        case .null: return nil
        case .array(let targets):
            var decoded: [WorkflowConnections.Target] = []
            for target in targets {
                if let t = decodeTarget(target, source: source, kind: kind, outputIndex: outputIndex, path: path) {
                    decoded.append(t)
                }
            }
            return decoded
        default:
            report(.invalidConnection, "output \(outputIndex) of \"\(source)\" must be a list of targets or null, not "
                   + value.kindName.withArticle, node: source, at: path)
            return []
        }
    }

    private mutating func decodeTarget(_ value: JSONValue, source: String, kind: String, outputIndex: Int,
                                       path: String) -> WorkflowConnections.Target? {
        guard case .object(let object) = value else {
            report(.invalidConnection, "a target of output \(outputIndex) of \"\(source)\" must be "
                   + "{\"node\", \"type\", \"index\"}, not \(value.kindName.withArticle)", node: source, at: path)
            return nil
        }
        guard let node = object["node"]?.stringValue else {
            report(.invalidConnection, "a target of output \(outputIndex) of \"\(source)\" has no \"node\" "
                   + "(the destination node's name)", node: source, at: path)
            return nil
        }
        var type = kind
        if let typeValue = object["type"], !typeValue.isNull {
            if let text = typeValue.stringValue {
                type = text
            } else {
                report(.invalidConnection, "the connection from \"\(source)\" to \"\(node)\" has a \"type\" that is "
                       + "\(typeValue.kindName.withArticle); use \"\(kind)\"", node: source, at: path)
            }
        }
        var index = 0
        if let indexValue = object["index"], !indexValue.isNull {
            if let number = indexValue.numberValue, number >= 0, number == number.rounded(), number < 1_000_000 {
                index = Int(number)
            } else {
                let found = indexValue.numberValue.map { JSNumberFormatting.string($0) } ?? indexValue.kindName.withArticle
                report(.invalidInputIndex, "the connection from \"\(source)\" to \"\(node)\" has input index "
                       + "\(found); it must be a whole number from 0 (the first input)", node: source, at: path)
                return nil
            }
        }
        var target = WorkflowConnections.Target(node: node, type: type, index: index)
        if object.count != 3 || object["type"] == nil || object["index"] == nil { target.written = object }
        return target
    }
}
