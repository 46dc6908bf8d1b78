/// A parameter's expression could not be parsed. Found when the workflow loads.
///
/// `column` is 1-based in the whole parameter string (the leading `=` is column 1), so a
/// diagnostic can point at the character.
public struct ExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, e.g. `Unexpected token '}'`.
    public var message: String
    /// 1-based line in the parameter string.
    public var line: Int
    /// 1-based column in that line.
    public var column: Int

    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    /// n8n reports every syntax error as `invalid syntax`; the detail follows.
    public var description: String { "invalid syntax: line \(line), column \(column): \(message)" }
}
