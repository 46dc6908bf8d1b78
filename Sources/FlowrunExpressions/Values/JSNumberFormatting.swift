/// JavaScript's Number-to-String conversion (ECMAScript Number::toString with radix 10).
///
/// Swift's `description` already yields the shortest round-tripping digits; only the layout
/// differs (`1.0` vs `1`, `1e+16` vs `10000000000000000`, `5e-07` vs `5e-7`), so this re-lays
/// those digits out by the ECMAScript rules.
public enum JSNumberFormatting {
    /// The text JavaScript's `String(x)` gives for `x`.
    public static func string(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x == 0 { return "0" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        // Fractions between 1e-4 and 1e15 (prices, scores): Swift writes them as JavaScript does,
        // plain decimal with the same shortest digits ("1.5", "-0.0001", "123456789012345.6").
        let magnitude = x.magnitude
        if magnitude >= 1e-4, magnitude < 1e15, x != x.rounded(.towardZero) { return x.description }
        if x < 0 { return "-" + string(-x) }
        // Fast path for integers that print exactly.
        if x < 1e15, x == x.rounded(.towardZero) { return String(Int64(x)) }

        let (digits, n) = shortestDigits(x)
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let i = digits.index(digits.startIndex, offsetBy: n)
            return String(digits[..<i]) + "." + String(digits[i...])
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let expPart = "e" + (e < 0 ? "-" : "+") + String(abs(e))
        if k == 1 { return digits + expPart }
        return String(digits.first!) + "." + String(digits.dropFirst()) + expPart
    }

    /// The shortest decimal digits of a positive finite `x` and the exponent `n` such that
    /// `x = 0.d1d2…dk × 10^n`.
    static func shortestDigits(_ x: Double) -> (String, Int) {
        let text = x.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var all = String(intPart) + String(fracPart)
        var pointPos = intPart.count + exponent
        // Strip leading zeros (each moves the point left) and trailing zeros.
        while all.hasPrefix("0") && all.count > 1 {
            all.removeFirst()
            pointPos -= 1
        }
        while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
        return (all, pointPos)
    }
}
