import Foundation

/// `encodeURIComponent`, `encodeURI`, `decodeURIComponent`, `decodeURI` and
/// `URLSearchParams` serialisation, with JavaScript's rules.
package enum URIEncoding {
    static let alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    /// Characters `encodeURIComponent` leaves alone.
    package static let componentUnescaped = Set(alphanumerics + "-_.!~*'()")
    /// Characters `encodeURI` leaves alone.
    package static let encodeURIUnescaped = Set(alphanumerics + "-_.!~*'()" + ";/?:@&=+$,#")
    /// Characters `decodeURI` keeps encoded.
    package static let decodeURIReserved = ";/?:@&=+$,#"

    /// Percent-encodes UTF-8; nil for a lone surrogate (JavaScript's `URIError`).
    package static func encode(_ text: String, unescaped: Set<Character>) -> String? {
        var out = ""
        for scalar in text.unicodeScalars {
            let ch = Character(scalar)
            if scalar.isASCII, unescaped.contains(ch) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(ch).utf8 { out += String(format: "%%%02X", byte) }
            }
        }
        return out
    }

    /// Decodes `%XX` sequences as UTF-8; sequences decoding to a character in `reserved` stay
    /// encoded. Nil where JavaScript throws `URIError: URI malformed`.
    package static func decode(_ text: String, reserved: String) -> String? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < bytes.count {
            guard bytes[i] == 37 else { out.append(bytes[i]); i += 1; continue }
            guard i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
            let first = h << 4 | l
            if first < 0x80 {
                let ch = Character(Unicode.Scalar(first))
                if reserved.contains(ch) { out += bytes[i...(i + 2)] } else { out.append(first) }
                i += 3
                continue
            }
            let length: Int
            switch first {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return nil
            }
            var sequence = [first]
            var j = i + 3
            for _ in 1..<length {
                guard j + 2 < bytes.count, bytes[j] == 37, let hh = hex(bytes[j + 1]), let ll = hex(bytes[j + 2]) else { return nil }
                let b = hh << 4 | ll
                guard b & 0xC0 == 0x80 else { return nil }
                sequence.append(b)
                j += 3
            }
            guard String(validating: sequence, as: UTF8.self) != nil else { return nil }
            out += sequence
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `new URLSearchParams(record).toString()`: `application/x-www-form-urlencoded`.
    package static func formEncode(_ text: String) -> String {
        let safe = Set(alphanumerics + "*-._")
        var out = ""
        for byte in text.utf8 {
            let ch = Character(Unicode.Scalar(byte))
            if byte < 0x80, safe.contains(ch) {
                out.append(ch)
            } else if byte == 0x20 {
                out.append("+")
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
