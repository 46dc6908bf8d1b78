import Foundation

/// The text algorithms behind n8n's string extensions, as pure functions over `String`.
package enum StringAlgorithms {
    // n8n's regular expressions; `\w` spelled out as ASCII because ICU's `\w` is Unicode-wide.
    static let word = "A-Za-z0-9_"
    static var domainExtract: String {
        #"^(?:(?:https?|ftp):\/\/)?(?:mailto:)?(?:\/\/)?((?:www\.)?(?:(?:[-"# + word + #"]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?]*)?(?:\?[^\s#]*)?(?:#[^\s]*)?$"#
    }
    static var domain: String {
        #"^(?:www\.)?((?:(?:[-"# + word + #"]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?]*)?(?:\?[^\s#]*)?(?:#[^\s]*)?$"#
    }
    static let email = #"(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@(?<domain>(\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))"#
    static var urlExact: String {
        #"^(?:(?:https?|ftp):\/\/)(?:www\.)?((?:(?:[-"# + word + #"]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?#]*)?(?:\?[^\s#]*)?(?=([^\s]+#.*)?)#?[^\s]*$"#
    }
    static var url: String {
        #"(?:(?:https?|ftp):\/\/)(?:www\.)?((?:(?:[-"# + word + #"]+\.)+(?:[a-zA-Z]{2,}|xn--[a-zA-Z0-9]+)|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}))(?::\d+)?(?:\/[^\s?#]*)?(?:\?[^\s#]*)?(?=([^\s]+#.*)?)#?[^\s]*"#
    }
    /// Every currency symbol of xe.com (n8n's CURRENCY_REGEXP), removed before number parsing.
    static let currency = #"(Lek|؋|\$|ƒ|₼|Br|BZ\$|\$b|KM|P|лв|R\$|៛|¥|₡|kn|₱|Kč|kr|RD\$|£|€|¢|Q|L|Ft|₹|Rp|﷼|₪|J\$|₩|₭|ден|RM|₨|₮|MT|C\$|₦|B\/\.|Gs|S\/\.|zł|lei|₽|Дин\.|S|R|CHF|NT\$|฿|TT\$|₺|₴|\$U|Bs|₫|Z\$)"#

    package static func isEmail(_ value: String) -> Bool {
        LuxonRegex.test(email, value) && !value.contains(" ")
    }

    package static func isURL(_ value: String) -> Bool { LuxonRegex.test(urlExact, value, caseInsensitive: true) }
    package static func isDomain(_ value: String) -> Bool { LuxonRegex.test(domain, value, caseInsensitive: true) }

    package static func extractEmail(_ value: String) -> String? { LuxonRegex.match(email, value)?[0] ?? nil }
    package static func extractURL(_ value: String) -> String? { LuxonRegex.match(url, value, caseInsensitive: true)?[0] ?? nil }

    package static func extractDomain(_ value: String) -> String? {
        if isEmail(value) {
            guard let regex = LuxonRegex.compile(email) else { return nil }
            let ns = value as NSString
            guard let m = regex.firstMatch(in: value, range: NSRange(location: 0, length: ns.length)) else { return nil }
            let r = m.range(withName: "domain")
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        return LuxonRegex.match(domainExtract, value, caseInsensitive: true)?[1] ?? nil
    }

    /// `new URL(value).pathname`, nil when the WHATWG parser would throw.
    package static func urlPath(_ value: String) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard let g = LuxonRegex.match(#"^([A-Za-z][A-Za-z0-9+.\-]*):(.*)$"#, text), let scheme = g[1]?.lowercased(), let rest = g[2] else {
            return nil
        }
        let special = ["http", "https", "ftp", "ws", "wss", "file"].contains(scheme)
        var remainder = Substring(rest)
        if special {
            remainder = remainder.drop(while: { $0 == "/" || $0 == "\\" })
            let hostEnd = remainder.firstIndex(where: { "/\\?#".contains($0) }) ?? remainder.endIndex
            let host = remainder[..<hostEnd]
            if host.isEmpty && scheme != "file" { return nil }
            if host.contains(" ") { return nil }
            remainder = remainder[hostEnd...]
        } else if remainder.hasPrefix("//") {
            remainder = remainder.dropFirst(2)
            let hostEnd = remainder.firstIndex(where: { "/?#".contains($0) }) ?? remainder.endIndex
            remainder = remainder[hostEnd...]
        }
        let pathEnd = remainder.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? remainder.endIndex
        var path = String(remainder[..<pathEnd]).replacingOccurrences(of: "\\", with: special ? "/" : "\\")
        if special && path.isEmpty { path = "/" }
        return path.replacingOccurrences(of: " ", with: "%20")
    }

    package static func removeTags(_ value: String) -> String {
        LuxonRegex.replaceAll("<[^>]*>?", in: value, with: "", multiline: true)
    }

    package static func removeMarkdown(_ value: String) -> String {
        var output = LuxonRegex.replaceAll(#"^([\s\t]*)([*\-+]|\d\.)\s+"#, in: value, with: "$1", multiline: true)
        let steps: [(String, String, Bool)] = [
            (#"\n={2,}"#, "\n", false),
            ("~~", "", false),
            ("`{3}.*\\n", "", false),
            (#"<[\w|\s|=|'|"|:|(|)|,|;|/|0-9|.|-]+[>|\\>]"#, "", false),
            (#"^[=-]{2,}\s*$"#, "", false),
            (#"\[\^.+?\](: .*?$)?"#, "", false),
            (#"\s{0,2}\[.*?\]: .*?$"#, "", false),
            (#"!\[.*?\][\[(].*?[\])]"#, "", false),
            (#"\[(.*?)\][\[(].*?[\])]"#, "$1", false),
            (">", "", false),
            (#"^\s{1,2}\[(.*?)\]: (\S+)( ".*?")?\s*$"#, "", false),
            (#"^#{1,6}\s*([^#]*)\s*(#{1,6})?"#, "$1", true),
            (#"([*_]{1,3})(\S.*?\S)\1"#, "$2", false),
            (#"(`{3,})(.*?)\1"#, "$2", true),
            (#"^-{3,}\s*$"#, "", false),
            ("`(.+?)`", "$1", false),
            (#"\n{2,}"#, "\n\n", false),
        ]
        for (pattern, template, multiline) in steps {
            output = LuxonRegex.replaceAll(pattern, in: output, with: template, multiline: multiline)
        }
        return output
    }

    /// `title-case` (v3): capitalises each word except small words inside the text, URLs and
    /// words already in manual case.
    package static func titleCase(_ input: String) -> String {
        let smallWords = #"\b(?:an?d?|a[st]|because|but|by|en|for|i[fn]|neither|nor|o[fnr]|only|over|per|so|some|tha[tn]|the|to|up|upon|vs?\.?|versus|via|when|with|without|yet)\b"#
        guard let tokens = LuxonRegex.compile(#"[^\s:–—-]+|."#) else { return input }
        let ns = input as NSString
        var result = ""
        for m in tokens.matches(in: input, range: NSRange(location: 0, length: ns.length)) {
            let token = ns.substring(with: m.range)
            let index = m.range.location
            let end = index + m.range.length
            let next = end < ns.length ? ns.substring(with: NSRange(location: end, length: 1)) : ""
            let afterNext = end + 1 < ns.length ? ns.substring(with: NSRange(location: end + 1, length: 1)) : ""
            let manualCase = LuxonRegex.test(#".(?=[A-Z]|\..)"#, token)
            let small = LuxonRegex.test(smallWords, token, caseInsensitive: true)
            let isURL = next == ":" && !(afterNext.first?.isWhitespace ?? false)
            if !manualCase && (!small || index == 0 || end == ns.length) && !isURL {
                if let r = token.range(of: "[A-Za-z0-9\u{00C0}-\u{00FF}]", options: .regularExpression) {
                    result += token.replacingCharacters(in: r, with: token[r].uppercased())
                    continue
                }
            }
            result += token
        }
        return result
    }

    /// n8n's `toSentenceCase`: first letter after each `.`, `!` or `?` upper case, the rest lower.
    package static func sentenceCase(_ value: String) -> String {
        var current = Array(value)
        var buffer: [Character] = []
        while let charIndex = current.firstIndex(where: { $0.isLetter }) {
            let head = Array(current[..<charIndex])
            let letter = Array(String(current[charIndex]).uppercased())
            let tail = Array(String(current[(charIndex + 1)...]).lowercased())
            current = head + letter + tail
            guard let punctuation = current.firstIndex(where: { $0 == "!" || $0 == "?" || $0 == "." }) else {
                buffer += current
                current = []
                break
            }
            buffer += current[...punctuation]
            current = Array(current[(punctuation + 1)...])
        }
        return String(buffer + current)
    }

    package static func snakeCase(_ value: String) -> String {
        let lowered = value.lowercased()
        var out = ""
        for scalar in lowered.unicodeScalars {
            if scalar == " " || scalar == "-" { out.append("_"); continue }
            let v = scalar.value
            if (0x2000...0x206F).contains(v) || (0x2E00...0x2E7F).contains(v) { continue }
            if "\\'!\"#$%&()*+,./:;<=>?@[]^`{|}~".unicodeScalars.contains(scalar) { continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// `transliterate(value, { unknown: '?' })`.
    package static func replaceSpecialChars(_ value: String) -> String {
        let latin = value.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? value
        return String(latin.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })
    }

    package static func quote(_ value: String, with quoteChar: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
        let inner = quoteChar.isEmpty ? escaped : escaped.replacingOccurrences(of: quoteChar, with: "\\" + quoteChar)
        return quoteChar + inner + quoteChar
    }

    package static func base64Encode(_ value: String) -> String {
        Data(value.utf8).base64EncodedString()
    }

    /// js-base64 `fromBase64`: URL-safe alphabet accepted, missing padding tolerated, invalid
    /// characters dropped; bytes decoded as UTF-8.
    package static func base64Decode(_ value: String) -> String {
        var cleaned = String(value.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar {
            case "-": return "+"
            case "_": return "/"
            default:
                let c = Character(scalar)
                return c.isASCII && (c.isLetter || c.isNumber || c == "+" || c == "/") ? c : nil
            }
        })
        if cleaned.count % 4 == 1 { cleaned.removeLast() }
        while cleaned.count % 4 != 0 { cleaned.append("=") }
        guard let data = Data(base64Encoded: cleaned) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Removes every currency symbol (`value.replace(CURRENCY_REGEXP, '')`).
    package static func stripCurrency(_ value: String) -> String {
        LuxonRegex.replaceAll(currency, in: value, with: "")
    }
}
