extension Compiler {
    /// A function body: hoists `var` and function declarations, then runs the statements.
    func compileFunctionBody(_ body: [Stmt]) throws -> Eval {
        hoistVars(body)
        let block = try compileStatements(body, newBlock: false)
        return { frame, interp in
            switch try block(frame, interp) {
            case .returned(let value): return value
            default: return .undefined
            }
        }
    }

    /// Declares every `var` name of a function body (not of nested functions).
    func hoistVars(_ statements: [Stmt]) {
        for statement in statements { hoistVars(statement) }
    }

    func hoistVars(_ statement: Stmt) {
        switch statement {
        case .declaration("var", let list):
            for (pattern, _) in list { declareNames(in: pattern, function: true) }
        case .block(let body): hoistVars(body)
        case .ifElse(_, let a, let b):
            hoistVars(a)
            if let b { hoistVars(b) }
        case .forLoop(let initializer, _, _, let body):
            if let initializer { hoistVars(initializer) }
            hoistVars(body)
        case .forEach(_, let declaration, let pattern, _, let body):
            if declaration == "var" { declareNames(in: pattern, function: true) }
            hoistVars(body)
        case .whileLoop(_, let body), .doWhile(let body, _), .labeled(_, let body):
            hoistVars(body)
        case .tryStatement(let block, _, let handler, let finalizer):
            hoistVars(block)
            if let handler { hoistVars(handler) }
            if let finalizer { hoistVars(finalizer) }
        case .switchStatement(_, let cases):
            for c in cases { hoistVars(c.body) }
        default:
            break
        }
    }

    /// A statement list; `newBlock` gives it its own `let`/`const` scope.
    func compileStatements(_ statements: [Stmt], newBlock: Bool = true) throws -> Exec {
        if newBlock { scope.pushBlock() }
        defer { if newBlock { scope.popBlock() } }
        var functionInits: [Exec] = []
        for statement in statements {
            switch statement {
            case .declaration(let kind, let list) where kind != "var":
                for (pattern, _) in list { declareNames(in: pattern, function: false) }
            case .function(let name, _):
                scope.declare(name)
            default:
                break
            }
        }
        for case .function(let name, let node) in statements {
            let make = try compileFunction(node)
            let bind = try compileBinding(.identifier(name, offset: 0))
            functionInits.append { frame, interp in
                try bind(frame, interp, try make(frame, interp))
                return .normal
            }
        }
        let compiled = try functionInits + statements.compactMap { statement -> Exec? in
            if case .function = statement { return nil }
            return try compileStatement(statement)
        }
        if compiled.count == 1 { return compiled[0] }
        return { frame, interp in
            for exec in compiled {
                let completion = try exec(frame, interp)
                if case .normal = completion { continue }
                return completion
            }
            return .normal
        }
    }

