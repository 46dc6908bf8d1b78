/// Property reads, writes and method calls on JavaScript values.
enum Members {
    static func get(_ target: JSValue, _ key: JSValue, _ interp: Interpreter) throws -> JSValue {
        if case .number(let n) = key, let i = Int(exactly: n) {
            switch target {
            case .array(let a): return a.get(i) ?? .undefined
            case .string(let s):
                let units = s.utf16
                guard i >= 0, i < units.count else { return .undefined }
                return .string(String(decoding: [units[units.index(units.startIndex, offsetBy: i)]], as: UTF16.self))
            default: break
            }
        }
        return try get(target, key.toPropertyKey(), interp)
    }

    static func readError(_ target: JSValue, _ key: String, _ interp: Interpreter) -> JSThrow {
        interp.typeError("Cannot read properties of \(target.isUndefined ? "undefined" : "null") (reading '\(key)')")
    }

    static func get(_ target: JSValue, _ key: String, _ interp: Interpreter) throws -> JSValue {
        switch target {
        case .undefined, .null:
            throw readError(target, key, interp)
        case .string(let s):
            if key == "length" { return .number(Double(s.utf16.count)) }
            if let i = Int(key) { return try get(target, .number(Double(i)), interp) }
            return StringMethods.names.contains(key) ? bound(target, key) : .undefined
        case .number:
            return NumberMethods.names.contains(key) ? bound(target, key) : .undefined
        case .bool:
            return key == "toString" || key == "valueOf" || key == "toLocaleString" ? bound(target, key) : .undefined
        case .array(let a):
            if key == "length" { return .number(Double(a.count)) }
            if let first = key.utf8.first, first >= 0x30, first <= 0x39, let i = Int(key), String(i) == key {
                return a.get(i) ?? .undefined
            }
            if let v = a.extra[key] { return v }
            return ArrayMethods.names.contains(key) ? bound(target, key) : .undefined
        case .object(let o):
            switch o.kind {
            case .plain:
                if let v = o.get(key) { return v }
                return ObjectMethods.prototypeNames.contains(key) ? bound(target, key) : .undefined
            case .error(let name):
                if let v = o.get(key) { return v }
                if key == "name" { return .string(name) }
                if key == "stack" { return .string(target.toJSString()) }
                if key == "message" { return .string("") }
                return ObjectMethods.prototypeNames.contains(key) ? bound(target, key) : .undefined
            case .builtin("Interval"):
                return ExtensionBridge.member(target, key, interp)
            case .builtin:
                return o.get(key) ?? .undefined
            case .proxy:
                return try DataProxy.member(o, key, interp)
            case .collection:
                if key == "size" { return .number(Double(o.collectionKeys.count)) }
                return CollectionMethods.names.contains(key) ? bound(target, key) : .undefined
            }
        case .function(let f):
            if let v = f.properties[key] { return v }
            switch key {
            case "name": return .string(f.name)
            case "length": return .number(0)
            case "call", "apply", "bind", "toString": return bound(target, key)
            default: return .undefined
            }
        case .regex(let r):
            switch key {
            case "source": return .string(r.source)
            case "flags": return .string(String(r.flags.sorted()))
            case "global": return .bool(r.flags.contains("g"))
            case "ignoreCase": return .bool(r.flags.contains("i"))
            case "multiline": return .bool(r.flags.contains("m"))
            case "sticky": return .bool(r.flags.contains("y"))
            case "unicode": return .bool(r.flags.contains("u"))
            case "dotAll": return .bool(r.flags.contains("s"))
            case "lastIndex": return .number(Double(r.lastIndex))
            default: return RegExpMethods.names.contains(key) ? bound(target, key) : .undefined
            }
        case .date:
            return DateMethods.names.contains(key) ? bound(target, key) : .undefined
        case .dateTime, .duration:
            return ExtensionBridge.member(target, key, interp)
        }
    }

    /// A method read as a value (`const f = s.trim`): calling it calls the method on `target`.
    static func bound(_ target: JSValue, _ name: String) -> JSValue {
        .function(JSFunction(name: name) { this, arguments, interp in
            let receiver = this.isNullish || !this.isObject && !target.isObject ? target : (this.isObject ? this : target)
            return try invoke(receiver, name, arguments, interp)
        })
    }

    static func set(_ target: JSValue, _ key: JSValue, _ value: JSValue, _ interp: Interpreter) throws {
        switch target {
        case .undefined, .null:
            throw interp.typeError("Cannot set properties of \(target.isUndefined ? "undefined" : "null") (setting '\(key.toPropertyKey())')")
        case .array(let a):
            if case .number(let n) = key, let i = Int(exactly: n), i >= 0 {
                try interp.allocate(max(0, i - a.count))
                a.set(i, value)
                return
            }
            let k = key.toPropertyKey()
            if k == "length" {
                let n = value.toNumber()
                guard n >= 0, n == n.rounded(), n < 4_294_967_296 else { throw interp.rangeError("Invalid array length") }
                let length = Int(n)
                try interp.allocate(max(0, length - a.count))
                var elements = a.elements
                if length < elements.count {
                    elements.removeLast(elements.count - length)
                } else {
                    elements.append(contentsOf: Array(repeating: .undefined, count: length - elements.count))
                }
                a.elements = elements
            } else if let i = Int(k), i >= 0, String(i) == k {
                try interp.allocate(max(0, i - a.count))
                a.set(i, value)
            }
        case .object(let o):
            switch o.kind {
            case .plain, .error: o.set(key.toPropertyKey(), value)
            case .builtin, .proxy, .collection: break
            }
        case .function(let f):
            if !f.isBuiltin { f.properties[key.toPropertyKey()] = value }
        case .regex(let r):
            if key.toPropertyKey() == "lastIndex" { r.lastIndex = Int(value.toNumber().integerOrInfinity.clamped) }
        default:
            break
        }
    }

