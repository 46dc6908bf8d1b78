import Foundation

/// A subset of `Intl.NumberFormat` (decimal, percent and currency styles; the common locales)
/// and JavaScript's `Number.prototype.toFixed`.
package enum IntlNumberFormat {
    /// Options of `Intl.NumberFormat` flowrun understands.
    package struct Options: Sendable {
        package var style = "decimal"
        package var currency: String?
        package var currencyDisplay = "symbol"
        package var minimumFractionDigits: Int?
        package var maximumFractionDigits: Int?
        package var minimumIntegerDigits = 1
        package var useGrouping = true
        package init() {}
    }

    struct Symbols {
        var group: String
        var decimal: String
        var currencyAfter: Bool
        var percentSpace: Bool
        var minimumGroupingDigits = 1
    }

    static func symbols(_ locale: String) -> Symbols {
        let lang = LuxonLocale.language(locale)
        let region = locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).dropFirst().first.map { $0.uppercased() } ?? ""
        switch lang {
        case "de":
            if region == "CH" { return Symbols(group: "’", decimal: ".", currencyAfter: false, percentSpace: false) }
            return Symbols(group: ".", decimal: ",", currencyAfter: true, percentSpace: true)
        case "fr": return Symbols(group: "\u{202F}", decimal: ",", currencyAfter: true, percentSpace: true)
        case "es": return Symbols(group: ".", decimal: ",", currencyAfter: true, percentSpace: true, minimumGroupingDigits: 2)
        case "it", "nl", "pt", "id", "tr", "da":
            return Symbols(group: ".", decimal: ",", currencyAfter: lang != "nl" && lang != "pt", percentSpace: lang != "it" && lang != "pt")
        case "ru", "pl", "cs", "sv", "fi", "nb", "uk":
            return Symbols(group: "\u{00A0}", decimal: ",", currencyAfter: true, percentSpace: true, minimumGroupingDigits: lang == "pl" ? 2 : 1)
        default: return Symbols(group: ",", decimal: ".", currencyAfter: false, percentSpace: false)
        }
    }

    static let currencySymbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CNY": "CN¥", "BRL": "R$", "CAD": "CA$", "AUD": "A$", "CHF": "CHF"]

    /// `new Intl.NumberFormat(locale, options).format(value)`.
    package static func format(_ value: Double, locale: String = "en-US", options: Options = Options()) -> String {
        let sym = symbols(locale)
        if value.isNaN { return "NaN" }
        var v = value
        var minFraction = options.minimumFractionDigits ?? 0
        var maxFraction = options.maximumFractionDigits ?? max(minFraction, 3)
        if options.style == "percent" {
            v *= 100
            minFraction = options.minimumFractionDigits ?? 0
            maxFraction = options.maximumFractionDigits ?? max(minFraction, 0)
        } else if options.style == "currency" {
            let digits = options.currency?.uppercased() == "JPY" ? 0 : 2
            minFraction = options.minimumFractionDigits ?? digits
            maxFraction = options.maximumFractionDigits ?? max(minFraction, digits)
        }
        maxFraction = max(maxFraction, minFraction)
        let negative = v < 0 || (v == 0 && v.sign == .minus && false)
        var body: String
        if v.isInfinite {
            body = "∞"
        } else {
            let (intDigits, fracDigits) = roundedDecimal(abs(v), fractionDigits: maxFraction)
            var frac = fracDigits
            while frac.count > minFraction, frac.hasSuffix("0") { frac.removeLast() }
            var int = intDigits
            if int.count < options.minimumIntegerDigits { int = String(repeating: "0", count: options.minimumIntegerDigits - int.count) + int }
            if options.useGrouping, int.count >= 4 + (sym.minimumGroupingDigits - 1) {
                var groups: [String] = []
                var rest = Substring(int)
                while rest.count > 3 {
                    groups.insert(String(rest.suffix(3)), at: 0)
                    rest = rest.dropLast(3)
                }
                groups.insert(String(rest), at: 0)
                int = groups.joined(separator: sym.group)
            }
            body = frac.isEmpty ? int : int + sym.decimal + frac
        }
        let isNegative = negative && body.contains(where: { $0 != "0" && $0.isNumber })
        switch options.style {
        case "percent":
            body += sym.percentSpace ? "\u{00A0}%" : "%"
        case "currency":
            let code = options.currency?.uppercased() ?? "USD"
            let symbol = options.currencyDisplay == "code" ? code : (currencySymbols[code] ?? code)
            if sym.currencyAfter {
                body += "\u{00A0}" + symbol
            } else {
                body = symbol.count > 1 && symbol.allSatisfy(\.isLetter) ? symbol + "\u{00A0}" + body : symbol + body
            }
        default:
            break
        }
        return isNegative ? "-" + body : body
    }

    /// Integer and fraction digits of `value` (≥ 0) rounded half away from zero at `fractionDigits`,
    /// starting from its shortest round-trip decimal form, as ICU does.
    static func roundedDecimal(_ value: Double, fractionDigits: Int) -> (String, String) {
        var (digits, exponent) = shortestDigits(value)
        // value = 0.digits × 10^exponent
        var intPart: String
        var fracPart: String
        if exponent > 0 {
            if digits.count <= exponent {
                intPart = digits + String(repeating: "0", count: exponent - digits.count)
                fracPart = ""
            } else {
                intPart = String(digits.prefix(exponent))
                fracPart = String(digits.dropFirst(exponent))
            }
        } else {
            intPart = "0"
            fracPart = String(repeating: "0", count: -exponent) + digits
        }
        if fracPart.count > fractionDigits {
            let roundUp = fracPart[fracPart.index(fracPart.startIndex, offsetBy: fractionDigits)] >= "5"
            fracPart = String(fracPart.prefix(fractionDigits))
            if roundUp {
                var all = Array(intPart + fracPart)
                var i = all.count - 1
                while i >= 0 {
                    if all[i] == "9" { all[i] = "0"; i -= 1 } else { all[i] = Character(String(all[i].wholeNumberValue! + 1)); break }
                }
                var joined = String(all)
                if i < 0 { joined = "1" + joined }
                intPart = String(joined.prefix(joined.count - fractionDigits))
                fracPart = String(joined.suffix(fractionDigits))
            }
        }
        digits = ""
        exponent = 0
        let trimmedInt = String(intPart.drop(while: { $0 == "0" }))
        return (trimmedInt.isEmpty ? "0" : trimmedInt, fracPart + String(repeating: "0", count: max(0, fractionDigits - fracPart.count)))
    }

    /// The shortest round-trip digits of a finite non-negative double and its decimal exponent
    /// (value = 0.d1d2… × 10^exponent).
    static func shortestDigits(_ value: Double) -> (String, Int) {
        if value == 0 { return ("0", 1) }
        let text = "\(value)"  // Swift prints the shortest round-trip form
        var mantissa = text
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exp = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intDigits = String(parts[0])
        let fracDigits = parts.count > 1 ? String(parts[1]) : ""
        var digits = intDigits + fracDigits
        var pointPosition = intDigits.count + exp
        let leading = digits.prefix(while: { $0 == "0" }).count
        digits.removeFirst(leading)
        pointPosition -= leading
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { return ("0", 1) }
        return (digits, pointPosition)
    }

    /// `Number.prototype.toFixed(digits)` (exact binary value; ties go away from zero).
    package static func toFixed(_ value: Double, _ digits: Int) -> String {
        if value.isNaN { return "NaN" }
        if abs(value) >= 1e21 || value.isInfinite { return JSNumberFormatting.string(value) }
        let f = max(0, min(100, digits))
        let magnitude = abs(value)
        var text = String(format: "%.\(f)f", magnitude)
        let precise = String(format: "%.\(f + 30)f", magnitude)
        if let dot = precise.firstIndex(of: ".") {
            let tail = precise[precise.index(dot, offsetBy: f + 1)...]
            if tail.first == "5", tail.dropFirst().allSatisfy({ $0 == "0" }) {
                // An exact tie: printf rounded half to even, JavaScript takes the larger magnitude.
                let truncated = String(precise[..<precise.index(dot, offsetBy: f == 0 ? 0 : f + 1)])
                let step = pow(10.0, Double(-f))
                let up = (Double(truncated) ?? magnitude) + step
                text = String(format: "%.\(f)f", up)
            }
        }
        let isZero = text.allSatisfy { $0 == "0" || $0 == "." }
        return value < 0 && !isZero ? "-" + text : (value < 0 ? "-" + text : text)
    }
}
