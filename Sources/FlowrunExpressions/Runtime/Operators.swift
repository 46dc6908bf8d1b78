import Foundation

/// Binary operators with JavaScript semantics.
enum Operators {
    typealias Binary = @Sendable (JSValue, JSValue, Interpreter) throws -> JSValue

    static func binary(_ op: String) throws -> Binary {
        switch op {
        case "+": return add
        case "-": return { a, b, i in .number(a.toNumber(zone: i.zone) - b.toNumber(zone: i.zone)) }
        case "*": return { a, b, i in .number(a.toNumber(zone: i.zone) * b.toNumber(zone: i.zone)) }
        case "/": return { a, b, i in .number(a.toNumber(zone: i.zone) / b.toNumber(zone: i.zone)) }
        case "%": return { a, b, i in .number(remainder(a.toNumber(zone: i.zone), b.toNumber(zone: i.zone))) }
        case "**": return { a, b, i in .number(power(a.toNumber(zone: i.zone), b.toNumber(zone: i.zone))) }
        case "==": return { a, b, i in .bool(a.looseEquals(b, zone: i.zone)) }
        case "!=": return { a, b, i in .bool(!a.looseEquals(b, zone: i.zone)) }
        case "===": return { a, b, _ in .bool(a.strictEquals(b)) }
        case "!==": return { a, b, _ in .bool(!a.strictEquals(b)) }
        case "<": return { a, b, i in .bool(a.lessThan(b, zone: i.zone) ?? false) }
        case ">": return { a, b, i in .bool(b.lessThan(a, zone: i.zone) ?? false) }
        case "<=": return { a, b, i in .bool(b.lessThan(a, zone: i.zone).map { !$0 } ?? false) }
        case ">=": return { a, b, i in .bool(a.lessThan(b, zone: i.zone).map { !$0 } ?? false) }
        case "&": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).int32 & b.toNumber(zone: i.zone).int32)) }
        case "|": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).int32 | b.toNumber(zone: i.zone).int32)) }
        case "^": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).int32 ^ b.toNumber(zone: i.zone).int32)) }
        case "<<": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).int32 << (b.toNumber(zone: i.zone).uint32 & 31))) }
        case ">>": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).int32 >> (b.toNumber(zone: i.zone).uint32 & 31))) }
        case ">>>": return { a, b, i in .number(Double(a.toNumber(zone: i.zone).uint32 >> (b.toNumber(zone: i.zone).uint32 & 31))) }
        case "in": return inOperator
        case "instanceof": return { a, b, i in .bool(try instanceOf(a, b, i)) }
        default: throw Compiler.Rejection(error: ExpressionError(.syntax, "invalid syntax: unknown operator \(op)"))
        }
    }

    static func add(_ a: JSValue, _ b: JSValue, _ interp: Interpreter) throws -> JSValue {
        if case .number(let x) = a, case .number(let y) = b { return .number(x + y) }
        if case .string(let x) = a, case .string(let y) = b { return try concat(x, y, interp) }
        let pa = a.toPrimitive(zone: interp.zone)
        let pb = b.toPrimitive(zone: interp.zone)
        if case .string(let x) = pa { return try concat(x, pb.toJSString(zone: interp.zone), interp) }
        if case .string(let y) = pb { return try concat(pa.toJSString(zone: interp.zone), y, interp) }
        return .number(pa.toNumber(zone: interp.zone) + pb.toNumber(zone: interp.zone))
    }

    static func concat(_ x: String, _ y: String, _ interp: Interpreter) throws -> JSValue {
        try interp.allocate(y.utf8.count)
        return .string(x + y)
    }

    /// `${value}` in a template literal (ToString with the string hint).
    static func templateString(_ value: JSValue, _ interp: Interpreter) throws -> String {
        if case .string(let s) = value { return s }
        return value.toPrimitive(hintString: true, zone: interp.zone).toJSString(zone: interp.zone)
    }

    static func remainder(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN || a.isInfinite || b == 0 { return .nan }
        if b.isInfinite { return a }
        return fmod(a, b)
    }

    static func power(_ a: Double, _ b: Double) -> Double {
        if b.isNaN { return .nan }
        if b == 0 { return 1 }
        if (a == 1 || a == -1) && b.isInfinite { return .nan }
        return pow(a, b)
    }

    static func inOperator(_ key: JSValue, _ object: JSValue, _ interp: Interpreter) throws -> JSValue {
        switch object {
        case .object(let o):
            let k = key.toPropertyKey()
            if o.has(k) { return .bool(true) }
            if case .proxy = o.kind { return .bool(!(try Members.get(object, k, interp)).isUndefined) }
            return .bool(false)
        case .array(let a):
            let k = key.toPropertyKey()
            if k == "length" { return .bool(true) }
            if let i = Int(k) { return .bool(i >= 0 && i < a.count) }
            return .bool(false)
        case .function(let f):
            return .bool(f.properties[key.toPropertyKey()] != nil)
        case .undefined, .null, .bool, .number, .string:
            throw interp.typeError("Cannot use 'in' operator to search for '\(key.toPropertyKey())' in \(object.toJSString())")
        default:
            return .bool(!(try Members.get(object, key.toPropertyKey(), interp)).isUndefined)
        }
    }

    static func instanceOf(_ value: JSValue, _ constructor: JSValue, _ interp: Interpreter) throws -> Bool {
        guard case .function(let f) = constructor else {
            throw interp.typeError("Right-hand side of 'instanceof' is not callable")
        }
        guard let kind = f.instanceKind else { return false }
        switch (kind, value) {
        case ("Object", _): return value.isObject
        case ("Array", .array): return true
        case ("Date", .date): return true
        case ("RegExp", .regex): return true
        case ("Function", .function): return true
        case ("DateTime", .dateTime): return true
        case ("Duration", .duration): return true
        case (_, .object(let o)):
            guard case .error(let name) = o.kind else { return false }
            return kind == "Error" || kind == name
        default: return false
        }
    }
}
