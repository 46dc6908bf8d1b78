extension Compiler {
    func compileIdentifier(_ name: String) throws -> Eval {
        if let (hops, slot) = scope.resolve(name) {
            if hops == 0 { return { frame, _ in frame.slots[slot] } }
            return { frame, _ in frame.ancestor(hops).slots[slot] }
        }
        if name == "$" { throw Rejection(error: ExpressionError(.security, Sandbox.dollarSignError)) }
        if name == "undefined" { return { _, _ in .undefined } }
        guard Sandbox.isSafeProperty(name) else { throw Compiler.security(name) }
        let global = Globals.binding(name)
        return { _, interp in
            if !interp.assignedGlobals.isEmpty, let assigned = interp.assignedGlobals[name] { return assigned }
            return try global(interp)
        }
    }

    /// Records `$('X')`, `$items('X')`, `$node['X']`, `$node.X` names for load-time validation.
    func noteNodeReference(_ callee: Expr, _ arguments: [Expr]) {
        if case .identifier(let name, _) = callee, scope.resolve(name) == nil,
           name == "$" || name == "$items", case .string(let node)? = arguments.first {
            referencedNodes.append(node)
        }
    }

    func compileCall(_ callee: Expr, _ arguments: [Expr], optional: Bool) throws -> Eval {
        noteNodeReference(callee, arguments)
        if case .identifier("$if", _) = callee, scope.resolve("$if") == nil {
            guard arguments.count >= 2 else {
                throw Rejection(error: ExpressionError(.extensionFunction, ConvenienceFunctions.ifArityMessage))
            }
            let test = try compile(arguments[0])
            let yes = try compile(arguments[1])
            let no: Eval = arguments.count > 2 ? try compile(arguments[2]) : { @Sendable _, _ in .bool(false) }
            return { frame, interp in try test(frame, interp).truthy ? try yes(frame, interp) : try no(frame, interp) }
        }
        let args = try compileArguments(arguments)
        if case .member(let object, .name(let name), let optionalMember, _) = callee {
            if case .identifier("$", _) = object { throw Rejection(error: ExpressionError(.security, Sandbox.dollarSignError)) }
            guard Sandbox.isSafeProperty(name) else { throw Compiler.security(name) }
            let receiver = try compile(object)
            let isExtension = ExtensionRegistry.isExtensionName(name)
            return { frame, interp in
                let target = try receiver(frame, interp)
                if optionalMember, target.isNullish { throw OptionalShortCircuit() }
                let values = try args(frame, interp)
                if isExtension {
                    if optional {
                        if let result = try ExtensionBridge.callOptional(target, name, values, interp) { return result }
                    } else if let result = try ExtensionBridge.call(target, name, values, interp) {
                        return result
                    }
                }
                if optional {
                    let method = try Members.get(target, name, interp)
                    if method.isNullish { throw OptionalShortCircuit() }
                    return try Calls.call(method, this: target, values, interp, calleeName: name)
                }
                return try Members.invoke(target, name, values, interp)
            }
        }
        if case .member(let object, .computed(let keyExpr), let optionalMember, _) = callee {
            let receiver = try compile(object)
            let key = try memberKey(.computed(keyExpr))
            return { frame, interp in
                let target = try receiver(frame, interp)
                if optionalMember, target.isNullish { throw OptionalShortCircuit() }
                let k = try key(frame, interp)
                let values = try args(frame, interp)
                if case .string(let name) = k, !optional { return try Members.invoke(target, name, values, interp) }
                let method = try Members.get(target, k, interp)
                if optional, method.isNullish { throw OptionalShortCircuit() }
                return try Calls.call(method, this: target, values, interp, calleeName: k.toPropertyKey())
            }
        }
        if case .identifier("$", _) = callee, scope.resolve("$") == nil {
            return { frame, interp in
                let values = try args(frame, interp)
                return try DataProxy.nodeAccessor(values, interp)
            }
        }
        let function = try compile(callee)
        let calleeName: String = {
            if case .identifier(let n, _) = callee { return n }
            return "expression"
        }()
        return { frame, interp in
            let f = try function(frame, interp)
            if optional, f.isNullish { throw OptionalShortCircuit() }
            let values = try args(frame, interp)
            return try Calls.call(f, this: .undefined, values, interp, calleeName: calleeName)
        }
    }

    func compileFunction(_ node: FunctionNode) throws -> Eval {
        let outer = scope
        let inner = CompileScope(parent: outer)
        scope = inner
        defer { scope = outer }
        let selfSlot = (node.isArrow || node.name == nil) ? nil : Optional(inner.declare(node.name!))
        let parameterSlots = node.parameters.map { pattern -> Int? in
            if case .identifier(let name, _) = pattern { return inner.declare(name) }
            return nil
        }
        for pattern in node.parameters { declareNames(in: pattern, function: false) }
        if let rest = node.rest { declareNames(in: rest, function: false) }
        let binders: [(@Sendable (Frame, Interpreter, JSValue) throws -> Void)?] = try zip(node.parameters, parameterSlots).map { pattern, slot in
            slot == nil ? try compileBinding(pattern) : nil
        }
        let restBinder = try node.rest.map { try compileBinding($0) }
        let body = try compileFunctionBody(node.body)
        let slotCount = inner.slotCount
        let name = node.name ?? ""
        return { frame, _ in
            let box = FunctionBox()
            let function = JSFunction(name: name) { _, arguments, interp in
                try interp.tick()
                return try interp.nested {
                    let local = Frame(count: slotCount, parent: frame)
                    if let selfSlot, let me = box.function { local.slots[selfSlot] = .function(me) }
                    for (i, slot) in parameterSlots.enumerated() {
                        let value = i < arguments.count ? arguments[i] : .undefined
                        if let slot {
                            local.slots[slot] = value
                        } else if let bind = binders[i] {
                            try bind(local, interp, value)
                        }
                    }
                    if let restBinder {
                        let rest = arguments.count > parameterSlots.count ? Array(arguments[parameterSlots.count...]) : []
                        try restBinder(local, interp, .array(JSArray(rest)))
                    }
                    return try body(local, interp)
                }
            }
            function.isArrow = node.isArrow
            if selfSlot != nil { box.function = function }
            return .function(function)
        }
    }
}

/// Lets a named function expression find itself without a reference cycle.
final class FunctionBox {
    weak var function: JSFunction?
}
