extension Parser {
    mutating func parseStatement() throws(Failure) -> Stmt {
        try enter()
        defer { depth -= 1 }
        let t = current
        switch t.kind {
        case .punct("{"):
            return .block(try parseBlock())
        case .punct(";"):
            _ = advance()
            return .empty
        case .keyword("var"), .keyword("const"):
            return try parseDeclarationStatement()
        case .keyword("let") where isLetDeclaration():
            return try parseDeclarationStatement()
        case .keyword("function"):
            let function = try parseFunction(isExpression: false)
            return .function(function.name ?? "", function)
        case .keyword("if"):
            _ = advance()
            try expectPunct("(")
            let test = try parseExpression()
            try expectPunct(")")
            let consequent = try parseStatement()
            var alternate: Stmt?
            if current.isKeyword("else") {
                _ = advance()
                alternate = try parseStatement()
            }
            return .ifElse(test, consequent, alternate)
        case .keyword("for"):
            return try parseFor()
        case .keyword("while"):
            _ = advance()
            try expectPunct("(")
            let test = try parseExpression()
            try expectPunct(")")
            return .whileLoop(test, try parseStatement())
        case .keyword("do"):
            _ = advance()
            let body = try parseStatement()
            guard current.isKeyword("while") else { throw unexpected() }
            _ = advance()
            try expectPunct("(")
            let test = try parseExpression()
            try expectPunct(")")
            _ = eatPunct(";")
            return .doWhile(body, test)
        case .keyword("return"):
            _ = advance()
            if current.isPunct(";") || current.isPunct("}") || current.isEOF || current.newlineBefore {
                _ = eatPunct(";")
                return .returnStatement(nil)
            }
            let value = try parseExpression()
            try consumeSemicolon()
            return .returnStatement(value)
        case .keyword("break"), .keyword("continue"):
            _ = advance()
            var label: String?
            if case .identifier(let name) = current.kind, !current.newlineBefore {
                _ = advance()
                label = name
            }
            try consumeSemicolon()
            return t.isKeyword("break") ? .breakStatement(label) : .continueStatement(label)
        case .keyword("throw"):
            _ = advance()
            if current.newlineBefore { throw Failure(message: "Illegal newline after throw", offset: current.offset) }
            let value = try parseExpression()
            try consumeSemicolon()
            return .throwStatement(value)
        case .keyword("try"):
            return try parseTry()
        case .keyword("switch"):
            return try parseSwitch()
        case .keyword("with"):
            _ = advance()
            try expectPunct("(")
            _ = try parseExpression()
            try expectPunct(")")
            _ = try parseStatement()
            return .withStatement
        case .keyword("class"), .keyword("import"), .keyword("export"):
            throw Failure(message: "\(t.display) is not supported in expressions", offset: t.offset)
        case .keyword("debugger"):
            _ = advance()
            try consumeSemicolon()
            return .empty
        case .identifier(let label) where peek().isPunct(":"):
            _ = advance()
            _ = advance()
            return .labeled(label, try parseStatement())
        default:
            let expr = try parseExpression()
            try consumeSemicolon()
            return .expression(expr)
        }
    }

    func isLetDeclaration() -> Bool {
        let next = peek()
        if case .identifier = next.kind { return true }
        return next.isPunct("[") || next.isPunct("{") || (next.isKeyword("of") || next.isKeyword("let") || next.isKeyword("async"))
    }

    mutating func parseBlock() throws(Failure) -> [Stmt] {
        try expectPunct("{")
        var body: [Stmt] = []
        while !current.isPunct("}") {
            if current.isEOF { throw unexpected() }
            body.append(try parseStatement())
        }
        _ = advance()
        return body
    }

    mutating func parseDeclarations(noIn: Bool) throws(Failure) -> Stmt {
        guard case .keyword(let kind) = advance().kind else { throw unexpected() }
        var declarations: [(Pattern, Expr?)] = []
        repeat {
            let target = try parseBindingTarget()
            var initializer: Expr?
            if eatPunct("=") { initializer = try parseAssignment(noIn: noIn) }
            declarations.append((target, initializer))
        } while eatPunct(",")
        return .declaration(kind: kind, declarations)
    }

