public import FlowrunCore
import FlowrunExpressions
import Foundation
public import PostgresNIO

/// Where and how to connect to one Postgres server: n8n's `postgres` credential fields, or a
/// `postgres://` URL. Two equal settings share one pooled client in `PostgresPool`.
///
/// `description` and `location` never show the password.
public struct PostgresConnectionSettings: Sendable, Hashable, CustomStringConvertible {
    /// n8n's `ssl` credential values.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require, verify
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String
    public var ssl: SSLMode
    /// n8n's `allowUnauthorizedCerts`: TLS without certificate verification.
    public var allowUnauthorizedCerts: Bool
    public var maxConnections: Int
    public var connectTimeout: Duration

    public init(host: String = "localhost", port: Int = 5432, database: String = "postgres", user: String = "postgres",
                password: String = "", ssl: SSLMode = .disable, allowUnauthorizedCerts: Bool = false,
                maxConnections: Int = 100, connectTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.ssl = ssl
        self.allowUnauthorizedCerts = allowUnauthorizedCerts
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
    }

    /// Reads n8n's `postgres` credential (defaults as n8n: localhost, 5432, postgres, postgres,
    /// ssl `disable`, maxConnections 100).
    ///
    /// - Throws: `PostgresBackendError` (`.configuration`) naming the field that is wrong.
    public init(credential: ResolvedCredential) throws {
        self.init()
        let data = credential.data
        func text(_ field: String) -> String? {
            let s = credential.string(field)
            return data[field] == nil || s.isEmpty ? nil : s
        }
        host = text("host") ?? host
        database = text("database") ?? database
        user = text("user") ?? user
        password = credential.string("password")
        if let p = text("port") {
            guard let port = Int(p).flatMap({ (1...65535).contains($0) ? $0 : nil }) else {
                throw PostgresBackendError(.configuration, "\(credential): field \"port\" is not a port number")
            }
            self.port = port
        }
        if let m = text("maxConnections"), let n = Double(m), n >= 1 { maxConnections = Int(n) }
        if let s = text("ssl") {
            guard let mode = SSLMode(rawValue: s) else {
                throw PostgresBackendError(.configuration, "\(credential): field \"ssl\" is \"\(s)\"; expected one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            ssl = mode
        }
        allowUnauthorizedCerts = data["allowUnauthorizedCerts"]?.coercedBool ?? false
        if data["sshTunnel"]?.coercedBool == true {
            throw PostgresBackendError(.configuration, "\(credential): SSH tunnels are not supported by flowrun; open the tunnel outside and point host/port at it")
        }
    }

    /// Parses `postgres[ql]://user:password@host:port/database?sslmode=require` (user, password and
    /// database percent-decoded; `sslmode` takes the credential's `ssl` values, `connect_timeout`
    /// seconds).
    ///
    /// - Throws: `PostgresBackendError` (`.configuration`); the message never contains the password.
    public init(url text: String) throws {
        self.init()
        guard let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql",
              let host = url.host, !host.isEmpty
        else {
            throw PostgresBackendError(.configuration, "postgres URL: expected postgres://user:password@host:port/database")
        }
        self.host = host
        port = url.port ?? 5432
        user = url.user?.removingPercentEncoding ?? user
        password = url.password?.removingPercentEncoding ?? ""
        let db = String(url.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        database = db.isEmpty ? user : db
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: item.value ?? "") else {
                    throw PostgresBackendError(.configuration, "postgres URL: sslmode \"\(item.value ?? "")\" is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                ssl = mode
            case "connect_timeout":
                if let s = item.value.flatMap(Int.init), s > 0 { connectTimeout = .seconds(s) }
            default:
                continue
            }
        }
    }

    /// `user@host:port/database`, for messages and logs.
    public var location: String { "\(user)@\(host):\(port)/\(database)" }

    public var description: String { "postgres \(location)" }

    func tlsConfiguration() -> TLSConfiguration? {
        if ssl == .disable && !allowUnauthorizedCerts { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if allowUnauthorizedCerts || ssl == .allow || ssl == .prefer || ssl == .require {
            tls.certificateVerification = .none
        } else if ssl == .verify {
            tls.certificateVerification = .noHostnameVerification
        }
        return tls
    }

    /// The pooled client's configuration.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch (tlsConfiguration(), ssl) {
        case (nil, _): tls = .disable
        case (let c?, .allow), (let c?, .prefer): tls = .prefer(c)
        case (let c?, _): tls = .require(c)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// A single connection's configuration (the connectivity probe).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch (tlsConfiguration(), ssl) {
        case (nil, _): tls = .disable
        case (let c?, .allow), (let c?, .prefer): tls = .prefer(try NIOSSLContext(configuration: c))
        case (let c?, _): tls = .require(try NIOSSLContext(configuration: c))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
                                                            + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }
}
