/// `Object`, `Object.prototype` and `Function.prototype` members.
enum ObjectMethods {
    static let prototypeNames: Set<String> = [
        "hasOwnProperty", "toString", "valueOf", "toLocaleString", "propertyIsEnumerable", "isPrototypeOf",
    ]

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    static func requireObject(_ value: JSValue, _ interp: Interpreter) throws {
        if value.isNullish { throw interp.typeError("Cannot convert undefined or null to object") }
    }

    static let constructor: JSFunction = {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, _ in
            let value = arg(args, 0)
            return value.isObject ? value : .object(JSObject())
        }
        let f = Globals.fn("Object", make)
        f.construct = make
        f.instanceKind = "Object"
        let statics: [(String, ([JSValue], Interpreter) throws -> JSValue)] = [
            ("keys", { args, interp in
                try requireObject(arg(args, 0), interp)
                return .array(JSArray(Iteration.keys(of: arg(args, 0)).map(JSValue.string)))
            }),
            ("getOwnPropertyNames", { args, interp in
                try requireObject(arg(args, 0), interp)
                var keys = Iteration.keys(of: arg(args, 0))
                if case .array = arg(args, 0) { keys.append("length") }
                return .array(JSArray(keys.map(JSValue.string)))
            }),
            ("values", { args, interp in
                try requireObject(arg(args, 0), interp)
                return .array(JSArray(Iteration.ownEntries(of: arg(args, 0)).map(\.1)))
            }),
            ("entries", { args, interp in
                try requireObject(arg(args, 0), interp)
                return .array(JSArray(Iteration.ownEntries(of: arg(args, 0)).map { .array(JSArray([.string($0.0), $0.1])) }))
            }),
            ("assign", { args, interp in
                let target = arg(args, 0)
                try requireObject(target, interp)
                for source in args.dropFirst() {
                    for (k, v) in Iteration.ownEntries(of: source) { try Members.set(target, .string(k), v, interp) }
                }
                return target
            }),
            ("fromEntries", { args, interp in
                let result = JSObject()
                for entry in try Iteration.values(of: arg(args, 0), interp) {
                    let key = try Members.get(entry, .number(0), interp)
                    let value = try Members.get(entry, .number(1), interp)
                    result.set(key.toPropertyKey(), value)
                }
                return .object(result)
            }),
            ("freeze", { args, _ in arg(args, 0) }),
            ("seal", { args, _ in arg(args, 0) }),
            ("preventExtensions", { args, _ in arg(args, 0) }),
            ("isFrozen", { args, _ in .bool(!arg(args, 0).isObject) }),
            ("isSealed", { args, _ in .bool(!arg(args, 0).isObject) }),
            ("isExtensible", { args, _ in .bool(arg(args, 0).isObject) }),
            ("create", { args, interp in
                let proto = arg(args, 0)
                guard proto.isObject || proto.isNullish, !proto.isUndefined else {
                    throw interp.typeError("Object prototype may only be an Object or null: \(proto.toJSString())")
                }
                let result = JSObject()
                // Only the prototype's own members are visible through the new object in practice.
                if case .object(let p) = proto, case .plain = p.kind {
                    _ = p
                }
                return .object(result)
            }),
            ("is", { args, _ in
                let a = arg(args, 0)
                let b = arg(args, 1)
                if case .number(let x) = a, case .number(let y) = b {
                    if x.isNaN && y.isNaN { return .bool(true) }
                    if x == 0 && y == 0 { return .bool(x.sign == y.sign) }
                }
                return .bool(a.strictEquals(b))
            }),
            ("hasOwn", { args, interp in
                try requireObject(arg(args, 0), interp)
                return .bool(hasOwn(arg(args, 0), arg(args, 1).toPropertyKey()))
            }),
            ("getOwnPropertySymbols", { _, _ in .array(JSArray()) }),
            ("groupBy", { args, interp in
                let result = JSObject()
                guard case .function(let f) = arg(args, 1) else { throw interp.typeError("callback is not a function") }
                for (i, item) in try Iteration.values(of: arg(args, 0), interp).enumerated() {
                    let key = try f.call(.undefined, [item, .number(Double(i))], interp).toPropertyKey()
                    if case .array(let list)? = result.get(key) { list.set(list.count, item) } else { result.set(key, .array(JSArray([item]))) }
                }
                return .object(result)
            }),
        ]
        for (name, body) in statics { f.properties[name] = .function(Globals.fn(name, body)) }
        return f
    }()

    static func hasOwn(_ value: JSValue, _ key: String) -> Bool {
        switch value {
        case .object(let o): return o.has(key)
        case .array(let a): return key == "length" || Int(key).map { $0 >= 0 && $0 < a.count } ?? false
        case .string(let s): return key == "length" || Int(key).map { $0 >= 0 && $0 < s.utf16.count } ?? false
        case .function(let f): return f.properties[key] != nil
        default: return false
        }
    }

    /// `Object.prototype` methods on objects (and what arrays and primitives inherit).
    static func callPrototype(_ target: JSValue, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        switch name {
        case "hasOwnProperty", "propertyIsEnumerable": return .bool(hasOwn(target, arg(args, 0).toPropertyKey()))
        case "toString", "toLocaleString":
            if case .object(let o) = target, case .error = o.kind { return .string(target.toJSString(zone: interp.zone)) }
            if case .array = target { return .string(target.toJSString(zone: interp.zone)) }
            return .string("[object Object]")
        case "valueOf": return target
        case "isPrototypeOf": return .bool(false)
        default: return nil
        }
    }

    /// `Function.prototype` methods.
    static func callFunctionPrototype(_ f: JSFunction, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        switch name {
        case "call":
            return try f.call(arg(args, 0), Array(args.dropFirst()), interp)
        case "apply":
            var list: [JSValue] = []
            if case .array(let a) = arg(args, 1) { list = a.elements }
            return try f.call(arg(args, 0), list, interp)
        case "bind":
            let bound = Array(args.dropFirst())
            return .function(JSFunction(name: "bound " + f.name) { _, more, interp in try f.call(arg(args, 0), bound + more, interp) })
        case "toString":
            return .string("function \(f.name)() { [native code] }")
        default:
            return nil
        }
    }
}

