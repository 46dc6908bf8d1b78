import AsyncHTTPClient
import FlowrunCore

// Placeholder until the HTTP transport lands: keeps the target and its dependency in the build.
enum HTTPClientTransportPlaceholder {
    static let clientType = HTTPClient.self
}
