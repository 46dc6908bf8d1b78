import FlowrunExpressions
import Foundation

/// Turns a parsed file into a `WorkflowDocument`, reporting every key of the wrong shape.
///
/// Values of the wrong type are kept as written (so `convert` stays lossless) and reported; the
/// typed accessors then read them as absent.
struct WorkflowDecoder {
    let file: String
    let marks: [String: WorkflowLoader.SourceMark]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, marks: [String: WorkflowLoader.SourceMark]) {
        self.file = file
        self.marks = marks
    }

    mutating func report(_ code: Diagnostic.Code, _ message: String, node: String? = nil, parameter: String? = nil,
                         at path: String? = nil) {
        report(.error, code, message, node: node, parameter: parameter, at: path)
    }

    mutating func report(_ severity: Diagnostic.Severity, _ code: Diagnostic.Code, _ message: String,
                         node: String? = nil, parameter: String? = nil, at path: String? = nil) {
        let mark = path.flatMap { WorkflowCheckContext(file: file, format: .json, marks: marks).location(of: $0) }
        diagnostics.append(Diagnostic(severity, code, message.shortened(to: 1000), file: file,
                                      node: node?.shortened(to: 200), parameter: parameter,
                                      line: mark?.line, column: mark?.column))
    }

    mutating func decode(_ root: JSONValue) -> WorkflowDocument? {
        guard case .object(let fields) = root else {
            if let list = root.arrayValue, !list.isEmpty, list.allSatisfy({ $0["nodes"] != nil }) {
                report(.invalidWorkflow, "this file holds \(list.count) workflows (as `n8n export:workflow --all` "
                       + "writes them); flowrun reads one workflow per file: export with --separate")
                return nil
            }
            report(.invalidWorkflow, "not a workflow: the top level is \(root.kindName.withArticle), but an n8n "
                   + "workflow is an object with \"nodes\" and \"connections\"")
            return nil
        }
        guard let nodesValue = fields["nodes"] else {
            if let wrapper = ["workflow", "data"].first(where: { fields[$0]?["nodes"] != nil }) {
                report(.invalidWorkflow, "the workflow is wrapped in \"\(wrapper)\" (as n8n's template and REST APIs "
                       + "return it); save the object under \"\(wrapper)\" as the file", at: wrapper)
                return nil
            }
            report(.invalidWorkflow, "not a workflow: there is no \"nodes\" key (an array of node objects)")
            return nil
        }
        guard case .array(let nodeValues) = nodesValue else {
            report(.invalidWorkflow, "\"nodes\" must be an array of node objects, not \(nodesValue.kindName.withArticle)",
                   at: "nodes")
            return nil
        }
        var nodes: [NodeDocument] = []
        for (index, value) in nodeValues.enumerated() {
            if let node = decodeNode(value, index: index) { nodes.append(node) }
        }
        let connections = decodeConnections(fields["connections"])
        checkTopLevel(fields)
        var document = WorkflowDocument(fields: fields, nodes: nodes, connections: connections)
        if fields["connections"] == nil { document.fields["connections"] = .object([:]) }
        return document
    }

    private mutating func checkTopLevel(_ fields: JSONObject) {
        expect(fields["name"], .string, key: "name")
        expect(fields["id"], .string, key: "id", allowNumber: true)
        expect(fields["versionId"], .string, key: "versionId", severity: .warning)
        expect(fields["active"], .bool, key: "active", severity: .warning)
        if let tags = fields["tags"], tags.arrayValue == nil, !tags.isNull {
            report(.warning, .invalidWorkflow, "\"tags\" should be an array of tag objects or names, not "
                   + tags.kindName.withArticle + "; n8n ignores it", at: "tags")
        }
        if let settings = fields["settings"], !settings.isNull {
            if case .object(let object) = settings {
                checkSettings(object)
            } else {
                report(.invalidSettings, "\"settings\" must be an object, not \(settings.kindName.withArticle)", at: "settings")
            }
        }
        if let pinData = fields["pinData"], !pinData.isNull, pinData.objectValue == nil {
            report(.invalidPinData, "\"pinData\" must be an object of node name to items, not "
                   + pinData.kindName.withArticle, at: "pinData")
        }
    }

    private enum Kind { case string, bool, number }

    private mutating func expect(_ value: JSONValue?, _ kind: Kind, key: String, allowNumber: Bool = false,
                                 severity: Diagnostic.Severity = .error) {
        guard let value, !value.isNull else { return }
        switch (kind, value) {
        case (.string, .string), (.bool, .bool), (.number, .number): return
        case (.string, .number) where allowNumber: return
        default:
            let expected = switch kind {
            case .string: "a string"
            case .bool: "true or false"
            case .number: "a number"
            }
            let found = value.stringValue.map { "the string \"\($0.prefix(40))\"" } ?? value.kindName.withArticle
            report(severity, .invalidWorkflow, "\"\(key)\" must be \(expected), not \(found)", at: key)
        }
    }

    private mutating func checkSettings(_ settings: JSONObject) {
        if let order = settings["executionOrder"], !order.isNull {
            if let text = order.stringValue {
                if text != "v0" && text != "v1" {
                    report(.warning, .invalidSettings, "settings.executionOrder is \"\(text)\"; n8n knows \"v0\" and "
                           + "\"v1\" and runs anything else as \"v0\"", at: "settings.executionOrder")
                }
            } else {
                report(.invalidSettings, "settings.executionOrder must be \"v0\" or \"v1\", not "
                       + order.kindName.withArticle, at: "settings.executionOrder")
            }
        }
        if let zone = settings["timezone"], !zone.isNull {
            if let name = zone.stringValue {
                if name != "DEFAULT" && TimeZone(identifier: name) == nil {
                    report(.invalidSettings, "settings.timezone \"\(name)\" is not an IANA time zone "
                           + "(such as \"Europe/Berlin\") or \"DEFAULT\"", at: "settings.timezone")
                }
            } else {
                report(.invalidSettings, "settings.timezone must be a time zone name, not \(zone.kindName.withArticle)",
                       at: "settings.timezone")
            }
        }
        if let timeout = settings["executionTimeout"], !timeout.isNull, timeout.numberValue == nil {
            report(.invalidSettings, "settings.executionTimeout must be a number of seconds (-1 for none), not "
                   + timeout.kindName.withArticle, at: "settings.executionTimeout")
        }
        if let errorWorkflow = settings["errorWorkflow"], !errorWorkflow.isNull, errorWorkflow.stringValue == nil,
            errorWorkflow.numberValue == nil
        {
            report(.invalidSettings, "settings.errorWorkflow must be a workflow id, not "
                   + errorWorkflow.kindName.withArticle, at: "settings.errorWorkflow")
        }
    }
}

extension String {
    /// "an object", "a string".
    var withArticle: String {
        guard let first = first else { return self }
        return ("aeiou".contains(first) ? "an " : "a ") + self
    }
}
