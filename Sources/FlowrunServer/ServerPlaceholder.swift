import FlowrunRuntime
import Hummingbird
import JWTKit
import Metrics
import Prometheus
import ServiceLifecycle

// Placeholder until `flowrun serve` lands.
enum ServerPlaceholder {
    static let routerType = Router<BasicRequestContext>.self
    static let keysType = JWTKeyCollection.self
    static let registryType = PrometheusCollectorRegistry.self
    static let groupType = ServiceGroup.self
}
