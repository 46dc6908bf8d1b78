public import FlowrunExpressions

/// YAML text as JSON values, for other targets (credentials and configuration files), with the
/// same reader workflows use: YAML 1.2 core schema, key order kept, depth and alias bounds.
public enum YAMLText {
    /// A YAML syntax or structure error with its place (1-based line and column when known).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var line: Int?
        public var column: Int?

        public var description: String {
            guard let line else { return message }
            return "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)"
        }
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var reader = YAMLReader()
        do {
            return try reader.read(text)
        } catch {
            throw Failure(message: error.message, line: error.line, column: error.column)
        }
    }
}
