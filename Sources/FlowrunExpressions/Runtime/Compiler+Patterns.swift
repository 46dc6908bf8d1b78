typealias Bind = @Sendable (Frame, Interpreter, JSValue) throws -> Void

extension Compiler {
    /// Declares every name a binding pattern introduces (`function: true` for `var`).
    func declareNames(in pattern: Pattern, function: Bool) {
        switch pattern {
        case .identifier(let name, _):
            if function { scope.declareInFunction(name) } else { scope.declare(name) }
        case .expression:
            break
        case .object(let members, let rest):
            for member in members { declareNames(in: member.value, function: function) }
            if let rest { declareNames(in: rest, function: function) }
        case .array(let elements, let rest):
            for case let element? in elements { declareNames(in: element, function: function) }
            if let rest { declareNames(in: rest, function: function) }
        case .withDefault(let inner, _):
            declareNames(in: inner, function: function)
        }
    }

    /// Compiles storing a value into a pattern (declaration, parameter or assignment target).
    func compileBinding(_ pattern: Pattern) throws -> Bind {
        switch pattern {
        case .identifier(let name, _):
            if let (hops, slot) = scope.resolve(name) {
                if hops == 0 { return { frame, _, value in frame.slots[slot] = value } }
                return { frame, _, value in frame.ancestor(hops).slots[slot] = value }
            }
            guard Sandbox.isSafeProperty(name), name != "$" else { throw Compiler.security(name) }
            return { _, interp, value in interp.assignedGlobals[name] = value }
        case .expression(let expr):
            guard case .member(let object, let property, _, _) = expr else {
                return { _, interp, _ in throw interp.syntaxError("Invalid assignment target") }
            }
            let o = try compile(object)
            let k = try memberKey(property)
            return { frame, interp, value in
                let target = try o(frame, interp)
                let key = try k(frame, interp)
                try Members.set(target, key, value, interp)
            }
        case .withDefault(let inner, let fallback):
            let bind = try compileBinding(inner)
            let d = try compile(fallback)
            return { frame, interp, value in
                try bind(frame, interp, value.isUndefined ? try d(frame, interp) : value)
            }
        case .object(let members, let rest):
            let parts: [(Eval, Bind, String?)] = try members.map { member in
                var staticKey: String?
                if case .name(let n) = member.key {
                    guard Sandbox.isSafeProperty(n) else {
                        throw Rejection(error: ExpressionError(.security, "Cannot destructure \"\(n)\" due to security concerns"))
                    }
                    staticKey = n
                } else {
                    throw Rejection(error: ExpressionError(.security, "Computed property names in destructuring are not allowed due to security concerns"))
                }
                return (try compileKey(member.key), try compileBinding(member.value), staticKey)
            }
            let restBind = try rest.map { try compileBinding($0) }
            return { frame, interp, value in
                if value.isNullish {
                    throw interp.typeError("Cannot destructure '\(value.toJSString())' as it is \(value.isUndefined ? "undefined" : "null").")
                }
                var used: Set<String> = []
                for (key, bind, _) in parts {
                    let k = try key(frame, interp).toPropertyKey()
                    used.insert(k)
                    try bind(frame, interp, try Members.get(value, k, interp))
                }
                if let restBind {
                    let remaining = JSObject()
                    for (k, v) in Iteration.ownEntries(of: value) where !used.contains(k) { remaining.set(k, v) }
                    try restBind(frame, interp, .object(remaining))
                }
            }
        case .array(let elements, let rest):
            let binds: [Bind?] = try elements.map { element in try element.map { try compileBinding($0) } }
            let restBind = try rest.map { try compileBinding($0) }
            return { frame, interp, value in
                let values = try Iteration.values(of: value, interp)
                for (i, bind) in binds.enumerated() {
                    guard let bind else { continue }
                    try bind(frame, interp, i < values.count ? values[i] : .undefined)
                }
                if let restBind {
                    let remaining = values.count > binds.count ? Array(values[binds.count...]) : []
                    try restBind(frame, interp, .array(JSArray(remaining)))
                }
            }
        }
    }

    func compileAssignment(_ op: String, _ target: Pattern, _ valueExpr: Expr) throws -> Eval {
        let value = try compile(valueExpr)
        if op == "=" {
            let bind = try compileBinding(target)
            return { frame, interp in
                let v = try value(frame, interp)
                try bind(frame, interp, v)
                return v
            }
        }
        let update = try compileModify(target)
        let binaryOp = String(op.dropLast())
        if binaryOp == "&&" || binaryOp == "||" || binaryOp == "??" {
            return { frame, interp in
                try update(frame, interp) { current in
                    let keep: Bool
                    switch binaryOp {
                    case "&&": keep = !current.truthy
                    case "||": keep = current.truthy
                    default: keep = !current.isNullish
                    }
                    if keep { return (current, nil) }
                    let v = try value(frame, interp)
                    return (v, v)
                }
            }
        }
        let operation = try Operators.binary(binaryOp)
        return { frame, interp in
            try update(frame, interp) { current in
                let v = try operation(current, try value(frame, interp), interp)
                return (v, v)
            }
        }
    }

    /// Read-modify-write of a simple target (identifier or member), evaluating object and key
    /// once. The transform returns the expression's result and the value to store (nil: no write).
    typealias Modify = @Sendable (Frame, Interpreter, (JSValue) throws -> (JSValue, JSValue?)) throws -> JSValue

    func compileModify(_ target: Pattern) throws -> Modify {
        switch target {
        case .identifier(let name, _):
            let read = try compileIdentifier(name)
            let write = try compileBinding(target)
            return { frame, interp, transform in
                let (result, stored) = try transform(try read(frame, interp))
                if let stored { try write(frame, interp, stored) }
                return result
            }
        case .expression(let expr):
            guard case .member(let object, let property, _, _) = expr else { throw Rejection(error: ExpressionError(.syntax, "invalid syntax")) }
            let o = try compile(object)
            let k = try memberKey(property)
            return { frame, interp, transform in
                let target = try o(frame, interp)
                let key = try k(frame, interp)
                let (result, stored) = try transform(try Members.get(target, key, interp))
                if let stored { try Members.set(target, key, stored, interp) }
                return result
            }
        default:
            throw Rejection(error: ExpressionError(.syntax, "invalid syntax"))
        }
    }

    func compileUpdate(_ op: String, prefix: Bool, _ targetExpr: Expr) throws -> Eval {
        let target: Pattern
        switch targetExpr {
        case .identifier(let name, let offset): target = .identifier(name, offset: offset)
        default: target = .expression(targetExpr)
        }
        let update = try compileModify(target)
        let delta: Double = op == "++" ? 1 : -1
        return { frame, interp in
            try update(frame, interp) { current in
                let old = current.toNumber(zone: interp.zone)
                let new = old + delta
                return (.number(prefix ? new : old), .number(new))
            }
        }
    }
}