    static func delete(_ target: JSValue, _ key: JSValue, _ interp: Interpreter) throws -> Bool {
        switch target {
        case .undefined, .null:
            throw interp.typeError("Cannot convert undefined or null to object")
        case .object(let o):
            if case .plain = o.kind { o.remove(key.toPropertyKey()) }
            if case .error = o.kind { o.remove(key.toPropertyKey()) }
            return true
        case .array(let a):
            if let i = Int(key.toPropertyKey()), i >= 0, i < a.count { a.set(i, .undefined) }
            return true
        case .function(let f):
            if !f.isBuiltin { f.properties.removeValue(forKey: key.toPropertyKey()) }
            return true
        default:
            return true
        }
    }

    /// `target.name(...arguments)`.
    static func invoke(_ target: JSValue, _ name: String, _ arguments: [JSValue], _ interp: Interpreter) throws -> JSValue {
        let result: JSValue?
        switch target {
        case .undefined, .null:
            throw readError(target, name, interp)
        case .string(let s):
            result = try StringMethods.call(s, name, arguments, interp)
        case .number(let n):
            result = try NumberMethods.call(n, name, arguments, interp)
        case .bool(let b):
            result = name == "toString" || name == "toLocaleString" ? .string(b ? "true" : "false") : name == "valueOf" ? target : nil
        case .array(let a):
            result = try ArrayMethods.call(a, name, arguments, interp)
        case .object(let o):
            if case .proxy = o.kind {
                let member = try DataProxy.member(o, name, interp)
                return try Calls.call(member, this: target, arguments, interp, calleeName: name)
            }
            if case .collection = o.kind { result = try CollectionMethods.call(o, name, arguments, interp); break }
            if o.kind == .builtin("Interval"), let r = try ExtensionBridge.callLuxonMethod(target, name, arguments, interp) { return r }
            if let member = o.get(name) {
                return try Calls.call(member, this: target, arguments, interp, calleeName: name)
            }
            result = try ObjectMethods.callPrototype(target, name, arguments, interp)
        case .function(let f):
            if let member = f.properties[name] {
                return try Calls.call(member, this: target, arguments, interp, calleeName: "\(f.name).\(name)")
            }
            result = try ObjectMethods.callFunctionPrototype(f, name, arguments, interp)
        case .regex(let r):
            result = try RegExpMethods.call(r, name, arguments, interp)
        case .date(let d):
            result = try DateMethods.call(d, name, arguments, interp)
        case .dateTime, .duration:
            result = try ExtensionBridge.callLuxonMethod(target, name, arguments, interp)
        }
        guard let result else {
            throw interp.typeError("\(describe(target)).\(name) is not a function")
        }
        return result
    }

    /// Whether `target.name` is a native method (for n8n's extension dispatch).
    static func hasNativeMethod(_ target: JSValue, _ name: String) -> Bool {
        switch target {
        case .string: return StringMethods.names.contains(name)
        case .number: return NumberMethods.names.contains(name)
        case .bool: return name == "toString" || name == "valueOf" || name == "toLocaleString"
        case .array: return ArrayMethods.names.contains(name)
        case .object(let o):
            if let member = o.get(name) { if case .function = member { return true } else { return false } }
            if case .proxy = o.kind { return DataProxy.methodNames.contains(name) }
            if case .builtin = o.kind { return false }
            if case .collection = o.kind { return CollectionMethods.names.contains(name) }
            return ObjectMethods.prototypeNames.contains(name)
        case .function(let f):
            if let member = f.properties[name] { if case .function = member { return true } else { return false } }
            return ["call", "apply", "bind", "toString"].contains(name)
        case .regex: return RegExpMethods.names.contains(name)
        case .date: return DateMethods.names.contains(name)
        case .dateTime: return DateTimeMembers.methodNames.contains(name)
        case .duration: return LuxonGlobals.durationMethodNames.contains(name)
        case .undefined, .null: return false
        }
    }

    /// How V8 names a receiver in "x.y is not a function" messages (approximately).
    static func describe(_ value: JSValue) -> String {
        switch value {
        case .string(let s): return "\"\(s.prefix(30))\""
        case .number(let n): return JSNumberFormatting.string(n)
        case .array: return "array"
        case .object: return "object"
        case .function(let f): return f.name
        default: return value.typeOf
        }
    }
}

extension Double {
    /// Clamped to `Int` range (for indexes).
    var clamped: Double {
        if isNaN { return 0 }
        return Swift.min(Swift.max(self, -9_007_199_254_740_991), 9_007_199_254_740_991)
    }
}
