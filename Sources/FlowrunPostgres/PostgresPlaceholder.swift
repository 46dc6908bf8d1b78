import FlowrunCore
import PostgresNIO

// Placeholder until the Postgres backend lands: keeps the target and its dependency in the build.
enum PostgresPlaceholder {
    static let clientType = PostgresClient.self
}
