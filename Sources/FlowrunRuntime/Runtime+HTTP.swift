import FlowrunCore
import Logging

// Owner: HTTP. Replace with the AsyncHTTPClient transport (shut down when the body returns).
extension Runtime {
    static func withHTTP<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any HTTPTransport)?) async throws -> T
    ) async throws -> T {
        try await body(nil)
    }
}
