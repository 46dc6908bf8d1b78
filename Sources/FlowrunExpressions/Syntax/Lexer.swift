/// Splits one code block into tokens. Works on UTF-8 bytes; offsets are byte offsets into the block.
struct Lexer {
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    private let bytes: [UInt8]
    private var position = 0
    private var tokens: [Token] = []

    init(_ source: String) {
        bytes = Array(source.utf8)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Tokenizes the whole block; the last token is `.eof`.
    static func tokenize(_ source: String) throws(Failure) -> [Token] {
        var lexer = Lexer(source)
        return try lexer.run()
    }

    mutating func run() throws(Failure) -> [Token] {
        while true {
            let newline = skipTrivia()
            guard position < bytes.count else {
                tokens.append(Token(kind: .eof, offset: position, newlineBefore: newline))
                return tokens
            }
            let start = position
            let kind = try next()
            tokens.append(Token(kind: kind, offset: start, newlineBefore: newline))
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        let i = position + ahead
        return i < bytes.count ? bytes[i] : 0
    }

    /// Skips whitespace and comments; returns whether a line terminator was crossed.
    private mutating func skipTrivia() -> Bool {
        var newline = false
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x0A || c == 0x0D {
                newline = true
                position += 1
            } else if c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C {
                position += 1
            } else if c == 0xC2, peek(1) == 0xA0 {
                position += 2
            } else if c == 0xE2, peek(1) == 0x80, peek(2) == 0xA8 || peek(2) == 0xA9 {
                newline = true
                position += 3
            } else if c == 0xEF, peek(1) == 0xBB, peek(2) == 0xBF {
                position += 3
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                position += 2
                while position < bytes.count, !(bytes[position] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    if bytes[position] == 0x0A { newline = true }
                    position += 1
                }
                position = min(position + 2, bytes.count)
            } else {
                break
            }
        }
        return newline
    }

    private static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x24 || c == 0x5F || c >= 0x80
    }