    func compileStatement(_ statement: Stmt, labels: [String] = []) throws -> Exec {
        switch statement {
        case .expression(let expr):
            let e = try compile(expr)
            return { frame, interp in
                try interp.tick()
                _ = try e(frame, interp)
                return .normal
            }
        case .declaration(let kind, let list):
            let parts: [(Bind, Eval?)] = try list.map { pattern, initializer in
                (try compileBinding(pattern), try initializer.map(compile))
            }
            return { frame, interp in
                for (bind, initializer) in parts {
                    if let initializer {
                        try bind(frame, interp, try initializer(frame, interp))
                    } else if kind != "var" {
                        try bind(frame, interp, .undefined)
                    }
                }
                return .normal
            }
        case .function:
            return { _, _ in .normal }
        case .block(let body):
            return try compileStatements(body)
        case .empty:
            return { _, _ in .normal }
        case .ifElse(let test, let yes, let no):
            let t = try compile(test)
            let y = try compileStatement(yes)
            let n = try no.map { try compileStatement($0) }
            return { frame, interp in
                if try t(frame, interp).truthy { return try y(frame, interp) }
                return try n?(frame, interp) ?? .normal
            }
        case .forLoop(let initializer, let test, let update, let body):
            return try compileFor(initializer, test, update, body, labels: labels)
        case .forEach(let ofLoop, let declaration, let pattern, let collection, let body):
            let source = try compile(collection)
            // `let`/`const` loop variables are fresh per iteration (closures capture each one):
            // the loop body gets a frame of its own, made anew each time round.
            let perIteration = declaration != nil && declaration != "var"
            let outer = scope
            if perIteration { scope = CompileScope(parent: outer) } else { scope.pushBlock() }
            defer { if perIteration { scope = outer } else { scope.popBlock() } }
            if perIteration { declareNames(in: pattern, function: false) }
            let bind = try compileBinding(pattern)
            let b = try compileStatement(body)
            let slots = scope.slotCount
            return { frame, interp in
                let value = try source(frame, interp)
                let items: [JSValue]
                if ofLoop {
                    items = try Iteration.values(of: value, interp)
                } else {
                    items = Iteration.keys(of: value).map(JSValue.string)
                }
                for item in items {
                    try interp.tick()
                    let iterationFrame = perIteration ? Frame(count: slots, parent: frame) : frame
                    try bind(iterationFrame, interp, item)
                    switch try b(iterationFrame, interp) {
                    case .normal: continue
                    case .returned(let v): return .returned(v)
                    case .breakLoop(let label):
                        if label == nil || labels.contains(label!) { return .normal }
                        return .breakLoop(label)
                    case .continueLoop(let label):
                        if label == nil || labels.contains(label!) { continue }
                        return .continueLoop(label)
                    }
                }
                return .normal
            }
        case .whileLoop(let test, let body):
            return try compileFor(nil, test, nil, body, labels: labels)
        case .doWhile(let body, let test):
            let t = try compile(test)
            let b = try compileStatement(body)
            return { frame, interp in
                repeat {
                    try interp.tick()
                    switch try b(frame, interp) {
                    case .normal: break
                    case .returned(let v): return .returned(v)
                    case .breakLoop(let label):
                        if label == nil || labels.contains(label!) { return .normal }
                        return .breakLoop(label)
                    case .continueLoop(let label):
                        if label != nil && !labels.contains(label!) { return .continueLoop(label) }
                    }
                } while try t(frame, interp).truthy
                return .normal
            }
        case .returnStatement(let value):
            guard let value else { return { _, _ in .returned(.undefined) } }
            let v = try compile(value)
            return { frame, interp in .returned(try v(frame, interp)) }
        case .breakStatement(let label):
            return { _, _ in .breakLoop(label) }
        case .continueStatement(let label):
            return { _, _ in .continueLoop(label) }
        case .throwStatement(let value):
            let v = try compile(value)
            return { frame, interp in throw JSThrow(value: try v(frame, interp)) }
        case .tryStatement(let block, let parameter, let handler, let finalizer):
            return try compileTry(block, parameter, handler, finalizer)
        case .switchStatement(let discriminant, let cases):
            return try compileSwitch(discriminant, cases, labels: labels)
        case .withStatement:
            throw Rejection(error: ExpressionError(.security, "Cannot use \"with\" statements due to security concerns"))
        case .labeled(let label, let body):
            let inner = try compileStatement(body, labels: labels + [label])
            return { frame, interp in
                let completion = try inner(frame, interp)
                if case .breakLoop(let l) = completion, l == label { return .normal }
                return completion
            }
        }
    }

