import FlowrunCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which destinations outbound HTTP may reach. Off by default (local use reaches everything);
/// `blockingPrivateAddresses` refuses loopback, private (RFC 1918, unique-local), link-local,
/// carrier-grade NAT and unspecified addresses: SSRF protection for workflows built from untrusted input.
///
/// The check resolves the host name and tests every address it resolves to, not the name, so
/// `localtest.me` or a DNS entry pointing at 10.0.0.1 is refused too. Redirect targets are checked
/// hop by hop. The connection itself resolves the name again, so a DNS server that answers
/// differently within milliseconds (rebinding) is not covered.
public struct OutboundPolicy: Sendable, Hashable {
    /// Refuse loopback, private, link-local and unspecified addresses.
    public var blocksPrivateAddresses: Bool
    /// Host names (lower-case) allowed even when they resolve to blocked addresses.
    public var allowedHosts: Set<String>

    public init(blocksPrivateAddresses: Bool = false, allowedHosts: Set<String> = []) {
        self.blocksPrivateAddresses = blocksPrivateAddresses
        self.allowedHosts = allowedHosts
    }

    /// Everything is reachable (the default).
    public static let open = OutboundPolicy()
    /// Loopback, private and link-local addresses are refused.
    public static let blockingPrivateAddresses = OutboundPolicy(blocksPrivateAddresses: true)

    /// Throws `HTTPTransportError(.blockedByPolicy)` naming the host when `host` resolves to a refused
    /// address, `.hostNotFound` when it does not resolve.
    public func check(host: String, port: Int) throws {
        guard blocksPrivateAddresses, !allowedHosts.contains(host.lowercased()) else { return }
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        for address in try Self.resolve(name, port: port) where Self.isBlocked(address) {
            throw HTTPTransportError(
                .blockedByPolicy, host: "\(host):\(port)",
                "the outbound policy refuses \(host) because it resolves to a loopback, private or link-local address (\(Self.render(address)))")
        }
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    typealias Address = [UInt8]

    /// Whether `address` is loopback, private, link-local, CGNAT, multicast-free-but-unspecified…
    static func isBlocked(_ a: Address) -> Bool {
        if a.count == 4 {
            switch (a[0], a[1]) {
            case (0, _), (10, _), (127, _): return true
            case (169, 254), (192, 168): return true
            case (172, let b) where (16...31).contains(b): return true
            case (100, let b) where (64...127).contains(b): return true
            default: return a == [255, 255, 255, 255]
            }
        }
        guard a.count == 16 else { return true }
        if a.allSatisfy({ $0 == 0 }) { return true }
        if a[0..<15].allSatisfy({ $0 == 0 }) && a[15] == 1 { return true }
        if a[0] & 0xFE == 0xFC { return true }
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return true }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses carry an IPv4 address.
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xFF && a[11] == 0xFF { return isBlocked(Array(a[12..<16])) }
        return false
    }

    static func render(_ a: Address) -> String {
        if a.count == 4 { return a.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: a.count, by: 2).map { String(UInt16(a[$0]) << 8 | UInt16(a[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// Resolves `host` with the system resolver (numeric addresses included).
    static func resolve(_ host: String, port: Int) throws -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw HTTPTransportError(.hostNotFound, host: "\(host):\(port)", "the host name does not resolve")
        }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let sa = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                        var addr = sin.pointee.sin_addr
                        addresses.append(withUnsafeBytes(of: &addr) { Array($0) })
                    }
                } else if info.pointee.ai_family == AF_INET6 {
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                        var addr = sin6.pointee.sin6_addr
                        addresses.append(withUnsafeBytes(of: &addr) { Array($0) })
                    }
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
