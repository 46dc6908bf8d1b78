/// JavaScript's string-to-number conversions, as the extensions need them.
package enum JSNumberParsing {
    static func isJSWhitespace(_ c: Character) -> Bool {
        c.isWhitespace || c == "\u{FEFF}"
    }

    /// `Number(text)`: whole-string numeric literal after trimming, `""` is 0, else NaN.
    package static func number(_ text: String) -> Double {
        let s = String(text.drop(while: isJSWhitespace).reversed().drop(while: isJSWhitespace).reversed())
        if s.isEmpty { return 0 }
        let lower = s.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            let digits = lower.dropFirst(2)
            guard !digits.isEmpty else { return .nan }
            var value = 0.0
            for ch in digits {
                guard let d = ch.hexDigitValue, d < radix else { return .nan }
                value = value * Double(radix) + Double(d)
            }
            return value
        }
        switch s {
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        guard isDecimalLiteral(s) else { return .nan }
        return Double(s) ?? .nan
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE][+-]?digits)?`
    static func isDecimalLiteral(_ s: String) -> Bool {
        var chars = Substring(s)
        if chars.first == "+" || chars.first == "-" { chars = chars.dropFirst() }
        let intDigits = chars.prefix(while: \.isASCIIDigit)
        chars = chars.dropFirst(intDigits.count)
        var fracDigits = Substring("")
        if chars.first == "." {
            chars = chars.dropFirst()
            fracDigits = chars.prefix(while: \.isASCIIDigit)
            chars = chars.dropFirst(fracDigits.count)
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { return false }
        if chars.first == "e" || chars.first == "E" {
            chars = chars.dropFirst()
            if chars.first == "+" || chars.first == "-" { chars = chars.dropFirst() }
            let exp = chars.prefix(while: \.isASCIIDigit)
            guard !exp.isEmpty else { return false }
            chars = chars.dropFirst(exp.count)
        }
        return chars.isEmpty
    }

    /// `parseFloat(text)`: the longest numeric prefix after leading whitespace.
    package static func parseFloat(_ text: String) -> Double {
        let s = Substring(text.drop(while: isJSWhitespace))
        var sign = 1.0
        var rest = s
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() } else if rest.first == "+" { rest = rest.dropFirst() }
        if rest.hasPrefix("Infinity") { return sign * .infinity }
        var end = rest.startIndex
        var sawDigit = false
        var i = rest.startIndex
        while i < rest.endIndex, rest[i].isASCIIDigit { i = rest.index(after: i); sawDigit = true; end = i }
        if i < rest.endIndex, rest[i] == "." {
            i = rest.index(after: i)
            if sawDigit { end = i }
            while i < rest.endIndex, rest[i].isASCIIDigit { i = rest.index(after: i); sawDigit = true; end = i }
        }
        guard sawDigit else { return .nan }
        if i < rest.endIndex, rest[i] == "e" || rest[i] == "E" {
            var j = rest.index(after: i)
            if j < rest.endIndex, rest[j] == "+" || rest[j] == "-" { j = rest.index(after: j) }
            var expEnd = j
            while expEnd < rest.endIndex, rest[expEnd].isASCIIDigit { expEnd = rest.index(after: expEnd) }
            if expEnd > j { end = expEnd }
        }
        var literal = String(rest[rest.startIndex..<end])
        if literal.hasSuffix(".") { literal.removeLast() }
        if literal.hasPrefix(".") { literal = "0" + literal }
        return sign * (Double(literal) ?? .nan)
    }

    /// `parseInt(text, radix)`.
    package static func parseInt(_ text: String, radix radixValue: Double? = nil) -> Double {
        var s = Substring(text.drop(while: isJSWhitespace))
        var sign = 1.0
        if s.first == "-" { sign = -1; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        var radix = Int(radixValue.map { $0.isFinite ? $0.rounded(.towardZero) : 0 } ?? 0)
        if radix != 0 && (radix < 2 || radix > 36) { return .nan }
        if radix == 0 || radix == 16, s.lowercased().hasPrefix("0x") {
            s = s.dropFirst(2)
            radix = 16
        }
        if radix == 0 { radix = 10 }
        var value = 0.0
        var any = false
        for ch in s {
            guard let d = ch.hexDigitValue ?? (ch.isLetter && ch.isASCII ? Int(ch.lowercased().unicodeScalars.first!.value) - 87 : nil), d < radix else { break }
            value = value * Double(radix) + Double(d)
            any = true
        }
        return any ? sign * value : .nan
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
