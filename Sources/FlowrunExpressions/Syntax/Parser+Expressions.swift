extension Parser {
    static let binaryPrecedence: [String: Int] = [
        "??": 4, "||": 5, "&&": 6, "|": 7, "^": 8, "&": 9,
        "==": 10, "!=": 10, "===": 10, "!==": 10,
        "<": 11, ">": 11, "<=": 11, ">=": 11, "instanceof": 11, "in": 11,
        "<<": 12, ">>": 12, ">>>": 12, "+": 13, "-": 13, "*": 14, "/": 14, "%": 14, "**": 15,
    ]
    static let assignmentOperators: Set<String> = [
        "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??=",
    ]

    /// Expression with the comma operator.
    mutating func parseExpression(noIn: Bool = false) throws(Failure) -> Expr {
        let first = try parseAssignment(noIn: noIn)
        guard current.isPunct(",") else { return first }
        var list = [first]
        while eatPunct(",") {
            list.append(try parseAssignment(noIn: noIn))
        }
        return .sequence(list)
    }

    mutating func parseAssignment(noIn: Bool = false) throws(Failure) -> Expr {
        try enter()
        defer { depth -= 1 }
        if let arrow = try parseArrowIfPresent() { return arrow }
        if current.isKeyword("async") {
            let next = peek()
            if !next.newlineBefore, next.isKeyword("function") || next.isPunct("(") || { if case .identifier = next.kind { return true } else { return false } }() {
                throw Failure(message: "async functions are not supported in expressions", offset: current.offset)
            }
        }
        let startToken = current
        let left = try parseConditional(noIn: noIn)
        if case .punct(let op) = current.kind, Parser.assignmentOperators.contains(op) {
            _ = advance()
            let target: Pattern
            if op == "=" {
                target = try toPattern(left, at: startToken)
            } else {
                switch left {
                case .identifier(let name, let offset): target = .identifier(name, offset: offset)
                case .member: target = .expression(left)
                default: throw Failure(message: "Invalid left-hand side in assignment", offset: startToken.offset)
                }
            }
            let value = try parseAssignment(noIn: noIn)
            return .assign(op, target: target, value: value)
        }
        return left
    }

    mutating func parseConditional(noIn: Bool) throws(Failure) -> Expr {
        let test = try parseBinary(minPrecedence: 4, noIn: noIn)
        guard eatPunct("?") else { return test }
        let consequent = try parseAssignment()
        try expectPunct(":")
        let alternate = try parseAssignment(noIn: noIn)
        return .conditional(test, consequent, alternate)
    }

    func binaryOperator(noIn: Bool) -> (String, Int)? {
        switch current.kind {
        case .punct(let p):
            guard let prec = Parser.binaryPrecedence[p] else { return nil }
            return (p, prec)
        case .keyword(let k) where k == "instanceof" || (k == "in" && !noIn):
            return (k, 11)
        default:
            return nil
        }
    }

    mutating func parseBinary(minPrecedence: Int, noIn: Bool) throws(Failure) -> Expr {
        try enter()
        defer { depth -= 1 }
        var left = try parseUnary()
        while let (op, prec) = binaryOperator(noIn: noIn), prec >= minPrecedence {
            _ = advance()
            // `**` is right-associative; everything else left.
            let right = try parseBinary(minPrecedence: op == "**" ? prec : prec + 1, noIn: noIn)
            if op == "&&" || op == "||" || op == "??" {
                left = .logical(op, left, right)
            } else {
                left = .binary(op, left, right)
            }
        }
        return left
    }

    mutating func parseUnary() throws(Failure) -> Expr {
        try enter()
        defer { depth -= 1 }
        let t = current
        switch t.kind {
        case .punct(let p) where p == "!" || p == "-" || p == "+" || p == "~":
            _ = advance()
            let operand = try parseUnary()
            if current.isPunct("**") { throw Failure(message: "Unary operator used immediately before exponentiation expression", offset: current.offset) }
            return .unary(p, operand)
        case .punct(let p) where p == "++" || p == "--":
            _ = advance()
            let start = current
            let operand = try parseUnary()
            return .update(p, prefix: true, try simpleTarget(operand, at: start))
        case .keyword(let k) where k == "typeof" || k == "void" || k == "delete":
            _ = advance()
            return .unary(k, try parseUnary())
        case .keyword("await"):
            throw Failure(message: "await is not supported in expressions", offset: t.offset)
        default:
            break
        }
        let start = current
        let expr = try parseLeftHandSide()
        if case .punct(let p) = current.kind, p == "++" || p == "--", !current.newlineBefore {
            _ = advance()
            return .update(p, prefix: false, try simpleTarget(expr, at: start))
        }
        return expr
    }

    func simpleTarget(_ expr: Expr, at token: Token) throws(Failure) -> Expr {
        switch expr {
        case .identifier, .member: return expr
        default: throw Failure(message: "Invalid left-hand side expression in postfix operation", offset: token.offset)
        }
    }

    /// Member accesses, calls, `new`, optional chains.
    mutating func parseLeftHandSide() throws(Failure) -> Expr {
        var expr: Expr
        if current.isKeyword("new") {
            let newToken = advance()
            if current.isPunct(".") {
                throw Failure(message: "new.target is not supported", offset: current.offset)
            }
            var callee = try parsePrimary()
            while true {
                if eatPunct(".") {
                    let offset = current.offset
                    callee = .member(object: callee, property: .name(try identifierName()), optional: false, offset: offset)
                } else if current.isPunct("[") {
                    let offset = advance().offset
                    let key = try parseExpression()
                    try expectPunct("]")
                    callee = .member(object: callee, property: .computed(key), optional: false, offset: offset)
                } else {
                    break
                }
            }
            let arguments = current.isPunct("(") ? try parseArguments() : []
            expr = .new(callee: callee, arguments: arguments, offset: newToken.offset)
        } else {
            expr = try parsePrimary()
        }
        var optionalSeen = false
        while true {
            let t = current
            if t.isPunct(".") {
                _ = advance()
                if current.isPunct("#") { throw Failure(message: "Private fields are not supported", offset: current.offset) }
                let offset = current.offset
                expr = .member(object: expr, property: .name(try identifierName()), optional: false, offset: offset)
            } else if t.isPunct("?.") {
                _ = advance()
                optionalSeen = true
                if current.isPunct("(") {
                    expr = .call(callee: expr, arguments: try parseArguments(), optional: true, offset: t.offset)
                } else if current.isPunct("[") {
                    _ = advance()
                    let key = try parseExpression()
                    try expectPunct("]")
                    expr = .member(object: expr, property: .computed(key), optional: true, offset: t.offset)
                } else {
                    let offset = current.offset
                    expr = .member(object: expr, property: .name(try identifierName()), optional: true, offset: offset)
                }
            } else if t.isPunct("[") {
                _ = advance()
                let key = try parseExpression()
                try expectPunct("]")
                expr = .member(object: expr, property: .computed(key), optional: false, offset: t.offset)
            } else if t.isPunct("(") {
                expr = .call(callee: expr, arguments: try parseArguments(), optional: false, offset: t.offset)
            } else if case .template(let quasis, let sources) = t.kind {
                if optionalSeen { throw Failure(message: "Invalid tagged template on optional chain", offset: t.offset) }
                _ = advance()
                expr = .taggedTemplate(tag: expr, quasis: quasis, expressions: try parseTemplateExpressions(sources))
            } else {
                break
            }
        }
        return optionalSeen ? .optionalChain(expr) : expr
    }

    mutating func parseArguments() throws(Failure) -> [Expr] {
        try expectPunct("(")
        var arguments: [Expr] = []
        while !current.isPunct(")") {
            if eatPunct("...") {
                arguments.append(.spread(try parseAssignment()))
            } else {
                arguments.append(try parseAssignment())
            }
            if !current.isPunct(")") { try expectPunct(",") }
        }
        _ = advance()
        return arguments
    }

    func parseTemplateExpressions(_ sources: [(String, Int)]) throws(Failure) -> [Expr] {
        var result: [Expr] = []
        for (source, offset) in sources {
            var sub = try Parser(source: source, baseOffset: baseOffset + offset)
            sub.depth = depth
            result.append(try sub.parseStandaloneExpression())
        }
        return result
    }

    mutating func parsePrimary() throws(Failure) -> Expr {
        let t = current
        switch t.kind {
        case .number(let n):
            _ = advance()
            return .number(n)
        case .string(let s):
            _ = advance()
            return .string(s)
        case .template(let quasis, let sources):
            _ = advance()
            return .template(quasis: quasis, expressions: try parseTemplateExpressions(sources))
        case .regex(let pattern, let flags):
            _ = advance()
            return .regex(pattern: pattern, flags: flags)
        case .identifier(let name):
            _ = advance()
            return .identifier(name, offset: t.offset)
        case .keyword(let k):
            switch k {
            case "true": _ = advance(); return .boolean(true)
            case "false": _ = advance(); return .boolean(false)
            case "null": _ = advance(); return .null
            case "this": _ = advance(); return .this
            case "function": return .function(try parseFunction(isExpression: true))
            case "class": throw Failure(message: "Classes are not supported in expressions", offset: t.offset)
            case "of", "let", "async", "yield":
                _ = advance()
                return .identifier(k, offset: t.offset)
            default: throw unexpected()
            }
        case .punct("("):
            _ = advance()
            let inner = try parseExpression()
            try expectPunct(")")
            return inner
        case .punct("["):
            return try parseArrayLiteral()
        case .punct("{"):
            return try parseObjectLiteral()
        default:
            throw unexpected()
        }
    }

    mutating func parseArrayLiteral() throws(Failure) -> Expr {
        try expectPunct("[")
        var elements: [Expr?] = []
        while !current.isPunct("]") {
            if current.isPunct(",") {
                _ = advance()
                elements.append(nil)
                continue
            }
            if eatPunct("...") {
                elements.append(.spread(try parseAssignment()))
            } else {
                elements.append(try parseAssignment())
            }
            if !current.isPunct("]") { try expectPunct(",") }
        }
        _ = advance()
        return .array(elements)
    }

    mutating func parsePropertyKey() throws(Failure) -> PropertyKey {
        let t = current
        switch t.kind {
        case .identifier(let n), .keyword(let n):
            _ = advance()
            return .name(n)
        case .string(let s):
            _ = advance()
            return .name(s)
        case .number(let n):
            _ = advance()
            return .name(JSNumberFormatting.string(n))
        case .punct("["):
            _ = advance()
            let key = try parseAssignment()
            try expectPunct("]")
            return .computed(key)
        default:
            throw unexpected()
        }
    }

    mutating func parseObjectLiteral() throws(Failure) -> Expr {
        try expectPunct("{")
        var properties: [Property] = []
        while !current.isPunct("}") {
            if eatPunct("...") {
                properties.append(.spread(try parseAssignment()))
            } else {
                let keyToken = current
                if case .identifier(let accessor) = keyToken.kind, accessor == "get" || accessor == "set",
                   !peek().isPunct(":"), !peek().isPunct("("), !peek().isPunct(","), !peek().isPunct("}") {
                    throw Failure(message: "Getters and setters are not supported in expressions", offset: keyToken.offset)
                }
                if keyToken.isKeyword("async") && !peek().isPunct(":") && !peek().isPunct(",") && !peek().isPunct("}") && !peek().isPunct("(") {
                    throw Failure(message: "async functions are not supported in expressions", offset: keyToken.offset)
                }
                let key = try parsePropertyKey()
                if eatPunct(":") {
                    properties.append(.keyValue(key: key, value: try parseAssignment()))
                } else if current.isPunct("(") {
                    let name: String? = { if case .name(let n) = key { return n } else { return nil } }()
                    let function = try parseFunctionRest(name: name, isArrow: false)
                    properties.append(.keyValue(key: key, value: .function(function)))
                } else if case .name(let name) = key, case .identifier = keyToken.kind {
                    if current.isPunct("=") {
                        // Shorthand with default: only valid as a destructuring pattern.
                        _ = advance()
                        let value = try parseAssignment()
                        properties.append(.keyValue(key: key, value: .assign("=", target: .identifier(name, offset: keyToken.offset), value: value)))
                    } else {
                        properties.append(.keyValue(key: key, value: .identifier(name, offset: keyToken.offset)))
                    }
                } else {
                    throw unexpected()
                }
            }
            if !current.isPunct("}") { try expectPunct(",") }
        }
        _ = advance()
        return .object(properties)
    }
}
