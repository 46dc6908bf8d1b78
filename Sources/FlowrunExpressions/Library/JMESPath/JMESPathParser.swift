extension JMESPath {
    /// Top-down operator precedence parser, following the specification's grammar.
    struct QueryParser {
        var tokens: [Token]
        var index = 0
        var depth = 0

        init(_ query: String) throws {
            tokens = try JMESPath.tokenize(query)
        }

        var current: Token { tokens[index] }
        func peek(_ n: Int) -> Token { tokens[Swift.min(index + n, tokens.count - 1)] }

        mutating func advance() { if index < tokens.count - 1 { index += 1 } }

        func isOp(_ t: Token, _ op: String) -> Bool { t.kind == .op(op) }

        mutating func expect(_ op: String) throws {
            guard isOp(current, op) else { throw Failure(message: "Expected \(op), got: \(current.text.isEmpty ? "end of query" : current.text)") }
            advance()
        }

        static func bindingPower(_ t: Token) -> Int {
            switch t.kind {
            case .op(let op):
                switch op {
                case "|": return 1
                case "||": return 2
                case "&&": return 3
                case "==", "!=", "<", "<=", ">", ">=": return 5
                case "[]": return 9
                case "*": return 20
                case "[?": return 21
                case ".": return 40
                case "!": return 45
                case "{": return 50
                case "[": return 55
                case "(": return 60
                default: return 0
                }
            default: return 0
            }
        }

        mutating func expression(_ rbp: Int) throws -> Node {
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw Failure(message: "Query is nested too deeply") }
            let token = current
            advance()
            var left = try nud(token)
            while rbp < QueryParser.bindingPower(current) {
                let t = current
                advance()
                left = try led(t, left)
            }
            return left
        }

        mutating func nud(_ t: Token) throws -> Node {
            switch t.kind {
            case .literal(let v): return .literal(v)
            case .identifier(let name): return .field(name)
            case .quotedIdentifier(let name):
                if isOp(current, "(") { throw Failure(message: "Quoted identifier not allowed for function names.") }
                return .field(name)
            case .op("!"): return .not(try expression(45))
            case .op("*"):
                let right: Node = isOp(current, "]") ? .current : try projectionRHS(20)
                return .valueProjection(.current, right)
            case .op("[?"): return try led(t, .current)
            case .op("{"): return try multiSelectHash()
            case .op("[]"): return .projection(.flatten(.current), try projectionRHS(9))
            case .op("["):
                if case .number = current.kind { return try projectIfSlice(.current, try indexExpression()) }
                if isOp(current, ":") { return try projectIfSlice(.current, try indexExpression()) }
                if isOp(current, "*"), isOp(peek(1), "]") {
                    advance()
                    advance()
                    return .projection(.current, try projectionRHS(20))
                }
                return try multiSelectList()
            case .op("@"): return .current
            case .op("&"): return .expressionReference(try expression(0))
            case .op("("):
                let inner = try expression(0)
                try expect(")")
                return inner
            default:
                throw Failure(message: "Unexpected token: \(t.text.isEmpty ? "end of query" : t.text)")
            }
        }

        mutating func led(_ t: Token, _ left: Node) throws -> Node {
            switch t.kind {
            case .op("."):
                if isOp(current, "*") {
                    advance()
                    return .valueProjection(left, try projectionRHS(40))
                }
                return .subexpression(left, try dotRHS(40))
            case .op("|"): return .pipe(left, try expression(1))
            case .op("||"): return .or(left, try expression(2))
            case .op("&&"): return .and(left, try expression(3))
            case .op("("):
                guard case .field(let name) = left else { throw Failure(message: "Invalid function call") }
                var args: [Node] = []
                while !isOp(current, ")") {
                    args.append(try expression(0))
                    if isOp(current, ",") { advance() } else if !isOp(current, ")") { throw Failure(message: "Expected , or )") }
                }
                advance()
                return .function(name, args)
            case .op("[?"):
                let condition = try expression(0)
                try expect("]")
                let right: Node = isOp(current, "[]") ? .current : try projectionRHS(21)
                return .filterProjection(left, right, condition)
            case .op("[]"):
                return .projection(.flatten(left), try projectionRHS(9))
            case .op(let op) where ["==", "!=", "<", "<=", ">", ">="].contains(op):
                return .comparator(op, left, try expression(5))
            case .op("["):
                if case .number = current.kind { return try projectIfSlice(left, try indexExpression()) }
                if isOp(current, ":") { return try projectIfSlice(left, try indexExpression()) }
                try expect("*")
                try expect("]")
                return .projection(left, try projectionRHS(20))
            default:
                throw Failure(message: "Unexpected token: \(t.text)")
            }
        }

        mutating func indexExpression() throws -> Node {
            if isOp(current, ":") || isOp(peek(1), ":") { return try sliceExpression() }
            guard case .number(let n) = current.kind else { throw Failure(message: "Expected a number") }
            advance()
            try expect("]")
            return .index(n)
        }

        mutating func sliceExpression() throws -> Node {
            var parts: [Int?] = [nil, nil, nil]
            var position = 0
            while !isOp(current, "]") {
                if isOp(current, ":") {
                    position += 1
                    guard position < 3 else { throw Failure(message: "Too many colons in slice expression") }
                    advance()
                } else if case .number(let n) = current.kind {
                    parts[position] = n
                    advance()
                } else {
                    throw Failure(message: "Unexpected token in slice: \(current.text)")
                }
            }
            try expect("]")
            if parts[2] == 0 { throw Failure(message: "Invalid slice, step cannot be 0") }
            return .slice(parts[0], parts[1], parts[2])
        }

        mutating func projectIfSlice(_ left: Node, _ right: Node) throws -> Node {
            let indexed = Node.indexExpression(left, right)
            if case .slice = right { return .projection(indexed, try projectionRHS(20)) }
            return indexed
        }

        mutating func projectionRHS(_ rbp: Int) throws -> Node {
            if QueryParser.bindingPower(current) < 10 { return .current }
            if isOp(current, "[") || isOp(current, "[?") { return try expression(rbp) }
            if isOp(current, ".") {
                advance()
                return try dotRHS(rbp)
            }
            throw Failure(message: "Unexpected token after projection: \(current.text)")
        }

        mutating func dotRHS(_ rbp: Int) throws -> Node {
            switch current.kind {
            case .identifier, .quotedIdentifier, .op("*"): return try expression(rbp)
            case .op("["):
                advance()
                return try multiSelectList()
            case .op("{"):
                advance()
                return try multiSelectHash()
            default:
                throw Failure(message: "Expected identifier, *, [ or { after dot, got: \(current.text)")
            }
        }

        mutating func multiSelectList() throws -> Node {
            var items: [Node] = []
            while !isOp(current, "]") {
                items.append(try expression(0))
                if isOp(current, ",") {
                    advance()
                    if isOp(current, "]") { throw Failure(message: "Unexpected token: ]") }
                }
            }
            advance()
            return .multiSelectList(items)
        }

        mutating func multiSelectHash() throws -> Node {
            var pairs: [(String, Node)] = []
            while true {
                let key: String
                switch current.kind {
                case .identifier(let k), .quotedIdentifier(let k): key = k
                default: throw Failure(message: "Expected key in multi-select hash, got: \(current.text)")
                }
                advance()
                try expect(":")
                pairs.append((key, try expression(0)))
                if isOp(current, ",") {
                    advance()
                } else if isOp(current, "}") {
                    advance()
                    break
                } else {
                    throw Failure(message: "Expected , or } in multi-select hash")
                }
            }
            return .multiSelectHash(pairs)
        }
    }
}
