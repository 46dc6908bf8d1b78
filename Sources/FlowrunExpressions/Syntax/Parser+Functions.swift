extension Parser {
    /// An arrow function starting here (`x => …`, `(a, b) => …`), or nil.
    mutating func parseArrowIfPresent() throws(Failure) -> Expr? {
        let t = current
        if case .identifier(let name) = t.kind, peek().isPunct("=>"), !peek().newlineBefore {
            _ = advance()
            _ = advance()
            return .function(try parseArrowBody(parameters: [.identifier(name, offset: t.offset)], rest: nil))
        }
        guard t.isPunct("("), let close = matchingParen(from: index), tokens[close + 1].isPunct("=>") else { return nil }
        _ = advance()
        var parameters: [Pattern] = []
        var rest: Pattern?
        while !current.isPunct(")") {
            if eatPunct("...") {
                rest = try parseBindingTarget()
                break
            }
            parameters.append(try parseBindingElement())
            if !current.isPunct(")") { try expectPunct(",") }
        }
        try expectPunct(")")
        try expectPunct("=>")
        return .function(try parseArrowBody(parameters: parameters, rest: rest))
    }

    /// Index of the `)` matching the `(` at `start`, or nil.
    func matchingParen(from start: Int) -> Int? {
        var depth = 0
        var i = start
        while i < tokens.count - 1 {
            if case .punct(let p) = tokens[i].kind {
                if p == "(" || p == "[" || p == "{" { depth += 1 }
                if p == ")" || p == "]" || p == "}" {
                    depth -= 1
                    if depth == 0 { return p == ")" ? i : nil }
                }
            }
            i += 1
        }
        return nil
    }

    mutating func parseArrowBody(parameters: [Pattern], rest: Pattern?) throws(Failure) -> FunctionNode {
        if current.isPunct("{") {
            let body = try parseFunctionBody()
            return FunctionNode(name: nil, parameters: parameters, rest: rest, body: body, isArrow: true)
        }
        let expr = try parseAssignment()
        return FunctionNode(name: nil, parameters: parameters, rest: rest, body: [.returnStatement(expr)], isArrow: true)
    }

    /// `function name?(params) { body }`, starting at `function`.
    mutating func parseFunction(isExpression: Bool) throws(Failure) -> FunctionNode {
        _ = advance()
        if current.isPunct("*") { throw Failure(message: "Generators are not supported in expressions", offset: current.offset) }
        var name: String?
        if !current.isPunct("(") {
            name = try bindingIdentifier().0
        } else if !isExpression {
            throw unexpected()
        }
        return try parseFunctionRest(name: name, isArrow: false)
    }

    /// `(params) { body }`.
    mutating func parseFunctionRest(name: String?, isArrow: Bool) throws(Failure) -> FunctionNode {
        try expectPunct("(")
        var parameters: [Pattern] = []
        var rest: Pattern?
        while !current.isPunct(")") {
            if eatPunct("...") {
                rest = try parseBindingTarget()
                break
            }
            parameters.append(try parseBindingElement())
            if !current.isPunct(")") { try expectPunct(",") }
        }
        try expectPunct(")")
        let body = try parseFunctionBody()
        return FunctionNode(name: name, parameters: parameters, rest: rest, body: body, isArrow: isArrow)
    }

    mutating func parseFunctionBody() throws(Failure) -> [Stmt] {
        try expectPunct("{")
        var body: [Stmt] = []
        while !current.isPunct("}") {
            if current.isEOF { throw unexpected() }
            body.append(try parseStatement())
        }
        _ = advance()
        return body
    }

    // MARK: Patterns

    /// A binding target with an optional default: `a = 1`, `{ x } = {}`.
    mutating func parseBindingElement() throws(Failure) -> Pattern {
        let target = try parseBindingTarget()
        if eatPunct("=") {
            return .withDefault(target, try parseAssignment())
        }
        return target
    }

    /// An identifier, object pattern or array pattern.
    mutating func parseBindingTarget() throws(Failure) -> Pattern {
        try enter()
        defer { depth -= 1 }
        if current.isPunct("{") {
            _ = advance()
            var members: [(key: PropertyKey, value: Pattern)] = []
            var rest: Pattern?
            while !current.isPunct("}") {
                if eatPunct("...") {
                    let (name, offset) = try bindingIdentifier()
                    rest = .identifier(name, offset: offset)
                    break
                }
                let keyToken = current
                let key = try parsePropertyKey()
                if eatPunct(":") {
                    members.append((key, try parseBindingElement()))
                } else if case .name(let name) = key {
                    guard case .identifier = keyToken.kind else { throw unexpected(keyToken) }
                    var value = Pattern.identifier(name, offset: keyToken.offset)
                    if eatPunct("=") { value = .withDefault(value, try parseAssignment()) }
                    members.append((key, value))
                } else {
                    throw unexpected()
                }
                if !current.isPunct("}") { try expectPunct(",") }
            }
            try expectPunct("}")
            return .object(members, rest: rest)
        }
        if current.isPunct("[") {
            _ = advance()
            var elements: [Pattern?] = []
            var rest: Pattern?
            while !current.isPunct("]") {
                if current.isPunct(",") {
                    _ = advance()
                    elements.append(nil)
                    continue
                }
                if eatPunct("...") {
                    rest = try parseBindingTarget()
                    break
                }
                elements.append(try parseBindingElement())
                if !current.isPunct("]") { try expectPunct(",") }
            }
            try expectPunct("]")
            return .array(elements, rest: rest)
        }
        let (name, offset) = try bindingIdentifier()
        return .identifier(name, offset: offset)
    }

    /// Reinterprets an expression as an assignment target (`[a, b] = …`, `({ x } = …)`).
    func toPattern(_ expr: Expr, at token: Token) throws(Failure) -> Pattern {
        switch expr {
        case .identifier(let name, let offset):
            return .identifier(name, offset: offset)
        case .member:
            return .expression(expr)
        case .assign("=", let target, let value):
            return .withDefault(target, value)
        case .array(let elements):
            var patterns: [Pattern?] = []
            var rest: Pattern?
            for (i, element) in elements.enumerated() {
                guard let element else { patterns.append(nil); continue }
                if case .spread(let inner) = element {
                    guard i == elements.count - 1 else { throw Failure(message: "Rest element must be last element", offset: token.offset) }
                    rest = try toPattern(inner, at: token)
                } else {
                    patterns.append(try toPattern(element, at: token))
                }
            }
            return .array(patterns, rest: rest)
        case .object(let properties):
            var members: [(key: PropertyKey, value: Pattern)] = []
            var rest: Pattern?
            for property in properties {
                switch property {
                case .keyValue(let key, let value): members.append((key, try toPattern(value, at: token)))
                case .spread(let inner): rest = try toPattern(inner, at: token)
                default: throw Failure(message: "Invalid destructuring assignment target", offset: token.offset)
                }
            }
            return .object(members, rest: rest)
        default:
            throw Failure(message: "Invalid left-hand side in assignment", offset: token.offset)
        }
    }
}