/// `Map` and `Set`.
enum CollectionMethods {
    static let names: Set<String> = ["add", "has", "delete", "clear", "get", "set", "forEach", "keys", "values", "entries"]

    static func constructor(_ kind: String) -> JSFunction {
        let f = Globals.fn(kind) { _, interp in throw interp.typeError("Constructor \(kind) requires 'new'") }
        f.construct = { args, interp in
            let o = JSObject(kind: .collection(kind))
            let source = Globals.arg(args, 0)
            if !source.isNullish {
                for item in try Iteration.values(of: source, interp) {
                    if kind == "Set" {
                        add(o, item)
                    } else {
                        put(o, try Members.get(item, .number(0), interp), try Members.get(item, .number(1), interp))
                    }
                }
            }
            return .object(o)
        }
        f.instanceKind = kind
        return f
    }

    static func index(_ o: JSObject, _ key: JSValue) -> Int? { o.collectionKeys.firstIndex { $0.sameValueZero(key) } }

    static func add(_ o: JSObject, _ value: JSValue) {
        if index(o, value) == nil { o.collectionKeys.append(value) }
    }

    static func put(_ o: JSObject, _ key: JSValue, _ value: JSValue) {
        if let i = index(o, key) {
            o.collectionValues[i] = value
        } else {
            o.collectionKeys.append(key)
            o.collectionValues.append(value)
        }
    }

    static func call(_ o: JSObject, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        let isMap = o.kind == .collection("Map")
        let a0 = Globals.arg(args, 0)
        switch name {
        case "add" where !isMap: add(o, a0); return .object(o)
        case "set" where isMap: put(o, a0, Globals.arg(args, 1)); return .object(o)
        case "get" where isMap: return index(o, a0).map { o.collectionValues[$0] } ?? .undefined
        case "has": return .bool(index(o, a0) != nil)
        case "delete":
            guard let i = index(o, a0) else { return .bool(false) }
            o.collectionKeys.remove(at: i)
            if isMap { o.collectionValues.remove(at: i) }
            return .bool(true)
        case "clear":
            o.collectionKeys = []
            o.collectionValues = []
            return .undefined
        case "keys": return .array(JSArray(o.collectionKeys))
        case "values": return .array(JSArray(isMap ? o.collectionValues : o.collectionKeys))
        case "entries":
            return .array(JSArray(o.collectionKeys.indices.map { i in
                .array(JSArray([o.collectionKeys[i], isMap ? o.collectionValues[i] : o.collectionKeys[i]]))
            }))
        case "forEach":
            guard case .function(let f) = a0 else { throw interp.typeError("callback is not a function") }
            for i in o.collectionKeys.indices {
                try f.call(.undefined, [isMap ? o.collectionValues[i] : o.collectionKeys[i], o.collectionKeys[i], .object(o)], interp)
            }
            return .undefined
        default: return nil
        }
    }
}
