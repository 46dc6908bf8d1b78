import Foundation

/// The `Math` namespace.
enum MathLibrary {
    static func unary(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> (String, JSValue) {
        (name, .function(Globals.fn(name) { args, interp in .number(f(Globals.arg(args, 0).toNumber(zone: interp.zone))) }))
    }

    /// `Math.round`: halves round toward +∞, -0 is kept.
    static func round(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        let floor = x.rounded(.down)
        let result = x - floor >= 0.5 ? floor + 1 : floor
        if result == 0 && (x < 0 || x.sign == .minus) { return -0.0 }
        return result
    }

    static let object: JSValue = {
        var members: OrderedDictionary<String, JSValue> = [
            "E": .number(M_E), "LN10": .number(M_LN10), "LN2": .number(M_LN2), "LOG10E": .number(M_LOG10E),
            "LOG2E": .number(M_LOG2E), "PI": .number(Double.pi), "SQRT1_2": .number(0.5.squareRoot()), "SQRT2": .number(2.0.squareRoot()),
        ]
        let unaries: [(String, JSValue)] = [
            unary("abs") { Swift.abs($0) }, unary("acos", Foundation.acos), unary("acosh", Foundation.acosh),
            unary("asin", Foundation.asin), unary("asinh", Foundation.asinh), unary("atan", Foundation.atan),
            unary("atanh", Foundation.atanh), unary("cbrt") { x in
                let r = Foundation.cbrt(x)
                let rounded = r.rounded()
                return rounded * rounded * rounded == x ? rounded : r
            }, unary("ceil") { $0.rounded(.up) },
            unary("cos", Foundation.cos), unary("cosh", Foundation.cosh), unary("exp", Foundation.exp),
            unary("expm1", Foundation.expm1), unary("floor") { $0.rounded(.down) }, unary("fround") { Double(Float($0)) },
            unary("log", Foundation.log), unary("log10", Foundation.log10), unary("log1p", Foundation.log1p),
            unary("log2", Foundation.log2), unary("round", round),
            unary("sign") { $0.isNaN ? .nan : $0 > 0 ? 1 : $0 < 0 ? -1 : $0 },
            unary("sin", Foundation.sin), unary("sinh", Foundation.sinh), unary("sqrt") { $0.squareRoot() },
            unary("tan", Foundation.tan), unary("tanh", Foundation.tanh), unary("trunc") { $0.rounded(.towardZero) },
            unary("clz32") { Double($0.uint32.leadingZeroBitCount) },
        ]
        for (name, value) in unaries { members[name] = value }
        members["atan2"] = .function(Globals.fn("atan2") { args, i in
            .number(Foundation.atan2(Globals.arg(args, 0).toNumber(zone: i.zone), Globals.arg(args, 1).toNumber(zone: i.zone)))
        })
        members["pow"] = .function(Globals.fn("pow") { args, i in
            .number(Operators.power(Globals.arg(args, 0).toNumber(zone: i.zone), Globals.arg(args, 1).toNumber(zone: i.zone)))
        })
        members["imul"] = .function(Globals.fn("imul") { args, i in
            .number(Double(Globals.arg(args, 0).toNumber(zone: i.zone).int32 &* Globals.arg(args, 1).toNumber(zone: i.zone).int32))
        })
        members["hypot"] = .function(Globals.fn("hypot") { args, i in
            let values = args.map { $0.toNumber(zone: i.zone) }
            if values.contains(where: \.isInfinite) { return .number(.infinity) }
            return .number(values.reduce(0) { $0 + $1 * $1 }.squareRoot())
        })
        members["max"] = .function(Globals.fn("max") { args, i in
            var result = -Double.infinity
            for n in args.map({ $0.toNumber(zone: i.zone) }) {
                if n.isNaN { return .number(.nan) }
                if n > result || (n == 0 && result == 0 && n.sign == .plus) { result = n }
            }
            return .number(result)
        })
        members["min"] = .function(Globals.fn("min") { args, i in
            var result = Double.infinity
            for n in args.map({ $0.toNumber(zone: i.zone) }) {
                if n.isNaN { return .number(.nan) }
                if n < result || (n == 0 && result == 0 && n.sign == .minus) { result = n }
            }
            return .number(result)
        })
        members["random"] = .function(Globals.fn("random") { _, _ in .number(Double.random(in: 0..<1)) })
        return .object(JSObject(members, kind: .builtin("Math")))
    }()
}

/// The `JSON` namespace.
enum JSONLibrary {
    static let object: JSValue = .object(JSObject([
        "parse": .function(Globals.fn("parse") { args, interp in try parse(Globals.arg(args, 0).toJSString(), interp) }),
        "stringify": .function(Globals.fn("stringify") { args, interp in
            try stringify(Globals.arg(args, 0), replacer: Globals.arg(args, 1), space: Globals.arg(args, 2), interp).map(JSValue.string) ?? .undefined
        }),
    ], kind: .builtin("JSON")))

