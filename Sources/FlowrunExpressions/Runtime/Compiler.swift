/// Turns a block's syntax tree into closures, resolving local names to frame slots and free names
/// to globals once, at load time.
final class Compiler {
    var scope: CompileScope
    /// Node names referenced statically (`$('X')`, `$node["X"]`, `$items("X")`).
    var referencedNodes: [String] = []

    init() {
        scope = CompileScope(parent: nil)
    }

    /// A rule of n8n's sandbox or syntax rewriting broken at compile time; raised when the
    /// expression is evaluated, as n8n does.
    struct Rejection: Error {
        var error: ExpressionError
    }

    static func security(_ name: String) -> Rejection {
        Rejection(error: ExpressionError(.security, "Cannot access \"\(name)\" due to security concerns"))
    }

    func compile(_ expr: Expr) throws -> Eval {
        switch expr {
        case .number(let n):
            let v = JSValue.number(n)
            return { _, _ in v }
        case .string(let s):
            let v = JSValue.string(s)
            return { _, _ in v }
        case .boolean(let b):
            let v = JSValue.bool(b)
            return { _, _ in v }
        case .null:
            return { _, _ in .null }
        case .this:
            // n8n replaces `this` with `{ process: {} }`.
            return { _, _ in .object(JSObject(["process": .object(JSObject())])) }
        case .template(let quasis, let expressions):
            let parts = try expressions.map(compile)
            return { frame, interp in
                var out = quasis[0]
                for (i, part) in parts.enumerated() {
                    let value = try part(frame, interp)
                    out += try Operators.templateString(value, interp)
                    out += quasis[i + 1]
                }
                try interp.allocate(out.utf8.count / 4)
                return .string(out)
            }
        case .taggedTemplate:
            return { _, interp in throw interp.typeError("Tagged templates are not supported") }
        case .regex(let pattern, let flags):
            do {
                _ = try RegExpEngine.compile(pattern, flags: flags)
            } catch {
                throw Rejection(error: ExpressionError(.syntax, "invalid syntax: Invalid regular expression: /\(pattern)/\(flags)"))
            }
            return { _, _ in .regex(JSRegExp(source: pattern, flags: flags)) }
        case .identifier(let name, _):
            return try compileIdentifier(name)
        case .array(let elements):
            return try compileArray(elements)
        case .object(let properties):
            return try compileObject(properties)
        case .spread:
            return { _, interp in throw interp.syntaxError("Unexpected spread") }
        case .member(let object, let property, let optional, _):
            return try compileMember(object, property, optional: optional)
        case .call(let callee, let arguments, let optional, _):
            return try compileCall(callee, arguments, optional: optional)
        case .new(let callee, let arguments, _):
            let target = try compile(callee)
            let args = try compileArguments(arguments)
            return { frame, interp in
                let constructor = try target(frame, interp)
                let values = try args(frame, interp)
                return try Calls.construct(constructor, values, interp)
            }
        case .optionalChain(let inner):
            let body = try compile(inner)
            return { frame, interp in
                do {
                    return try body(frame, interp)
                } catch is OptionalShortCircuit {
                    return .undefined
                }
            }
        case .unary(let op, let operand):
            return try compileUnary(op, operand)
        case .update(let op, let prefix, let target):
            return try compileUpdate(op, prefix: prefix, target)
        case .binary(let op, let lhs, let rhs):
            let l = try compile(lhs)
            let r = try compile(rhs)
            let operation = try Operators.binary(op)
            return { frame, interp in
                let a = try l(frame, interp)
                let b = try r(frame, interp)
                return try operation(a, b, interp)
            }
        case .logical(let op, let lhs, let rhs):
            let l = try compile(lhs)
            let r = try compile(rhs)
            switch op {
            case "&&": return { frame, interp in
                let a = try l(frame, interp)
                return a.truthy ? try r(frame, interp) : a
            }
            case "||": return { frame, interp in
                let a = try l(frame, interp)
                return a.truthy ? a : try r(frame, interp)
            }
            default: return { frame, interp in
                let a = try l(frame, interp)
                return a.isNullish ? try r(frame, interp) : a
            }
            }
        case .conditional(let test, let yes, let no):
            let t = try compile(test)
            let y = try compile(yes)
            let n = try compile(no)
            return { frame, interp in try t(frame, interp).truthy ? try y(frame, interp) : try n(frame, interp) }
        case .assign(let op, let target, let value):
            return try compileAssignment(op, target, value)
        case .sequence(let list):
            let parts = try list.map(compile)
            return { frame, interp in
                var last = JSValue.undefined
                for part in parts { last = try part(frame, interp) }
                return last
            }
        case .function(let node):
            return try compileFunction(node)
        }
    }

