import FlowrunCore
import FlowrunExpressions

/// YAML credentials files, read with Core's YAML reader (YAML 1.2 core schema, mapping order kept).
enum CredentialYAML {
    static func parse(_ text: String) throws -> JSONValue {
        try YAMLText.parse(text)
    }
}