    static func parse(_ text: String, _ interp: Interpreter) throws -> JSValue {
        try interp.allocate(text.utf8.count / 8)
        do {
            return JSValue(json: try JSONValue(parsing: text))
        } catch {
            let trimmed = text.drop(while: { $0.isWhitespace })
            let token = trimmed.first.map { "'\($0)'" } ?? "end of JSON input"
            let message = trimmed.isEmpty ? "Unexpected end of JSON input" : "Unexpected token \(token), \"\(text.prefix(30))\" is not valid JSON"
            throw interp.syntaxError(message)
        }
    }

    /// `JSON.stringify`; nil where JavaScript returns `undefined`.
    static func stringify(_ value: JSValue, replacer: JSValue = .undefined, space: JSValue = .undefined, _ interp: Interpreter) throws -> String? {
        var indent = ""
        switch space {
        case .number(let n): indent = String(repeating: " ", count: Int(Swift.min(10, Swift.max(0, n.integerOrInfinity))))
        case .string(let s): indent = String(s.prefix(10))
        default: break
        }
        var allowed: Set<String>?
        var replacerFunction: JSValue?
        if case .function = replacer { replacerFunction = replacer }
        if case .array(let list) = replacer { allowed = Set(list.elements.map { $0.toPropertyKey() }) }
        var writer = Writer(indent: indent, allowed: allowed, replacer: replacerFunction, interp: interp)
        var out = ""
        let root = try writer.prepare(value, key: "", holder: .undefined)
        guard try writer.write(root, to: &out, level: 0) else { return nil }
        return out
    }

    struct Writer {
        let indent: String
        let allowed: Set<String>?
        let replacer: JSValue?
        let interp: Interpreter
        var stack: [ObjectIdentifier] = []

        /// Applies `toJSON` and the replacer function.
        func prepare(_ value: JSValue, key: String, holder: JSValue) throws -> JSValue {
            var v = value
            switch v {
            case .date(let d): v = ExtensionValue.isoString(ms: d.milliseconds).map(JSValue.string) ?? .null
            case .dateTime(let dt): v = dt.toISO().map(JSValue.string) ?? .null
            case .duration(let d): v = d.toISO().map(JSValue.string) ?? .null
            case .object(let o):
                if let toJSON = o.get("toJSON"), case .function(let f) = toJSON { v = try f.call(v, [.string(key)], interp) }
            default: break
            }
            if let replacer, case .function(let f) = replacer { v = try f.call(holder, [.string(key), v], interp) }
            return v
        }

        /// Writes a value; false when it is not serialisable (undefined, functions).
        mutating func write(_ value: JSValue, to out: inout String, level: Int) throws -> Bool {
            try interp.tick()
            switch value {
            case .undefined, .function: return false
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .number(let n): out += n.isFinite ? JSNumberFormatting.string(n) : "null"
            case .string(let s): JSONValue.writeQuoted(s, to: &out)
            case .regex: out += "{}"
            case .date, .dateTime, .duration: out += "null"
            case .array(let a):
                let id = ObjectIdentifier(a)
                if stack.contains(id) { throw interp.typeError("Converting circular structure to JSON") }
                stack.append(id)
                defer { stack.removeLast() }
                if a.count == 0 { out += "[]"; return true }
                out += "["
                for i in 0..<a.count {
                    if i > 0 { out += "," }
                    newline(&out, level + 1)
                    let element = try prepare(a.get(i) ?? .undefined, key: String(i), holder: value)
                    if !(try write(element, to: &out, level: level + 1)) { out += "null" }
                }
                newline(&out, level)
                out += "]"
            case .object(let o):
                let id = ObjectIdentifier(o)
                if stack.contains(id) { throw interp.typeError("Converting circular structure to JSON") }
                stack.append(id)
                defer { stack.removeLast() }
                var first = true
                out += "{"
                for key in Iteration.keys(of: value) {
                    if let allowed, !allowed.contains(key) { continue }
                    let member = try prepare(o.get(key) ?? .undefined, key: key, holder: value)
                    var piece = ""
                    guard try write(member, to: &piece, level: level + 1) else { continue }
                    if !first { out += "," }
                    first = false
                    newline(&out, level + 1)
                    JSONValue.writeQuoted(key, to: &out)
                    out += indent.isEmpty ? ":" : ": "
                    out += piece
                }
                if !first { newline(&out, level) }
                out += "}"
            }
            try interp.allocate(0)
            return true
        }

        func newline(_ out: inout String, _ level: Int) {
            guard !indent.isEmpty else { return }
            out += "\n" + String(repeating: indent, count: level)
        }
    }
}