    static func root(of expr: Expr) -> Expr {
        if case .member(let inner, _, _, _) = expr { return root(of: inner) }
        return expr
    }

    func compileArguments(_ arguments: [Expr]) throws -> @Sendable (Frame, Interpreter) throws -> [JSValue] {
        var hasSpread = false
        let parts: [(Eval, Bool)] = try arguments.map { arg in
            if case .spread(let inner) = arg {
                hasSpread = true
                return (try compile(inner), true)
            }
            return (try compile(arg), false)
        }
        if !hasSpread {
            let evals = parts.map(\.0)
            switch evals.count {
            case 0: return { _, _ in [] }
            case 1:
                let a = evals[0]
                return { frame, interp in [try a(frame, interp)] }
            default:
                return { frame, interp in try evals.map { try $0(frame, interp) } }
            }
        }
        return { frame, interp in
            var out: [JSValue] = []
            for (eval, spread) in parts {
                let value = try eval(frame, interp)
                if spread {
                    out.append(contentsOf: try Iteration.values(of: value, interp))
                } else {
                    out.append(value)
                }
            }
            return out
        }
    }

    func compileArray(_ elements: [Expr?]) throws -> Eval {
        let parts: [(Eval?, Bool)] = try elements.map { element in
            guard let element else { return (nil, false) }
            if case .spread(let inner) = element { return (try compile(inner), true) }
            return (try compile(element), false)
        }
        return { frame, interp in
            var out: [JSValue] = []
            out.reserveCapacity(parts.count)
            for (eval, spread) in parts {
                guard let eval else {
                    out.append(.undefined)
                    continue
                }
                let value = try eval(frame, interp)
                if spread {
                    out.append(contentsOf: try Iteration.values(of: value, interp))
                } else {
                    out.append(value)
                }
            }
            try interp.allocate(out.count)
            return .array(JSArray(out))
        }
    }

    func compileKey(_ key: PropertyKey) throws -> Eval {
        switch key {
        case .name(let name):
            let v = JSValue.string(name)
            return { _, _ in v }
        case .computed(let expr):
            return try compile(expr)
        }
    }

    func compileObject(_ properties: [Property]) throws -> Eval {
        enum Part {
            case pair(Eval, Eval)
            case spread(Eval)
        }
        let parts: [Part] = try properties.map { property in
            switch property {
            case .keyValue(let key, let value):
                return .pair(try compileKey(key), try compile(value))
            case .spread(let inner):
                return .spread(try compile(inner))
            case .getter, .setter:
                throw Rejection(error: ExpressionError(.syntax, "invalid syntax"))
            }
        }
        return { frame, interp in
            let object = JSObject()
            for part in parts {
                switch part {
                case .pair(let key, let value):
                    let k = try key(frame, interp).toPropertyKey()
                    let v = try value(frame, interp)
                    if k == "__proto__" { continue }
                    object.set(k, v)
                case .spread(let source):
                    let value = try source(frame, interp)
                    for (k, v) in Iteration.ownEntries(of: value) { object.set(k, v) }
                }
            }
            try interp.allocate(object.count)
            return .object(object)
        }
    }

    func compileUnary(_ op: String, _ operand: Expr) throws -> Eval {
        switch op {
        case "typeof":
            if case .identifier(let name, _) = operand, scope.resolve(name) == nil {
                let read = try compileIdentifier(name)
                return { frame, interp in .string(try read(frame, interp).typeOf) }
            }
            let v = try compile(operand)
            return { frame, interp in .string(try v(frame, interp).typeOf) }
        case "delete":
            guard case .member(let object, let property, _, _) = operand else {
                let v = try compile(operand)
                return { frame, interp in _ = try v(frame, interp); return .bool(true) }
            }
            let o = try compile(object)
            let k = try memberKey(property)
            return { frame, interp in
                let target = try o(frame, interp)
                let key = try k(frame, interp)
                return .bool(try Members.delete(target, key, interp))
            }
        default:
            let v = try compile(operand)
            switch op {
            case "!": return { frame, interp in .bool(!(try v(frame, interp).truthy)) }
            case "-": return { frame, interp in .number(-(try v(frame, interp).toNumber(zone: interp.zone))) }
            case "+": return { frame, interp in .number(try v(frame, interp).toNumber(zone: interp.zone)) }
            case "~": return { frame, interp in .number(Double(~(try v(frame, interp).toNumber(zone: interp.zone).int32))) }
            default: return { frame, interp in _ = try v(frame, interp); return .undefined }
            }
        }
    }

