import Foundation

/// The parts of a request URL the transport checks.
struct Target {
    var scheme: String
    var host: String
    var port: Int

    init(_ url: String) throws {
        if let simple = Self.simple(url) {
            self = simple
            return
        }
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = u.host, !host.isEmpty
        else {
            let host = URL(string: url)?.host ?? "?"
            throw HTTPTransportError(.invalidURL, host: host, "the URL must be absolute and start with http:// or https://")
        }
        self.scheme = scheme
        self.host = host
        self.port = u.port ?? (scheme == "https" ? 443 : 80)
    }

    var hostAndPort: String { "\(host):\(port)" }

    private init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// The parts of a plain `http(s)://host[:port][/…]` URL (lower-case scheme, host of letters,
    /// digits, dots and dashes, a decimal port, every other character one a URL may hold as it
    /// is), read without Foundation's parser, which cost more than the rest of this check for
    /// every request; nil for anything else (user info, IPv6, percent-encoded or non-ASCII
    /// hosts…), which Foundation then parses.
    static func simple(_ url: String) -> Target? {
        let bytes = url.utf8
        let scheme: String
        let schemeLength: Int
        if bytes.starts(with: "https://".utf8) {
            (scheme, schemeLength) = ("https", 8)
        } else if bytes.starts(with: "http://".utf8) {
            (scheme, schemeLength) = ("http", 7)
        } else {
            return nil
        }
        let rest = bytes.dropFirst(schemeLength)
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        guard isPlain(rest[authorityEnd...]) else { return nil }
        let authority = rest[..<authorityEnd]
        let hostEnd = authority.firstIndex(of: UInt8(ascii: ":")) ?? authority.endIndex
        let hostBytes = authority[..<hostEnd]
        guard !hostBytes.isEmpty, hostBytes.allSatisfy({ isHostByte($0) }) else { return nil }
        var port = scheme == "https" ? 443 : 80
        if hostEnd != authority.endIndex {
            let digits = authority[authority.index(after: hostEnd)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            port = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard port <= 65535 else { return nil }
        }
        return Target(scheme: scheme, host: String(Substring(hostBytes)), port: port)
    }

    static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Whether a URL's path, query and fragment hold only characters a URL may hold as they are
    /// (and `%` only before two hex digits).
    static func isPlain(_ bytes: Substring.UTF8View.SubSequence) -> Bool {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard isPlainURLByte(byte) else { return false }
            if byte == UInt8(ascii: "%") {
                let hex = bytes[bytes.index(after: index)...].prefix(2)
                guard hex.count == 2, hex.allSatisfy({ $0 < 0x80 && Character(UnicodeScalar($0)).isHexDigit }) else { return false }
            }
            index = bytes.index(after: index)
        }
        return true
    }

    /// RFC 3986's unreserved characters, the reserved ones outside the host (no brackets) and `%`.
    static func isPlainURLByte(_ byte: UInt8) -> Bool {
        if isHostByte(byte) { return true }
        return switch byte {
        case UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"),
             UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","),
             UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }
}
