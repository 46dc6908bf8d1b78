import Foundation

/// `Number` and `Number.prototype`.
enum NumberMethods {
    static let names: Set<String> = ["toFixed", "toString", "toPrecision", "toExponential", "toLocaleString", "valueOf"]

    static func arg(_ args: [JSValue], _ i: Int) -> JSValue { i < args.count ? args[i] : .undefined }

    static let constructor: JSFunction = {
        let make: ([JSValue], Interpreter) throws -> JSValue = { args, interp in
            args.isEmpty ? .number(0) : .number(args[0].toNumber(zone: interp.zone))
        }
        let f = Globals.fn("Number", make)
        f.construct = make
        f.instanceKind = "Number"
        func isInteger(_ v: JSValue) -> Bool {
            if case .number(let n) = v { return n.isFinite && n == n.rounded(.towardZero) }
            return false
        }
        let statics: [String: JSValue] = [
            "isInteger": .function(Globals.fn("isInteger") { args, _ in .bool(isInteger(arg(args, 0))) }),
            "isSafeInteger": .function(Globals.fn("isSafeInteger") { args, _ in
                .bool(isInteger(arg(args, 0)) && Swift.abs(arg(args, 0).toNumber()) <= 9_007_199_254_740_991)
            }),
            "isFinite": .function(Globals.fn("isFinite") { args, _ in
                if case .number(let n) = arg(args, 0) { return .bool(n.isFinite) }
                return .bool(false)
            }),
            "isNaN": .function(Globals.fn("isNaN") { args, _ in
                if case .number(let n) = arg(args, 0) { return .bool(n.isNaN) }
                return .bool(false)
            }),
            "parseFloat": .function(Globals.fn("parseFloat") { args, _ in .number(JSNumberParsing.parseFloat(arg(args, 0).toJSString())) }),
            "parseInt": .function(Globals.fn("parseInt") { args, _ in
                .number(JSNumberParsing.parseInt(arg(args, 0).toJSString(), radix: arg(args, 1).isUndefined ? nil : arg(args, 1).toNumber()))
            }),
            "MAX_SAFE_INTEGER": .number(9_007_199_254_740_991),
            "MIN_SAFE_INTEGER": .number(-9_007_199_254_740_991),
            "MAX_VALUE": .number(Double.greatestFiniteMagnitude),
            "MIN_VALUE": .number(5e-324),
            "EPSILON": .number(Double.ulpOfOne),
            "POSITIVE_INFINITY": .number(.infinity),
            "NEGATIVE_INFINITY": .number(-.infinity),
            "NaN": .number(.nan),
        ]
        for (k, v) in statics { f.properties[k] = v }
        return f
    }()

    static func call(_ n: Double, _ name: String, _ args: [JSValue], _ interp: Interpreter) throws -> JSValue? {
        switch name {
        case "valueOf": return .number(n)
        case "toString":
            let radixValue = arg(args, 0)
            let radix = radixValue.isUndefined ? 10 : Int(radixValue.toNumber().integerOrInfinity.clamped)
            guard (2...36).contains(radix) else { throw interp.rangeError("toString() radix must be between 2 and 36") }
            return .string(radix == 10 ? JSNumberFormatting.string(n) : toString(n, radix: radix))
        case "toFixed":
            let digits = arg(args, 0).toNumber().integerOrInfinity
            guard digits >= 0, digits <= 100 else { throw interp.rangeError("toFixed() digits argument must be between 0 and 100") }
            if !n.isFinite { return .string(JSNumberFormatting.string(n)) }
            if Swift.abs(n) >= 1e21 { return .string(JSNumberFormatting.string(n)) }
            return .string(IntlNumberFormat.toFixed(n, Int(digits)))
        case "toPrecision":
            if arg(args, 0).isUndefined || !n.isFinite { return .string(JSNumberFormatting.string(n)) }
            let p = arg(args, 0).toNumber().integerOrInfinity
            guard p >= 1, p <= 100 else { throw interp.rangeError("toPrecision() argument must be between 1 and 100") }
            return .string(toPrecision(n, Int(p)))
        case "toExponential":
            if !n.isFinite { return .string(JSNumberFormatting.string(n)) }
            let digits = arg(args, 0)
            if !digits.isUndefined {
                let d = digits.toNumber().integerOrInfinity
                guard d >= 0, d <= 100 else { throw interp.rangeError("toExponential() argument must be between 0 and 100") }
                return .string(toExponential(n, Int(d)))
            }
            return .string(toExponential(n, nil))
        case "toLocaleString":
            guard let format = NumberExtensions.functions["format"] else { return .string(JSNumberFormatting.string(n)) }
            let extArgs = args.map { LuxonBridge.toExtension($0) }
            do {
                return LuxonBridge.toRuntime(try format(.number(n), extArgs, interp.extensionContext))
            } catch {
                throw ExtensionBridge.mapError(error, interp)
            }
        default:
            return nil
        }
    }

    static func toString(_ value: Double, radix: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let negative = value < 0
        var integer = Swift.abs(value).rounded(.towardZero)
        var fraction = Swift.abs(value) - integer
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var intDigits: [Character] = []
        if integer == 0 { intDigits = ["0"] }
        while integer > 0 {
            let d = Int(integer.truncatingRemainder(dividingBy: Double(radix)))
            intDigits.append(digits[d])
            integer = (integer / Double(radix)).rounded(.towardZero)
        }
        var out = (negative ? "-" : "") + String(intDigits.reversed())
        if fraction > 0 {
            out += "."
            var count = 0
            while fraction > 0, count < 52 {
                fraction *= Double(radix)
                let d = Int(fraction)
                out.append(digits[d])
                fraction -= Double(d)
                count += 1
            }
        }
        return out
    }

    static func toExponential(_ n: Double, _ digits: Int?) -> String {
        let text: String
        if let digits {
            text = String(format: "%.\(digits)e", n)
        } else {
            // Shortest form: as many digits as JavaScript's own conversion.
            let shortest = JSNumberFormatting.string(Swift.abs(n))
            let significant = shortest.filter(\.isNumber).drop { $0 == "0" }
            let count = Swift.max(0, significant.count - 1 - (shortest.contains("e") ? shortest.split(separator: "e")[1].filter(\.isNumber).count : 0))
            text = String(format: "%.\(Swift.min(count, 20))e", n)
        }
        // %e prints e+05; JavaScript prints e+5.
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        let sign = exponent.first == "-" ? "-" : "+"
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" })
        return mantissa + "e" + sign + (exponent.isEmpty ? "0" : exponent)
    }

    static func toPrecision(_ n: Double, _ p: Int) -> String {
        if n == 0 { return p == 1 ? "0" : "0." + String(repeating: "0", count: p - 1) }
        let exp = String(format: "%.\(p - 1)e", n)
        guard let eIndex = exp.firstIndex(of: "e"), let e = Int(exp[exp.index(after: eIndex)...]) else { return exp }
        if e < -6 || e >= p { return toExponential(n, p - 1) }
        return String(format: "%.\(Swift.max(0, p - 1 - e))f", n)
    }
}
