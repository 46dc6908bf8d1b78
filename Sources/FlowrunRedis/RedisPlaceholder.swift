import CHiredis
import FlowrunCore
import NIOCore
import NIOPosix

// Placeholder until the Redis backend lands: keeps the target and its dependencies in the build.
enum RedisPlaceholder {
    static func makeReader() -> UnsafeMutablePointer<redisReader>? { redisReaderCreate() }
    static let group = MultiThreadedEventLoopGroup.self
}