    func compileFor(_ initializer: Stmt?, _ test: Expr?, _ update: Expr?, _ body: Stmt, labels: [String]) throws -> Exec {
        let perIteration: Bool
        if case .declaration(let kind, _)? = initializer, kind != "var" { perIteration = true } else { perIteration = false }
        let outer = scope
        if perIteration { scope = CompileScope(parent: outer) } else { scope.pushBlock() }
        defer { if perIteration { scope = outer } else { scope.popBlock() } }
        if case .declaration(let kind, let list)? = initializer, kind != "var" {
            for (pattern, _) in list { declareNames(in: pattern, function: false) }
        }
        let i = try initializer.map { try compileStatement($0) }
        let t = try test.map(compile)
        let u = try update.map(compile)
        let b = try compileStatement(body)
        let slots = scope.slotCount
        return { frame, interp in
            // With `let` bindings each iteration runs in a copy of the previous iteration's frame.
            var current = perIteration ? Frame(count: slots, parent: frame) : frame
            _ = try i?(current, interp)
            while try t?(current, interp).truthy ?? true {
                try interp.tick()
                switch try b(current, interp) {
                case .normal: break
                case .returned(let v): return .returned(v)
                case .breakLoop(let label):
                    if label == nil || labels.contains(label!) { return .normal }
                    return .breakLoop(label)
                case .continueLoop(let label):
                    if label != nil && !labels.contains(label!) { return .continueLoop(label) }
                }
                if perIteration {
                    let next = Frame(count: slots, parent: frame)
                    next.slots = current.slots
                    current = next
                }
                _ = try u?(current, interp)
            }
            return .normal
        }
    }

    func compileTry(_ block: [Stmt], _ parameter: Pattern?, _ handler: [Stmt]?, _ finalizer: [Stmt]?) throws -> Exec {
        let body = try compileStatements(block)
        var catchBody: Exec?
        var bind: Bind?
        if let handler {
            scope.pushBlock()
            if let parameter {
                declareNames(in: parameter, function: false)
                bind = try compileBinding(parameter)
            }
            catchBody = try compileStatements(handler)
            scope.popBlock()
        }
        let finallyBody = try finalizer.map { try compileStatements($0) }
        return { [bind, catchBody] frame, interp in
            var completion: Completion = .normal
            do {
                completion = try body(frame, interp)
            } catch {
                guard let catchBody, let thrown = Compiler.catchable(error) else {
                    if let finallyBody { _ = try finallyBody(frame, interp) }
                    throw error
                }
                do {
                    try bind?(frame, interp, thrown)
                    completion = try catchBody(frame, interp)
                } catch {
                    if let finallyBody { _ = try finallyBody(frame, interp) }
                    throw error
                }
            }
            if let finallyBody {
                let f = try finallyBody(frame, interp)
                if case .normal = f { return completion }
                return f
            }
            return completion
        }
    }

    /// The value a `catch` sees for a Swift error, or nil when the error must not be caught
    /// (budget exhaustion and sandbox violations end the evaluation).
    static func catchable(_ error: any Error) -> JSValue? {
        if let thrown = error as? JSThrow { return thrown.value }
        if let failure = error as? ExpressionError {
            if failure.code == .budget || failure.code == .security { return nil }
            return .object(JSObject.makeError("Error", failure.message))
        }
        return nil
    }

    func compileSwitch(_ discriminant: Expr, _ cases: [(test: Expr?, body: [Stmt])], labels: [String]) throws -> Exec {
        let d = try compile(discriminant)
        scope.pushBlock()
        defer { scope.popBlock() }
        for c in cases {
            for case .declaration(let kind, let list) in c.body where kind != "var" {
                for (pattern, _) in list { declareNames(in: pattern, function: false) }
            }
        }
        let compiled: [(Eval?, Exec)] = try cases.map { c in
            (try c.test.map(compile), try compileStatements(c.body, newBlock: false))
        }
        return { frame, interp in
            let value = try d(frame, interp)
            var start: Int?
            for (i, (test, _)) in compiled.enumerated() {
                if let test, try test(frame, interp).strictEquals(value) {
                    start = i
                    break
                }
            }
            if start == nil { start = compiled.firstIndex { $0.0 == nil } }
            guard let first = start else { return .normal }
            for (_, body) in compiled[first...] {
                switch try body(frame, interp) {
                case .normal: continue
                case .breakLoop(let label):
                    if label == nil || labels.contains(label!) { return .normal }
                    return .breakLoop(label)
                case let other: return other
                }
            }
            return .normal
        }
    }
}
