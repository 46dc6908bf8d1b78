import FlowrunCore

extension Diagnostic {
    /// One line for people: `file:line:column: error: node "X", parameter "p": message [code]`.
    var humanLine: String {
        var location = file ?? "-"
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var qualifiers: [String] = []
        if let node { qualifiers.append("node \"\(node)\"") }
        if let parameter { qualifiers.append("parameter \"\(parameter)\"") }
        let subject = qualifiers.isEmpty ? "" : qualifiers.joined(separator: ", ") + ": "
        return "\(location): \(severity.rawValue): \(subject)\(message) [\(code)]"
    }
}
