import FlowrunCore
import GRDB

// Placeholder until the SQLite state store lands: keeps the target and its dependency in the build.
enum SQLitePlaceholder {
    static let queueType = DatabaseQueue.self
}
