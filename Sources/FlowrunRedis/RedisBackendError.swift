public import FlowrunCore

/// A failure of the Redis backend: the server's error reply, or a connection that could not be
/// opened, was closed, or timed out. The description names the server (host:port), never the
/// password, and never a command's arguments (they may hold item data).
public struct RedisBackendError: Error, Sendable, Hashable, CustomStringConvertible, RetryClassifying {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The server answered with an error reply (`ERR ...`, `WRONGTYPE ...`).
        public static let server = Code(name: "server")
        /// Nothing listens at the address (or it could not be resolved).
        public static let connectionRefused = Code(name: "connectionRefused")
        /// The connection closed before the reply arrived (killed, server restarted, network).
        public static let connectionClosed = Code(name: "connectionClosed")
        /// Connecting or a command took longer than allowed.
        public static let timeout = Code(name: "timeout")
        /// AUTH or SELECT failed while opening the connection.
        public static let authentication = Code(name: "authentication")
        /// The configuration (URL, credential) cannot be used.
        public static let configuration = Code(name: "configuration")
        /// The server sent bytes that are not RESP, or a reply of an unexpected shape.
        public static let protocolError = Code(name: "protocolError")
        /// The pool or client was shut down.
        public static let shutdown = Code(name: "shutdown")
        public var description: String { name }
    }

    public var code: Code
    /// What happened; for `.server` the server's error text (e.g. "WRONGTYPE Operation against a key...").
    public var message: String
    /// The server the error concerns ("127.0.0.1:6379"), when known.
    public var server: String?

    public init(_ code: Code, _ message: String, server: String? = nil) {
        self.code = code
        self.message = message
        self.server = server
    }

    public var description: String {
        if let server { return "Redis \(server): \(message)" }
        return "Redis: \(message)"
    }

    /// The server error's prefix ("ERR", "WRONGTYPE", "NOAUTH"), for `.server` errors.
    public var serverErrorKind: String? {
        guard code == .server || code == .authentication else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var retryDisposition: RetryDisposition {
        switch code {
        case .connectionRefused, .connectionClosed, .timeout:
            return .retryable(after: nil)
        case .server:
            switch serverErrorKind {
            case "BUSY", "LOADING", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY":
                return .retryable(after: nil)
            default:
                return .permanent
            }
        default:
            return .permanent
        }
    }

    func at(_ server: String) -> RedisBackendError {
        var copy = self
        if copy.server == nil { copy.server = server }
        return copy
    }
}
