public import FlowrunCore
public import Foundation
import PostgresNIO

/// A Postgres failure as flowrun reports it: where (the server, without the password), then why
/// (Postgres's SQLSTATE and message, or the connection problem).
///
/// Connection failures (refused, closed, terminated by an administrator), cancelled statements,
/// serialization failures and deadlocks are retryable; SQL errors, bad credentials and bad
/// configuration are permanent.
public struct PostgresBackendError: Error, RetryClassifying, CustomStringConvertible, CustomNSError, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The credential or URL cannot be used.
        case configuration
        /// No connection (refused, unreachable, timed out, closed mid-query, TLS).
        case connection
        /// The server refused the login (SQLSTATE class 28).
        case authentication
        /// The server rejected the statement (SQLSTATE in `sqlState`).
        case server
    }

    public var kind: Kind
    /// Postgres's SQLSTATE (`42P01`), when the server sent one.
    public var sqlState: String?
    /// Postgres's message, or the connection problem.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position in the statement, when the server sent one.
    public var position: Int?
    /// `user@host:port/database`.
    public var location: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
                position: Int? = nil, location: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.position = position
        self.location = location
    }

    public var description: String {
        var text = location.map { "postgres \($0): " } ?? ""
        if let sqlState { text += "\(message) (SQLSTATE \(sqlState))" } else { text += message }
        return text
    }

    public static var errorDomain: String { "flowrun.postgres" }

    /// For modules that cannot name this type (the Postgres node): `NSLocalizedDescriptionKey` =
    /// `message`, plus `kind`, `sqlState`, `detail`, `hint`, `position`, `location` (strings).
    public var errorUserInfo: [String: Any] {
        var info: [String: Any] = [NSLocalizedDescriptionKey: message, "kind": kind.rawValue]
        if let sqlState { info["sqlState"] = sqlState }
        if let detail { info["detail"] = detail }
        if let hint { info["hint"] = hint }
        if let position { info["position"] = String(position) }
        if let location { info["location"] = location }
        return info
    }

    public var retryDisposition: RetryDisposition {
        switch kind {
        case .configuration, .authentication: return .permanent
        case .connection: return .retryable(after: nil)
        case .server:
            guard let state = sqlState else { return .permanent }
            // 08 connection exception, 53 insufficient resources, 57P01-03 shutdown/terminated,
            // 57014 query cancelled (statement timeout), 40001 serialization, 40P01 deadlock.
            if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") || state == "57014"
                || state == "40001" || state == "40P01" {
                return .retryable(after: nil)
            }
            return .permanent
        }
    }

    public var retryCategory: RetryCategory? {
        guard case .retryable = retryDisposition else { return nil }
        if sqlState == "57014" { return .timeout }
        if kind == .connection, message.contains("timed out") { return .timeout }
        if kind == .server, sqlState?.hasPrefix("08") != true, sqlState?.hasPrefix("57P") != true { return .serverError }
        return .connection
    }

    /// Maps a PostgresNIO (or pool) error. Never includes the password: PostgresNIO's own
    /// descriptions are not used for server errors, and the settings' `location` has none.
    static func from(_ error: any Error, settings: PostgresConnectionSettings) -> PostgresBackendError {
        if let mine = error as? PostgresBackendError { return mine }
        let location = settings.location
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let state = info[.sqlState] {
                let message = info[.message] ?? "server error"
                let kind: Kind = state.hasPrefix("28") ? .authentication : (state.hasPrefix("08") ? .connection : .server)
                return PostgresBackendError(kind, message, sqlState: state, detail: info[.detail], hint: info[.hint],
                                            position: info[.position].flatMap(Int.init), location: location)
            }
            switch e.code {
            case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return PostgresBackendError(.connection, "the connection was closed", location: location)
            case .connectionError:
                return PostgresBackendError(.connection, connectionReason(e.underlying), location: location)
            case .queryCancelled:
                return PostgresBackendError(.connection, "the query was cancelled", location: location)
            case .sslUnsupported:
                return PostgresBackendError(.connection, "the server does not support SSL (set ssl to disable)", location: location)
            case .authMechanismRequiresPassword:
                return PostgresBackendError(.authentication, "the server asks for a password and none is set", location: location)
            case .unsupportedAuthMechanism, .saslError:
                return PostgresBackendError(.authentication, "authentication failed (\(e.code))", location: location)
            case .poolClosed:
                return PostgresBackendError(.connection, "the connection pool is shut down", location: location)
            default:
                return PostgresBackendError(.connection, "\(e.code)", location: location)
            }
        }
        return PostgresBackendError(.connection, connectionReason(error), location: location)
    }

    static func connectionReason(_ error: (any Error)?) -> String {
        guard let error else { return "connection error" }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "Connection refused" }
        if text.contains("connectTimeout") || text.contains("timed out") { return "Connection timed out" }
        if text.contains("reset") { return "Connection reset by the server" }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return "Connection timed out"
            case .ioOnClosedChannel, .alreadyClosed, .eof: return "the connection was closed"
            default: return "connection error (\(channel))"
            }
        }
        // Socket errors carry no secrets; keep them short.
        return "connection error: " + String(text.prefix(200))
    }
}