    mutating func parseDeclarationStatement() throws(Failure) -> Stmt {
        let declaration = try parseDeclarations(noIn: false)
        if case .declaration(let kind, let list) = declaration, kind == "const" {
            for (pattern, initializer) in list where initializer == nil {
                _ = pattern
                throw Failure(message: "Missing initializer in const declaration", offset: current.offset)
            }
        }
        try consumeSemicolon()
        return declaration
    }

    mutating func parseFor() throws(Failure) -> Stmt {
        _ = advance()
        if current.isKeyword("await") { throw Failure(message: "for await is not supported in expressions", offset: current.offset) }
        try expectPunct("(")
        var initializer: Stmt?
        if current.isKeyword("var") || current.isKeyword("const") || (current.isKeyword("let") && isLetDeclaration()) {
            guard case .keyword(let kind) = current.kind else { throw unexpected() }
            let save = index
            _ = advance()
            let target = try parseBindingTarget()
            if current.isKeyword("of") || current.isKeyword("in") {
                let isOf = advance().isKeyword("of")
                let collection = isOf ? try parseAssignment() : try parseExpression()
                try expectPunct(")")
                return .forEach(ofLoop: isOf, declaration: kind, target, collection, body: try parseStatement())
            }
            index = save
            initializer = try parseDeclarations(noIn: true)
        } else if !current.isPunct(";") {
            let start = current
            let expr = try parseExpression(noIn: true)
            if current.isKeyword("of") || current.isKeyword("in") {
                let isOf = advance().isKeyword("of")
                let target = try toPattern(expr, at: start)
                let collection = isOf ? try parseAssignment() : try parseExpression()
                try expectPunct(")")
                return .forEach(ofLoop: isOf, declaration: nil, target, collection, body: try parseStatement())
            }
            initializer = .expression(expr)
        }
        try expectPunct(";")
        let test = current.isPunct(";") ? nil : try parseExpression()
        try expectPunct(";")
        let update = current.isPunct(")") ? nil : try parseExpression()
        try expectPunct(")")
        return .forLoop(initializer: initializer, test: test, update: update, body: try parseStatement())
    }

    mutating func parseTry() throws(Failure) -> Stmt {
        _ = advance()
        let block = try parseBlock()
        var parameter: Pattern?
        var handler: [Stmt]?
        var finalizer: [Stmt]?
        if current.isKeyword("catch") {
            _ = advance()
            if eatPunct("(") {
                parameter = try parseBindingTarget()
                try expectPunct(")")
            }
            handler = try parseBlock()
        }
        if current.isKeyword("finally") {
            _ = advance()
            finalizer = try parseBlock()
        }
        if handler == nil && finalizer == nil { throw Failure(message: "Missing catch or finally after try", offset: current.offset) }
        return .tryStatement(block: block, parameter: parameter, handler: handler, finalizer: finalizer)
    }

    mutating func parseSwitch() throws(Failure) -> Stmt {
        _ = advance()
        try expectPunct("(")
        let discriminant = try parseExpression()
        try expectPunct(")")
        try expectPunct("{")
        var cases: [(test: Expr?, body: [Stmt])] = []
        while !current.isPunct("}") {
            var test: Expr?
            if current.isKeyword("case") {
                _ = advance()
                test = try parseExpression()
            } else if current.isKeyword("default") {
                _ = advance()
            } else {
                throw unexpected()
            }
            try expectPunct(":")
            var body: [Stmt] = []
            while !current.isKeyword("case") && !current.isKeyword("default") && !current.isPunct("}") {
                if current.isEOF { throw unexpected() }
                body.append(try parseStatement())
            }
            cases.append((test, body))
        }
        _ = advance()
        return .switchStatement(discriminant, cases)
    }
}
