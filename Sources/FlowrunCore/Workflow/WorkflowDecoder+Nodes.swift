import FlowrunExpressions

extension WorkflowDecoder {
    /// Keys whose value must be true or false.
    private static let booleanKeys = [
        "disabled", "retryOnFail", "alwaysOutputData", "executeOnce", "continueOnFail", "notesInFlow",
    ]

    mutating func decodeNode(_ value: JSONValue, index: Int) -> NodeDocument? {
        let path = "nodes[\(index)]"
        guard case .object(let fields) = value else {
            report(.invalidNode, "node #\(index + 1) must be an object with \"name\", \"type\" and \"parameters\", "
                   + "not \(value.kindName.withArticle)", at: path)
            return nil
        }
        let nameValue = fields["name"]
        let name = nameValue?.stringValue
        let label = name ?? "#\(index + 1)"
        if name == nil || name?.isEmpty == true {
            let found = nameValue.map { $0.stringValue == nil ? " (found \($0.kindName.withArticle))" : "" } ?? ""
            report(.missingNodeName, "node #\(index + 1) has no name\(found): every node needs a unique \"name\", "
                   + "which connections and expressions use", at: nameValue == nil ? path : "\(path).name")
        }
        let reportNode = name?.isEmpty == false ? name : nil
        let typeValue = fields["type"]
        if typeValue?.stringValue?.isEmpty ?? true {
            let found = typeValue.map { $0.stringValue == nil ? " (found \($0.kindName.withArticle))" : "" } ?? ""
            report(.missingNodeType, "node \(quoted(label)) has no type\(found): set \"type\", such as "
                   + "\"n8n-nodes-base.set\"", node: reportNode, at: typeValue == nil ? path : "\(path).type")
        }
        if let version = fields["typeVersion"], version.numberValue == nil {
            report(.invalidNodeField, "\"typeVersion\" must be a number such as 1 or 2.2, not "
                   + version.kindName.withArticle, node: reportNode, at: "\(path).typeVersion")
        }
        if let position = fields["position"], !Self.isPosition(position) {
            report(.invalidNodeField, "\"position\" must be [x, y] with two numbers", node: reportNode,
                   at: "\(path).position")
        }
        if let parameters = fields["parameters"], parameters.objectValue == nil {
            report(.invalidParameter, "\"parameters\" must be an object of parameter names to values, not "
                   + parameters.kindName.withArticle, node: reportNode, at: "\(path).parameters")
        }
        if let id = fields["id"], id.stringValue == nil {
            report(.invalidNodeField, "\"id\" must be a string (n8n writes a UUID), not \(id.kindName.withArticle)",
                   node: reportNode, at: "\(path).id")
        }
        for key in Self.booleanKeys {
            if let flag = fields[key], flag.boolValue == nil, !flag.isNull {
                let yaml11 = ["yes", "no", "on", "off", "y", "n"].contains(flag.stringValue?.lowercased() ?? "")
                let found = yaml11 ? "the string \"\(flag.stringValue ?? "")\" (YAML reads yes/no/on/off as text here)"
                    : flag.kindName.withArticle
                report(.invalidNodeField, "\"\(key)\" must be true or false, not \(found)",
                       node: reportNode, at: "\(path).\(key)")
            }
        }
        for key in ["maxTries", "waitBetweenTries"] {
            if let number = fields[key], number.numberValue == nil, !number.isNull,
                Double(number.stringValue ?? "x") == nil
            {
                report(.invalidNodeField, "\"\(key)\" must be a number, not \(number.kindName.withArticle)",
                       node: reportNode, at: "\(path).\(key)")
            }
        }
        for key in ["notes", "webhookId"] {
            if let text = fields[key], text.stringValue == nil, !text.isNull {
                report(.invalidNodeField, "\"\(key)\" must be a string, not \(text.kindName.withArticle)",
                       node: reportNode, at: "\(path).\(key)")
            }
        }
        if let onError = fields["onError"], !onError.isNull {
            if onError.stringValue.flatMap(NodeDocument.ErrorPolicy.init(rawValue:)) == nil {
                let allowed = NodeDocument.ErrorPolicy.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                let found = onError.stringValue.map { "\"\($0)\"" } ?? onError.kindName.withArticle
                report(.invalidNodeField, "\"onError\" must be one of \(allowed), not \(found)",
                       node: reportNode, at: "\(path).onError")
            }
        }
        if let credentials = fields["credentials"], !credentials.isNull {
            checkCredentials(credentials, node: reportNode, path: "\(path).credentials")
        }
        return NodeDocument(fields: fields)
    }

    private mutating func checkCredentials(_ value: JSONValue, node: String?, path: String) {
        guard case .object(let credentials) = value else {
            report(.invalidNodeField, "\"credentials\" must be an object of credential type to {\"id\", \"name\"}, "
                   + "not \(value.kindName.withArticle)", node: node, at: path)
            return
        }
        for (type, reference) in credentials {
            let valid: Bool
            if case .object(let object) = reference {
                let idOK = object["id"].map { $0.isNull || $0.stringValue != nil } ?? true
                let nameOK = object["name"].map { $0.isNull || $0.stringValue != nil } ?? true
                valid = idOK && nameOK && (object["id"]?.stringValue != nil || object["name"]?.stringValue != nil)
            } else {
                valid = reference.stringValue != nil  // n8n 0.x wrote the credential's name only
            }
            if !valid {
                report(.invalidNodeField, "credential \"\(type)\" must be {\"id\": \"…\", \"name\": \"…\"} naming a "
                       + "stored credential", node: node, at: "\(path).\(type)")
            }
        }
    }

    /// After defaults are filled: what a runnable node must have.
    mutating func checkRequiredAfterDefaults(_ document: WorkflowDocument) {
        for (index, node) in document.nodes.enumerated() where !node.name.isEmpty && !node.type.isEmpty {
            if node.fields["typeVersion"] == nil {
                report(.invalidNodeField, "\"typeVersion\" is missing and flowrun knows no version of \"\(node.type)\"; "
                       + "set it, such as 1", node: node.name, at: "nodes[\(index)]")
            }
        }
    }

    static func isPosition(_ value: JSONValue) -> Bool {
        guard case .array(let a) = value, a.count == 2 else { return false }
        return a.allSatisfy { $0.numberValue != nil }
    }

    func quoted(_ label: String) -> String {
        label.hasPrefix("#") ? label : "\"\(label)\""
    }
}