    /// The key of a member access as a closure (static names are checked against the sandbox here).
    func memberKey(_ property: MemberKey) throws -> Eval {
        switch property {
        case .name(let name):
            guard Sandbox.isSafeProperty(name) else { throw Compiler.security(name) }
            let v = JSValue.string(name)
            return { _, _ in v }
        case .computed(let expr):
            if case .string(let s) = expr, !Sandbox.isSafeProperty(s) { throw Compiler.security(s) }
            let k = try compile(expr)
            return { frame, interp in
                let key = try k(frame, interp)
                if case .number = key { return key }
                let name = key.toPropertyKey()
                guard Sandbox.isSafeProperty(name) else {
                    throw ExpressionError(.security, "Cannot access \"\(name)\" due to security concerns")
                }
                return key
            }
        }
    }

    /// `$json.a.b.c` with static names: the names, or nil when the chain is anything else.
    func staticJSONPath(_ object: Expr, _ property: MemberKey) -> [String]? {
        guard case .name(let name) = property, Sandbox.isSafeProperty(name) else { return nil }
        switch object {
        case .identifier(let root, _) where (root == "$json" || root == "$data") && scope.resolve(root) == nil:
            return [name]
        case .member(let inner, let innerProperty, false, _):
            return staticJSONPath(inner, innerProperty).map { $0 + [name] }
        default:
            return nil
        }
    }

    /// Walks the item's JSON directly for a static `$json` path, wrapping only the value reached
    /// (what the general path would produce, without a wrapper per step).
    func compileJSONPath(_ names: [String], root: String) throws -> Eval {
        let general = try compileIdentifier(root)
        return { frame, interp in
            if !interp.assignedGlobals.isEmpty, interp.assignedGlobals[root] != nil {
                var value = try general(frame, interp)
                for name in names { value = try Members.get(value, name, interp) }
                return value
            }
            var current = JSONValue.object(try DataProxy.currentItem(interp, interp.context.itemIndex).json)
            for (i, name) in names.enumerated() {
                if case .object(let o) = current {
                    guard let next = o[name] else {
                        // Missing member: undefined, then JavaScript's rules for what follows.
                        var value = JSValue.undefined
                        for rest in names[(i + 1)...] { value = try Members.get(value, rest, interp) }
                        return value
                    }
                    current = next
                } else {
                    var value = JSValue(lazyJSON: current)
                    for rest in names[i...] { value = try Members.get(value, rest, interp) }
                    return value
                }
            }
            return JSValue(lazyJSON: current)
        }
    }

    func compileMember(_ object: Expr, _ property: MemberKey, optional: Bool) throws -> Eval {
        if case .identifier("$", _) = object { throw Rejection(error: ExpressionError(.security, Sandbox.dollarSignError)) }
        if case .identifier("$node", _) = object, scope.resolve("$node") == nil {
            switch property {
            case .name(let node), .computed(.string(let node)): referencedNodes.append(node)
            default: break
            }
        }
        if !optional, let names = staticJSONPath(object, property), names.count > 1 || names != ["length"] {
            if case .identifier(let root, _) = Self.root(of: object) { return try compileJSONPath(names, root: root) }
        }
        let o = try compile(object)
        if case .name(let name) = property {
            guard Sandbox.isSafeProperty(name) else { throw Compiler.security(name) }
            if name == "length" {
                return { frame, interp in
                    let target = try o(frame, interp)
                    switch target {
                    case .array(let a): return .number(Double(a.count))
                    case .string(let s): return .number(Double(s.utf16.count))
                    default:
                        if optional, target.isNullish { throw OptionalShortCircuit() }
                        return try Members.get(target, name, interp)
                    }
                }
            }
            return { frame, interp in
                let target = try o(frame, interp)
                if optional, target.isNullish { throw OptionalShortCircuit() }
                if case .object(let obj) = target, case .plain = obj.kind, let value = obj.get(name) { return value }
                return try Members.get(target, name, interp)
            }
        }
        let k = try memberKey(property)
        return { frame, interp in
            let target = try o(frame, interp)
            if optional, target.isNullish { throw OptionalShortCircuit() }
            let key = try k(frame, interp)
            return try Members.get(target, key, interp)
        }
    }
}
