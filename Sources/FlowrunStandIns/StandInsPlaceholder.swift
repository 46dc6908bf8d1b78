import FlowrunExpressions
import Hummingbird

// Placeholder until the stand-in servers land.
enum StandInsPlaceholder {
    static let routerType = Router<BasicRequestContext>.self
}
