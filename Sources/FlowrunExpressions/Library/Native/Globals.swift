import Foundation

/// The global names an expression sees (n8n's `initializeGlobalContext` allow and deny lists,
/// plus the data proxy and the extension library's globals).
enum Globals {
    typealias Binding = @Sendable (Interpreter) throws -> JSValue

    static func fn(_ name: String, _ body: @escaping ([JSValue], Interpreter) throws -> JSValue) -> JSFunction {
        JSFunction.builtin(name) { _, args, interp in try body(args, interp) }
    }

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    /// Resolves a free name once, at compile time.
    static func binding(_ name: String) -> Binding {
        if name.hasPrefix("$") {
            if LuxonBridge.globalNames.contains(name) {
                return { interp in LuxonBridge.global(name, context: interp.context) ?? .undefined }
            }
            return { interp in try DataProxy.global(name, interp) }
        }
        if Sandbox.deniedGlobals.contains(name) {
            return { _ in .object(JSObject()) }
        }
        if let shared = shared[name] {
            return { _ in shared }
        }
        if LuxonBridge.globalNames.contains(name) {
            return { interp in LuxonBridge.global(name, context: interp.context) ?? .undefined }
        }
        switch name {
        case "process":
            return { _ in .object(JSObject(["arch": .string("x64"), "env": .object(JSObject()), "platform": .string("linux")])) }
        default:
            return { _ in .undefined }
        }
    }

    /// Globals that are the same for every evaluation (read-only built-ins).
    static let shared: [String: JSValue] = {
        var g: [String: JSValue] = [
            "NaN": .number(.nan),
            "Infinity": .number(.infinity),
            "Math": MathLibrary.object,
            "JSON": JSONLibrary.object,
            "Object": .function(ObjectMethods.constructor),
            "Array": .function(ArrayMethods.constructor),
            "Number": .function(NumberMethods.constructor),
            "String": .function(StringMethods.constructor),
            "Boolean": .function(booleanConstructor),
            "Date": .function(DateMethods.constructor),
            "RegExp": .function(RegExpMethods.constructor),
            "Map": .function(CollectionMethods.constructor("Map")),
            "Set": .function(CollectionMethods.constructor("Set")),
            "WeakMap": .function(CollectionMethods.constructor("Map")),
            "WeakSet": .function(CollectionMethods.constructor("Set")),
            "Intl": IntlLibrary.object,
            "Symbol": .object(JSObject(kind: .builtin("Symbol"))),
            "BigInt": .object(JSObject(kind: .builtin("BigInt"))),
            "parseFloat": .function(fn("parseFloat") { args, _ in .number(JSNumberParsing.parseFloat(arg(args, 0).toJSString())) }),
            "parseInt": .function(fn("parseInt") { args, _ in
                let radix = arg(args, 1)
                return .number(JSNumberParsing.parseInt(arg(args, 0).toJSString(), radix: radix.isUndefined ? nil : radix.toNumber()))
            }),
            "isNaN": .function(fn("isNaN") { args, _ in
                if case .number(let n) = arg(args, 0) { return .bool(n.isNaN) }
                return .bool(false)
            }),
            "isFinite": .function(fn("isFinite") { args, _ in
                if case .number(let n) = arg(args, 0) { return .bool(n.isFinite) }
                return .bool(false)
            }),
            "encodeURIComponent": .function(uriFunction("encodeURIComponent") { URIEncoding.encode($0, unescaped: URIEncoding.componentUnescaped) }),
            "encodeURI": .function(uriFunction("encodeURI") { URIEncoding.encode($0, unescaped: URIEncoding.encodeURIUnescaped) }),
            "decodeURIComponent": .function(uriFunction("decodeURIComponent") { URIEncoding.decode($0, reserved: "") }),
            "decodeURI": .function(uriFunction("decodeURI") { URIEncoding.decode($0, reserved: URIEncoding.decodeURIReserved) }),
            "toPathSegment": .function(fn("toPathSegment") { args, _ in
                .string(URIEncoding.encode(arg(args, 0).toJSString(), unescaped: URIEncoding.componentUnescaped) ?? "")
            }),
            "extend": .function(fn("extend") { args, interp in
                let name = arg(args, 1).toJSString()
                var list: [JSValue] = []
                if case .array(let a) = arg(args, 2) { list = a.elements }
                return try ExtensionBridge.call(arg(args, 0), name, list, interp) ?? Members.invoke(arg(args, 0), name, list, interp)
            }),
        ]
        for name in ["Error", "TypeError", "SyntaxError", "EvalError", "RangeError", "ReferenceError", "URIError"] {
            g[name] = .function(errorConstructor(name))
        }
        return g
    }()

    static func uriFunction(_ name: String, _ transform: @escaping @Sendable (String) -> String?) -> JSFunction {
        fn(name) { args, interp in
            guard let out = transform(arg(args, 0).toJSString()) else {
                throw JSThrow(value: .object(JSObject.makeError("URIError", "URI malformed")))
            }
            return .string(out)
        }
    }

    static let booleanConstructor: JSFunction = {
        let f = fn("Boolean") { args, _ in .bool(arg(args, 0).truthy) }
        f.construct = { args, _ in .bool(arg(args, 0).truthy) }
        f.instanceKind = "Boolean"
        return f
    }()

    static func errorConstructor(_ name: String) -> JSFunction {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, _ in
            let error = JSObject(kind: .error(name))
            let message = arg(args, 0)
            if !message.isUndefined { error.set("message", .string(message.toJSString())) }
            return .object(error)
        }
        let f = fn(name, make)
        f.construct = make
        f.instanceKind = name
        return f
    }
}
