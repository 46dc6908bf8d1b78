/// Calling and constructing JavaScript values.
enum Calls {
    static func call(_ callee: JSValue, this: JSValue, _ arguments: [JSValue], _ interp: Interpreter, calleeName: String) throws -> JSValue {
        guard case .function(let f) = callee else {
            if calleeName == "DateTime" || calleeName == "Duration" {
                throw interp.typeError("Class constructor \(calleeName) cannot be invoked without 'new'")
            }
            throw interp.typeError("\(calleeName) is not a function")
        }
        return try f.call(this, arguments, interp)
    }

    static func construct(_ constructor: JSValue, _ arguments: [JSValue], _ interp: Interpreter) throws -> JSValue {
        guard case .function(let f) = constructor else {
            throw interp.typeError("\(constructor.typeOf == "object" ? "object" : constructor.toJSString()) is not a constructor")
        }
        if let construct = f.construct { return try construct(arguments, interp) }
        if f.isBuiltin || f.isArrow { throw interp.typeError("\(f.name.isEmpty ? "anonymous" : f.name) is not a constructor") }
        let instance = JSObject()
        let result = try f.call(.object(instance), arguments, interp)
        return result.isObject ? result : .object(instance)
    }

    /// The arguments list helper: argument `i` or `undefined`.
    @inline(__always)
    static func arg(_ arguments: [JSValue], _ i: Int) -> JSValue {
        i < arguments.count ? arguments[i] : .undefined
    }
}

extension JSFunction {
    /// A shared built-in function.
    static func builtin(_ name: String, _ body: @escaping Body) -> JSFunction {
        let f = JSFunction(name: name, call: body)
        f.isBuiltin = true
        return f
    }
}
