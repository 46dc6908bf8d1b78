import FlowrunCore
import FlowrunHTTPClient
import Logging

// Owner: HTTP. The AsyncHTTPClient transport; its clients are created on first request (a run that
// makes no HTTP call opens nothing) and shut down when the body returns.
//
// Environment (from `configuration.environment`):
// - FLOWRUN_HTTP_BLOCK_PRIVATE=1: refuse loopback, private and link-local destinations (SSRF protection).
// - FLOWRUN_HTTP_ALLOW_HOSTS=a.example,b.example: hosts exempt from that rule.
// - FLOWRUN_HTTP_MAX_RESPONSE_BYTES: largest response body accepted (default 64 MiB).
extension Runtime {
    static func withHTTP<T: Sendable>(
        _ configuration: RuntimeConfiguration, logger: Logger, _ body: ((any HTTPTransport)?) async throws -> T
    ) async throws -> T {
        try await AsyncHTTPClientTransport.withTransport(configuration: httpConfiguration(configuration.environment), logger: logger) {
            try await body($0)
        }
    }

    static func httpConfiguration(_ environment: [String: String]) -> AsyncHTTPClientTransport.Configuration {
        var http = AsyncHTTPClientTransport.Configuration()
        if ["1", "true", "yes"].contains(environment["FLOWRUN_HTTP_BLOCK_PRIVATE"]?.lowercased() ?? "") {
            let allowed = (environment["FLOWRUN_HTTP_ALLOW_HOSTS"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            http.outboundPolicy = OutboundPolicy(blocksPrivateAddresses: true, allowedHosts: Set(allowed))
        }
        if let max = environment["FLOWRUN_HTTP_MAX_RESPONSE_BYTES"].flatMap(Int.init), max > 0 {
            http.maxResponseBytes = max
        }
        return http
    }
}
