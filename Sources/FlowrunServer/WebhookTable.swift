public import FlowrunCore
public import FlowrunExpressions
public import FlowrunNodes
import Foundation

/// One registered webhook: a Webhook node of a loaded workflow with its n8n and gateway options.
public struct WebhookEndpoint: Sendable {
    public var workflow: LoadedWorkflow
    public var nodeName: String
    public var spec: WebhookTriggerSpec
    public var gateway: GatewayOptions
    /// The registered path (`<webhookId>/<path>` for paths with `:name` segments).
    public var path: String
    /// Path segments; `:name` segments match any single segment.
    var segments: [Substring]
    /// The node's credentials references (basic/header/jwt auth).
    public var credentials: JSONObject?
    /// The token verifier when `gateway.jwt` is set (built when the workflow is registered).
    var jwtVerifier: JWTVerifier?
}

/// Method and path to webhook, as n8n's webhook service matches them: an exact static path
/// first, then dynamic paths (`<webhookId>/a/:id`) with the same number of segments, the one with
/// the most static segments winning.
public struct WebhookTable: Sendable {
    public enum Match: Sendable {
        case found(WebhookEndpoint, params: JSONObject)
        /// The path is registered for other methods.
        case wrongMethod([String])
        case notFound
    }

    private var staticRoutes: [String: [String: WebhookEndpoint]] = [:]
    private var dynamicRoutes: [WebhookEndpoint] = []

    public init() {}

    /// Every endpoint (for listing and tests).
    public var endpoints: [WebhookEndpoint] { staticRoutes.values.flatMap(\.values) + dynamicRoutes }

    /// Adds `endpoint` under each of its methods; returns the method+path pairs already taken.
    @discardableResult
    public mutating func add(_ endpoint: WebhookEndpoint) -> [String] {
        var conflicts: [String] = []
        for method in endpoint.spec.methods {
            if endpoint.spec.isDynamic {
                if dynamicRoutes.contains(where: { $0.path == endpoint.path && $0.spec.methods.contains(method) }) {
                    conflicts.append("\(method) \(endpoint.path)")
                    continue
                }
            } else if staticRoutes[endpoint.path]?[method] != nil {
                conflicts.append("\(method) \(endpoint.path)")
                continue
            }
        }
        guard conflicts.isEmpty else { return conflicts }
        if endpoint.spec.isDynamic {
            dynamicRoutes.append(endpoint)
        } else {
            for method in endpoint.spec.methods { staticRoutes[endpoint.path, default: [:]][method] = endpoint }
        }
        return []
    }

    public func match(method: String, path rawPath: String) -> Match {
        var path = Substring(rawPath)
        while path.hasPrefix("/") { path = path.dropFirst() }
        while path.hasSuffix("/") { path = path.dropLast() }
        let key = String(path)
        if let byMethod = staticRoutes[key] {
            if let endpoint = byMethod[method] { return .found(endpoint, params: [:]) }
            if method == "HEAD", let endpoint = byMethod["GET"] { return .found(endpoint, params: [:]) }
            return .wrongMethod(byMethod.keys.sorted())
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (WebhookEndpoint, JSONObject, Int)?
        var otherMethods: Set<String> = []
        for endpoint in dynamicRoutes where endpoint.segments.count == segments.count {
            var params: JSONObject = [:]
            var statics = 0
            var ok = true
            for (pattern, actual) in zip(endpoint.segments, segments) {
                if pattern.hasPrefix(":") {
                    params[String(pattern.dropFirst())] = .string(String(actual).removingPercentEncoding ?? String(actual))
                } else if pattern == actual {
                    statics += 1
                } else {
                    ok = false
                    break
                }
            }
            guard ok else { continue }
            guard endpoint.spec.methods.contains(method) else {
                otherMethods.formUnion(endpoint.spec.methods)
                continue
            }
            if best == nil || statics > best!.2 { best = (endpoint, params, statics) }
        }
        if let best { return .found(best.0, params: best.1) }
        if !otherMethods.isEmpty { return .wrongMethod(otherMethods.sorted()) }
        return .notFound
    }

    /// n8n's registered path for a Webhook node (`getNodeWebhookPath` with `isFullPath`, plus the
    /// webhookId prefix for dynamic paths).
    static func registeredPath(spec: WebhookTriggerSpec, node: WorkflowGraph.GraphNode, workflowID: String) -> String {
        let webhookId = node.document.webhookId
        if spec.isDynamic {
            let prefix = webhookId ?? "\(workflowID)/\(node.name.lowercased().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? node.name)"
            return "\(prefix)/\(spec.path)"
        }
        if spec.path.isEmpty { return webhookId ?? "\(workflowID)/\(node.name.lowercased())" }
        return spec.path
    }
}

extension WebhookEndpoint {
    init(workflow: LoadedWorkflow, node: WorkflowGraph.GraphNode, spec: WebhookTriggerSpec, gateway: GatewayOptions) {
        self.workflow = workflow
        self.nodeName = node.name
        self.spec = spec
        self.gateway = gateway
        self.path = WebhookTable.registeredPath(spec: spec, node: node, workflowID: workflow.id)
        self.segments = path.split(separator: "/", omittingEmptySubsequences: false)
        self.credentials = node.document.credentials
        self.jwtVerifier = nil
    }
}
