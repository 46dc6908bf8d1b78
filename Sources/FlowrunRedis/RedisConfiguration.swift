public import FlowrunCore
import FlowrunExpressions

/// Where and how to connect: address, database, AUTH and timeouts.
///
/// From a URL (`redis://[user[:password]@]host[:port][/db]`) or from n8n's `redis` credential
/// (`host`, `port`, `database`, `user`, `password`, `ssl`). TLS (`rediss://`, `ssl: true`) is not
/// supported: it fails with a configuration error rather than connecting in clear text.
public struct RedisConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// SELECTed after connecting when not 0.
    public var database: Int
    /// ACL user for `AUTH user password` (Redis 6+); nil for `AUTH password`.
    public var user: String?
    public var password: String?
    /// Longest wait for the TCP connection (n8n: 10 s).
    public var connectTimeout: Duration
    /// Longest wait for a reply (blocking commands add their own block time); nil waits forever.
    public var commandTimeout: Duration?
    /// Most connections the pool keeps open to this server.
    public var maximumConnections: Int

    public init(
        host: String = "127.0.0.1", port: Int = 6379, database: Int = 0, user: String? = nil, password: String? = nil,
        connectTimeout: Duration = .seconds(10), commandTimeout: Duration? = .seconds(30), maximumConnections: Int = 8
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumConnections = maximumConnections
    }

    /// `redis://[user[:password]@]host[:port][/db]` (percent-encoded user and password).
    public init(url: String) throws(RedisBackendError) {
        self.init()
        guard let schemeEnd = url.range(of: "://") else {
            throw RedisBackendError(.configuration, "invalid Redis URL: expected redis://host:port/db")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme == "rediss" {
            throw RedisBackendError(.configuration, "TLS (rediss://) is not supported by flowrun's Redis client")
        }
        guard scheme == "redis" else {
            throw RedisBackendError(.configuration, "invalid Redis URL: the scheme must be redis://, found \(scheme)://")
        }
        var rest = url[schemeEnd.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = Self.percentDecoded(userInfo[..<colon])
                self.user = user.isEmpty ? nil : user
                self.password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                // redis://password@host is common shorthand (as redis-cli -u reads it).
                self.password = Self.percentDecoded(userInfo)
            }
        }
        if rest.hasPrefix("[") , let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else { rest = "" }
            if !rest.isEmpty { port = try Self.port(rest) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            host = String(rest)
        }
        if host.isEmpty { host = "127.0.0.1" }
        if !path.isEmpty {
            guard let db = Int(path), db >= 0 else {
                throw RedisBackendError(.configuration, "invalid Redis URL: the database must be a number, found \"\(path)\"")
            }
            database = db
        }
    }

    /// n8n's `redis` credential: host, port (6379), database (0), user, password, ssl.
    public init(credential: ResolvedCredential) throws(RedisBackendError) {
        self.init()
        let data = credential.data
        if data["ssl"]?.coercedBool == true {
            throw RedisBackendError(.configuration, "\(credential) asks for SSL/TLS, which flowrun's Redis client does not support")
        }
        let host = credential.string("host")
        self.host = host.isEmpty ? "localhost" : host
        if let port = data["port"], !port.isNull, !(port.stringValue?.isEmpty ?? false) {
            guard let number = port.coercedNumber, number > 0, number < 65536, number == number.rounded() else {
                throw RedisBackendError(.configuration, "\(credential): port must be a number from 1 to 65535")
            }
            self.port = Int(number)
        }
        if let db = data["database"], !db.isNull, !(db.stringValue?.isEmpty ?? false) {
            guard let number = db.coercedNumber, number >= 0, number == number.rounded() else {
                throw RedisBackendError(.configuration, "\(credential): database must be a number (0, 1, ...)")
            }
            self.database = Int(number)
        }
        let user = credential.string("user")
        self.user = user.isEmpty ? nil : user
        let password = credential.string("password")
        self.password = password.isEmpty ? nil : password
    }

    /// "host:port", for errors and logs.
    public var serverName: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func port(_ text: Substring) throws(RedisBackendError) -> Int {
        guard let port = Int(text), port > 0, port < 65536 else {
            throw RedisBackendError(.configuration, "invalid Redis URL: the port must be a number from 1 to 65535")
        }
        return port
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
