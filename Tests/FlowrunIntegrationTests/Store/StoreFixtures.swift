import FlowrunCore
import FlowrunPostgres
import FlowrunSQLite
import Foundation
import Logging
import Synchronization
import Testing

/// The store implementations every store suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A wall clock tests move by hand (milliseconds since 1970).
final class StoreTestTime: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double = 1_800_000_000_000) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func advance(milliseconds: Double) { value.withLock { $0 += milliseconds } }
}

/// Every store protocol the built-in stores implement.
typealias FullStore = ExecutionStore & CacheStore & StaticDataStore

enum StoreFixtures {
    static var postgresURL: String {
        ProcessInfo.processInfo.environment["FLOWRUN_TEST_POSTGRES_URL"] ?? "postgres://flowrun:flowrun@127.0.0.1:55432/flowrun"
    }

    static let logger = Logger(label: "flowrun.tests.store", factory: { _ in SwiftLogNoOpLogHandler() })

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt64.random(in: 1...UInt64.max))"
    }

    /// A fresh, empty store of `kind` (a new SQLite file, a new Postgres schema), removed afterwards.
    /// `count` stores share the same database (several processes).
    static func withStores<T: Sendable>(
        _ kind: StoreKind, count: Int = 1, time: StoreTestTime = StoreTestTime(), _ body: ([any FullStore]) async throws -> T
    ) async throws -> T {
        switch kind {
        case .sqlite:
            let directory = NSTemporaryDirectory() + uniqueName("flowrun-store")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stores = (0..<count).map { _ in
                var configuration = SQLiteStateStore.Configuration.dataDirectory(directory)
                configuration.now = { time.now }
                return SQLiteStateStore(configuration: configuration)
            }
            let result = try await body(stores)
            for store in stores { try store.close() }
            return result
        case .postgres:
            let schema = uniqueName("store_test")
            let configuration = PostgresStateStore.Configuration(url: postgresURL, schema: schema, maxConnections: 8, now: { time.now })
            return try await withPostgresStores(configuration, remaining: count, into: []) { stores in
                do {
                    let result = try await body(stores)
                    try await stores[0].dropSchema()
                    return result
                } catch {
                    try? await stores[0].dropSchema()
                    throw error
                }
            }
        }
    }

    private static func withPostgresStores<T: Sendable>(
        _ configuration: PostgresStateStore.Configuration, remaining: Int, into stores: [PostgresStateStore],
        _ body: ([PostgresStateStore]) async throws -> T
    ) async throws -> T {
        if remaining == 0 { return try await body(stores) }
        return try await PostgresStateStore.with(configuration, logger: logger) { store in
            try await withPostgresStores(configuration, remaining: remaining - 1, into: stores + [store], body)
        }
    }

    static func withStore<T: Sendable>(
        _ kind: StoreKind, time: StoreTestTime = StoreTestTime(), _ body: (any FullStore) async throws -> T
    ) async throws -> T {
        try await withStores(kind, count: 1, time: time) { try await body($0[0]) }
    }
}