    private static func isIdentifierPart(_ c: UInt8) -> Bool {
        isIdentifierStart(c) || (c >= 0x30 && c <= 0x39)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private var regexAllowed: Bool {
        guard let last = tokens.last else { return true }
        switch last.kind {
        case .number, .string, .template, .regex, .identifier: return false
        case .keyword(let k): return !["this", "true", "false", "null", "super"].contains(k)
        case .punct(let p): return p != ")" && p != "]" && p != "}"
        case .eof: return true
        }
    }

    private static let punctuators: [String] = [
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=",
        "&=", "|=", "^=", "**", "<<", ">>",
        "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~",
        "?", ":", "=", ".", "@", "#",
    ].sorted { $0.utf8.count > $1.utf8.count }
    private static let punctuatorBytes: [[UInt8]] = punctuators.map { Array($0.utf8) }

    private mutating func next() throws(Failure) -> Token.Kind {
        let c = bytes[position]
        if Lexer.isIdentifierStart(c) || c == UInt8(ascii: "\\") {
            let name = try identifier()
            return Keywords.all.contains(name) ? .keyword(name) : .identifier(name)
        }
        if Lexer.isDigit(c) || (c == UInt8(ascii: ".") && Lexer.isDigit(peek(1))) {
            return .number(try number())
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            return .string(try string(quote: c))
        }
        if c == UInt8(ascii: "`") {
            return try template()
        }
        if c == UInt8(ascii: "/"), regexAllowed {
            return try regex()
        }
        for (index, p) in Lexer.punctuatorBytes.enumerated() where position + p.count <= bytes.count {
            if bytes[position..<position + p.count].elementsEqual(p) {
                // `?.` followed by a digit is `?` then a number (`a?.5:1`).
                if p == Array("?.".utf8), Lexer.isDigit(peek(2)) { continue }
                position += p.count
                return .punct(Lexer.punctuators[index])
            }
        }
        throw Failure(message: "Invalid or unexpected token", offset: position)
    }

    private mutating func identifier() throws(Failure) -> String {
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            if Lexer.isIdentifierPart(c) {
                out.append(c)
                position += 1
            } else if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
                position += 2
                guard let scalar = try unicodeEscape() else { throw Failure(message: "Invalid Unicode escape sequence", offset: position) }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            } else {
                break
            }
        }
        if out.isEmpty { throw Failure(message: "Invalid or unexpected token", offset: position) }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func number() throws(Failure) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "0"), position + 1 < bytes.count {
            let radixChar = bytes[position + 1] | 0x20
            let radix: Int? = radixChar == UInt8(ascii: "x") ? 16 : radixChar == UInt8(ascii: "o") ? 8 : radixChar == UInt8(ascii: "b") ? 2 : nil
            if let radix {
                position += 2
                var value = 0.0
                var digits = 0
                while position < bytes.count {
                    let d = bytes[position]
                    if d == UInt8(ascii: "_") { position += 1; continue }
                    guard let digit = Lexer.digitValue(d), digit < radix else { break }
                    value = value * Double(radix) + Double(digit)
                    digits += 1
                    position += 1
                }
                if digits == 0 { throw Failure(message: "Invalid or unexpected token", offset: start) }
                try checkAfterNumber()
                return value
            }
        }
        var text: [UInt8] = []
        func digits(_ lexer: inout Lexer) {
            while lexer.position < lexer.bytes.count, Lexer.isDigit(lexer.bytes[lexer.position]) || lexer.bytes[lexer.position] == UInt8(ascii: "_") {
                if lexer.bytes[lexer.position] != UInt8(ascii: "_") { text.append(lexer.bytes[lexer.position]) }
                lexer.position += 1
            }
        }
        digits(&self)
        if peek() == UInt8(ascii: ".") {
            text.append(UInt8(ascii: "."))
            position += 1
            digits(&self)
        }
        if peek() | 0x20 == UInt8(ascii: "e") {
            let save = position
            var exponent: [UInt8] = [UInt8(ascii: "e")]
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
                exponent.append(peek())
                position += 1
            }
            if Lexer.isDigit(peek()) {
                text.append(contentsOf: exponent)
                digits(&self)
            } else {
                position = save
                throw Failure(message: "Invalid or unexpected token", offset: start)
            }
        }
        if peek() == UInt8(ascii: "n") { throw Failure(message: "BigInt literals are not supported", offset: start) }
        try checkAfterNumber()
        if text.first == UInt8(ascii: ".") { text.insert(UInt8(ascii: "0"), at: 0) }
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    private func checkAfterNumber() throws(Failure) {
        if position < bytes.count, Lexer.isIdentifierStart(bytes[position]) {
            throw Failure(message: "Invalid or unexpected token", offset: position)
        }
    }

    private static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        default: return nil
        }
    }

    /// After `\u`: `XXXX` or `{X…}`.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar? {
        var value: UInt32 = 0
        if peek() == UInt8(ascii: "{") {
            position += 1
            var count = 0
            while position < bytes.count, bytes[position] != UInt8(ascii: "}") {
                guard let d = Lexer.digitValue(bytes[position]) else { return nil }
                value = value &* 16 &+ UInt32(d)
                count += 1
                position += 1
                if count > 6 { return nil }
            }
            position += 1
            return Unicode.Scalar(value)
        }
        for _ in 0..<4 {
            guard position < bytes.count, let d = Lexer.digitValue(bytes[position]) else { return nil }
            value = value * 16 + UInt32(d)
            position += 1
        }
        return Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)
    }

    /// Reads a `\uXXXX` that may be the first half of a surrogate pair and joins the pair.
    private mutating func unicodeEscapeJoiningSurrogates() throws(Failure) -> Unicode.Scalar? {
        let save = position
        var value: UInt32 = 0
        if peek() != UInt8(ascii: "{") {
            for _ in 0..<4 {
                guard position < bytes.count, let d = Lexer.digitValue(bytes[position]) else { return nil }
                value = value * 16 + UInt32(d)
                position += 1
            }
            if value >= 0xD800, value < 0xDC00, peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
                let back = position
                position += 2
                var low: UInt32 = 0
                var ok = true
                for _ in 0..<4 {
                    guard position < bytes.count, let d = Lexer.digitValue(bytes[position]) else { ok = false; break }
                    low = low * 16 + UInt32(d)
                    position += 1
                }
                if ok, low >= 0xDC00, low < 0xE000 {
                    return Unicode.Scalar(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
                }
                position = back
            }
            return Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)
        }
        position = save
        return try unicodeEscape()
    }

    /// One escape after a backslash inside a string or template; appends to `out`.
    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        let c = bytes[position]
        position += 1
        func scalar(_ s: Unicode.Scalar) { out.append(contentsOf: Array(String(Character(s)).utf8)) }
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "0") where !Lexer.isDigit(peek()): out.append(0)
        case UInt8(ascii: "x"):
            guard let h = Lexer.digitValue(peek()), let l = Lexer.digitValue(peek(1)) else {
                throw Failure(message: "Invalid hexadecimal escape sequence", offset: position)
            }
            position += 2
            scalar(Unicode.Scalar(UInt8(h * 16 + l)))
        case UInt8(ascii: "u"):
            guard let s = try unicodeEscapeJoiningSurrogates() else {
                throw Failure(message: "Invalid Unicode escape sequence", offset: position)
            }
            scalar(s)
        case 0x0D:
            if peek() == 0x0A { position += 1 }
        case 0x0A:
            break
        default:
            out.append(c)
        }
    }

    private mutating func string(quote: UInt8) throws(Failure) -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        while true {
            guard position < bytes.count else { throw Failure(message: "Invalid or unexpected token", offset: start) }
            let c = bytes[position]
            if c == quote {
                position += 1
                break
            }
            if c == 0x0A || c == 0x0D { throw Failure(message: "Invalid or unexpected token", offset: start) }
            if c == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { throw Failure(message: "Invalid or unexpected token", offset: start) }
                try escape(into: &out)
            } else {
                out.append(c)
                position += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func template() throws(Failure) -> Token.Kind {
        let start = position
        position += 1
        var parts: [String] = []
        var expressions: [(String, Int)] = []
        var current: [UInt8] = []
        while true {
            guard position < bytes.count else { throw Failure(message: "Unterminated template literal", offset: start) }
            let c = bytes[position]
            if c == UInt8(ascii: "`") {
                position += 1
                parts.append(String(decoding: current, as: UTF8.self))
                return .template(parts, expressions)
            }
            if c == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { throw Failure(message: "Unterminated template literal", offset: start) }
                try escape(into: &current)
            } else if c == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                parts.append(String(decoding: current, as: UTF8.self))
                current = []
                position += 2
                let exprStart = position
                try skipBalanced()
                expressions.append((String(decoding: bytes[exprStart..<position], as: UTF8.self), exprStart))
                position += 1
            } else if c == 0x0D {
                // Template literals normalise CR and CRLF to LF.
                current.append(0x0A)
                position += 1
                if peek() == 0x0A { position += 1 }
            } else {
                current.append(c)
                position += 1
            }
        }
    }

    /// Advances to the `}` closing a `${` of a template literal, skipping nested code.
    private mutating func skipBalanced() throws(Failure) {
        let start = position
        var sub = Lexer(bytes: bytes)
        sub.position = position
        var depth = 0
        while true {
            _ = sub.skipTrivia()
            guard sub.position < bytes.count else { throw Failure(message: "Unterminated template literal", offset: start) }
            if bytes[sub.position] == UInt8(ascii: "}"), depth == 0 {
                position = sub.position
                return
            }
            let tokenStart = sub.position
            let kind = try sub.next()
            sub.tokens.append(Token(kind: kind, offset: tokenStart, newlineBefore: false))
            if case .punct(let p) = kind {
                if p == "{" { depth += 1 }
                if p == "}" { depth -= 1 }
            }
        }
    }

    private mutating func regex() throws(Failure) -> Token.Kind {
        let start = position
        position += 1
        var inClass = false
        var pattern: [UInt8] = []
        while true {
            guard position < bytes.count, bytes[position] != 0x0A else {
                throw Failure(message: "Invalid regular expression: missing /", offset: start)
            }
            let c = bytes[position]
            if c == UInt8(ascii: "\\") {
                pattern.append(c)
                position += 1
                guard position < bytes.count else { throw Failure(message: "Invalid regular expression: missing /", offset: start) }
                pattern.append(bytes[position])
                position += 1
                continue
            }
            if c == UInt8(ascii: "[") { inClass = true }
            if c == UInt8(ascii: "]") { inClass = false }
            if c == UInt8(ascii: "/"), !inClass {
                position += 1
                break
            }
            pattern.append(c)
            position += 1
        }
        var flags: [UInt8] = []
        while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) {
            flags.append(bytes[position])
            position += 1
        }
        let flagText = String(decoding: flags, as: UTF8.self)
        for f in flagText where !"dgimsuyv".contains(f) || flagText.filter({ $0 == f }).count > 1 {
            throw Failure(message: "Invalid regular expression flags", offset: start)
        }
        return .regex(pattern: String(decoding: pattern, as: UTF8.self), flags: flagText)
    }
}
