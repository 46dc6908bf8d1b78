/// Calls into H2's extension library (`LuxonBridge`) with the interpreter's error conventions:
/// n8n errors surface as `ExpressionError`, Luxon's own errors become catchable JS errors.
enum ExtensionBridge {
    static func mapError(_ error: any Error, _ interp: Interpreter) -> any Error {
        if let e = error as? ExtensionError {
            if case .javaScript = e.kind { return JSThrow(value: .object(JSObject.makeError("Error", e.message))) }
            return ExpressionError(.extensionFunction, e.message, hint: e.hint)
        }
        return error
    }

    static func guarded<T>(_ interp: Interpreter, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw mapError(error, interp)
        }
    }

    /// n8n's `extend(x, name, args)`: the extension's result, or nil to call the native method.
    static func call(_ target: JSValue, _ name: String, _ arguments: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        try guarded(interp) {
            try LuxonBridge.extend(target, name, arguments, context: interp.context) { Members.hasNativeMethod(target, $0) }
        }
    }

    /// `x.name?.(args)`: the extension's result; nil to call the native method; throws
    /// `OptionalShortCircuit` when neither exists.
    static func callOptional(_ target: JSValue, _ name: String, _ arguments: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        let found = try guarded(interp) {
            try LuxonBridge.extendOptional(target, name) { Members.hasNativeMethod(target, $0) }
        }
        switch found {
        case true?: return try call(target, name, arguments, interp)
        case false?: return nil
        case nil: throw OptionalShortCircuit()
        }
    }

    static func fromExtension(_ value: ExtensionValue, _ interp: Interpreter) -> JSValue {
        LuxonBridge.toRuntime(value)
    }

    /// A member of a DateTime, Duration or Interval value (undefined when it has none).
    static func member(_ target: JSValue, _ name: String, _ interp: Interpreter) -> JSValue {
        LuxonBridge.member(of: target, name) ?? .undefined
    }

    /// `dt.name(args)` on a Luxon value; nil when there is no such method.
    static func callLuxonMethod(_ target: JSValue, _ name: String, _ arguments: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        guard let member = LuxonBridge.member(of: target, name), case .function(let f) = member else { return nil }
        return try guarded(interp) { try f.call(target, arguments, interp) }
    }
}
