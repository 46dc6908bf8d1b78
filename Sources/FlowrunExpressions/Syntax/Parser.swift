/// A Pratt parser for n8n's JavaScript subset. One parser per code block.
struct Parser {
    typealias Failure = Lexer.Failure

    var tokens: [Token]
    var index = 0
    /// Added to every offset (a template literal's `${ }` is parsed on its own).
    let baseOffset: Int
    /// Nesting depth of the syntax tree being built, to refuse pathological input before the
    /// Swift stack does.
    var depth = 0
    static let maxDepth = 256

    init(source: String, baseOffset: Int = 0) throws(Failure) {
        do {
            tokens = try Lexer.tokenize(source)
        } catch {
            throw Failure(message: error.message, offset: error.offset + baseOffset)
        }
        self.baseOffset = baseOffset
        if baseOffset != 0 {
            for i in tokens.indices { tokens[i].offset += baseOffset }
        }
    }

    /// Parses a whole block: a list of statements.
    mutating func parseProgram() throws(Failure) -> [Stmt] {
        var statements: [Stmt] = []
        while !current.isEOF {
            statements.append(try parseStatement())
        }
        return statements
    }

    /// Parses a single expression that must use all tokens (template `${ }` parts).
    mutating func parseStandaloneExpression() throws(Failure) -> Expr {
        let expr = try parseExpression()
        guard current.isEOF else { throw unexpected() }
        return expr
    }

    // MARK: Tokens

    var current: Token { tokens[index] }
    func peek(_ n: Int = 1) -> Token { tokens[min(index + n, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func unexpected(_ token: Token? = nil) -> Failure {
        let t = token ?? current
        if t.isEOF { return Failure(message: "Unexpected end of input", offset: t.offset) }
        if case .string = t.kind { return Failure(message: "Unexpected string", offset: t.offset) }
        if case .number = t.kind { return Failure(message: "Unexpected number", offset: t.offset) }
        if case .identifier = t.kind { return Failure(message: "Unexpected identifier '\(t.display)'", offset: t.offset) }
        return Failure(message: "Unexpected token '\(t.display)'", offset: t.offset)
    }

    mutating func expectPunct(_ p: String) throws(Failure) {
        guard current.isPunct(p) else { throw unexpected() }
        _ = advance()
    }

    mutating func eatPunct(_ p: String) -> Bool {
        if current.isPunct(p) {
            _ = advance()
            return true
        }
        return false
    }

    mutating func enter() throws(Failure) {
        depth += 1
        if depth > Parser.maxDepth { throw Failure(message: "Expression is nested too deeply", offset: current.offset) }
    }

    /// An identifier name, including reserved words where JavaScript allows them (`a.default`).
    mutating func identifierName() throws(Failure) -> String {
        switch current.kind {
        case .identifier(let n), .keyword(let n):
            _ = advance()
            return n
        default:
            throw unexpected()
        }
    }

    /// A binding identifier (not a reserved word, except contextual ones).
    mutating func bindingIdentifier() throws(Failure) -> (String, Int) {
        let t = current
        switch t.kind {
        case .identifier(let n):
            _ = advance()
            return (n, t.offset)
        case .keyword(let k) where Keywords.contextual.contains(k) && k != "await" && k != "yield":
            _ = advance()
            return (k, t.offset)
        default:
            throw unexpected()
        }
    }

    /// Automatic semicolon insertion: a `;`, or a line break, `}` or the end before the next token.
    mutating func consumeSemicolon() throws(Failure) {
        if eatPunct(";") { return }
        if current.isPunct("}") || current.isEOF || current.newlineBefore { return }
        throw unexpected()
    }
}
