/// One lexical token of the JavaScript subset, with its UTF-8 offset in the code block.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        /// A template literal: cooked string parts and the raw source of each `${ }` expression
        /// with its offset.
        case template([String], [(String, Int)])
        case regex(pattern: String, flags: String)
        case identifier(String)
        case keyword(String)
        case punct(String)
        case eof

        static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
            case let (.string(a), .string(b)): return a == b
            case let (.identifier(a), .identifier(b)), let (.keyword(a), .keyword(b)), let (.punct(a), .punct(b)):
                return a == b
            case (.eof, .eof): return true
            case let (.regex(p1, f1), .regex(p2, f2)): return p1 == p2 && f1 == f2
            case let (.template(s1, e1), .template(s2, e2)):
                return s1 == s2 && e1.map(\.0) == e2.map(\.0)
            default: return false
            }
        }
    }

    var kind: Kind
    /// Offset of the first byte in the block's source (UTF-8).
    var offset: Int
    /// A line terminator came between the previous token and this one (for `return`, `++`).
    var newlineBefore: Bool

    var isEOF: Bool { if case .eof = kind { return true } else { return false } }

    func isPunct(_ p: String) -> Bool { if case .punct(let q) = kind { return p == q } else { return false } }
    func isKeyword(_ k: String) -> Bool { if case .keyword(let q) = kind { return k == q } else { return false } }

    /// Text for error messages: `Unexpected token ')'`.
    var display: String {
        switch kind {
        case .number(let n): return JSNumberFormatting.string(n)
        case .string(let s): return "\"\(s)\""
        case .template: return "template literal"
        case .regex(let p, let f): return "/\(p)/\(f)"
        case .identifier(let s), .keyword(let s), .punct(let s): return s
        case .eof: return "end of input"
        }
    }
}

/// The reserved words the parser treats specially.
enum Keywords {
    static let all: Set<String> = [
        "var", "let", "const", "function", "return", "if", "else", "for", "while", "do", "break", "continue",
        "new", "delete", "typeof", "void", "in", "of", "instanceof", "true", "false", "null", "this", "try",
        "catch", "finally", "throw", "switch", "case", "default", "class", "async", "await", "yield", "with",
        "debugger", "export", "import", "super", "extends",
    ]
    /// Words that are keywords only in some positions and may otherwise be identifiers.
    static let contextual: Set<String> = ["of", "async", "let", "yield", "await"]
}
