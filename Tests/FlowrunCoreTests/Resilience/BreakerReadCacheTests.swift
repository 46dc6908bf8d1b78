@testable import FlowrunCore
import FlowrunExpressions
import Logging
import Synchronization
import Testing

/// The resilience service's cache of reset breakers read from the store: how stale it may be, and
/// that this process's own changes are never hidden.
@Suite("Breaker read cache")
struct BreakerReadCacheTests {
    // MARK: the cache alone

    @Test("an entry serves only the execution that read it, and only for maxAge")
    func scope() {
        let cache = BreakerReadCache(maxAge: 250)
        let ticket = cache.startRead("api")
        cache.finishRead(ticket, breaker: CircuitBreaker(), execution: "e1", now: 1000)
        #expect(cache.isReset("api", execution: "e1", now: 1000))
        #expect(cache.isReset("api", execution: "e1", now: 1249))
        #expect(!cache.isReset("api", execution: "e1", now: 1250))
        #expect(!cache.isReset("api", execution: "e2", now: 1000))
        #expect(!cache.isReset("other", execution: "e1", now: 1000))
        // A clock that went back does not stretch the entry's life.
        #expect(!cache.isReset("api", execution: "e1", now: 999))
    }

    @Test("only reset breakers are kept")
    func onlyReset() {
        let cache = BreakerReadCache(maxAge: 250)
        var counted = CircuitBreaker()
        _ = counted.recordFailure(now: 0, configuration: .init(failureThreshold: 3))
        cache.finishRead(cache.startRead("api"), breaker: counted, execution: "e1", now: 0)
        #expect(!cache.isReset("api", execution: "e1", now: 0))
        var open = CircuitBreaker()
        _ = open.recordFailure(now: 0, configuration: .init(failureThreshold: 1))
        cache.finishRead(cache.startRead("api"), breaker: open, execution: "e1", now: 0)
        #expect(!cache.isReset("api", execution: "e1", now: 0))
    }

    @Test("an update forgets the entry, and a read that overlapped an update is not kept")
    func updates() {
        let cache = BreakerReadCache(maxAge: 250)
        cache.finishRead(cache.startRead("api"), breaker: CircuitBreaker(), execution: "e1", now: 0)
        cache.startUpdate("api")
        #expect(!cache.isReset("api", execution: "e1", now: 0))
        // Read while the update runs: not kept, during or after it.
        let during = cache.startRead("api")
        cache.finishRead(during, breaker: CircuitBreaker(), execution: "e1", now: 0)
        #expect(!cache.isReset("api", execution: "e1", now: 0))
        cache.finishUpdate("api")
        #expect(!cache.isReset("api", execution: "e1", now: 0))
        // Started before an update, finished after it: not kept (it may predate the change).
        let before = cache.startRead("api")
        cache.startUpdate("api")
        cache.finishUpdate("api")
        cache.finishRead(before, breaker: CircuitBreaker(), execution: "e1", now: 0)
        #expect(!cache.isReset("api", execution: "e1", now: 0))
        // A read after the update is kept.
        cache.finishRead(cache.startRead("api"), breaker: CircuitBreaker(), execution: "e1", now: 0)
        #expect(cache.isReset("api", execution: "e1", now: 0))
    }

    @Test("a read that started before a sweep forgot its key's epoch is not kept")
    func sweep() {
        let cache = BreakerReadCache(maxAge: 250, sweepAbove: 4)
        let stale = cache.startRead("k0")
        cache.startUpdate("k0")
        cache.finishUpdate("k0")
        for n in 1...10 {
            cache.finishRead(cache.startRead("k\(n)"), breaker: CircuitBreaker(), execution: "e1", now: Double(n) * 1000)
        }
        #expect(cache.count <= 5)
        cache.finishRead(stale, breaker: CircuitBreaker(), execution: "e1", now: 10_000)
        #expect(!cache.isReset("k0", execution: "e1", now: 10_000))
        #expect(cache.isReset("k10", execution: "e1", now: 10_000))
    }

    @Test("maxAge 0 keeps nothing")
    func off() {
        let cache = BreakerReadCache(maxAge: 0)
        cache.finishRead(cache.startRead("api"), breaker: CircuitBreaker(), execution: "e1", now: 0)
        #expect(!cache.isReset("api", execution: "e1", now: 0))
    }

    // MARK: through the service

    @Test("the calls of one execution read a reset breaker once per maxAge; another execution reads it again")
    func serviceReads() async throws {
        let (store, clock, service) = Self.service()
        for _ in 0..<10 { _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { 1 } }
        #expect(store.reads == 1)
        #expect(store.updates == 0)
        clock.advance(by: 250)
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { 1 }
        #expect(store.reads == 2)
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e2")) { 1 }
        #expect(store.reads == 3)
    }

    @Test("a breaker another process opened stops the next execution at once, a running one within maxAge")
    func otherProcessOpens() async throws {
        let (store, clock, service) = Self.service()
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { 1 }
        store.set("api") { breaker in
            _ = breaker.recordFailure(now: clock.now(), configuration: .init(failureThreshold: 1))
        }
        let calls = Atomic<Int>(0)
        let operation: @Sendable () async throws -> Int = { calls.add(1, ordering: .relaxed).newValue }
        // Within maxAge the running execution still goes by what it read (the documented bound).
        clock.advance(by: 100)
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e1"), operation)
        #expect(calls.load(ordering: .relaxed) == 1)
        // A new execution reads the store and is stopped.
        await #expect(throws: NodeError.self) {
            _ = try await service.call(target: "api", policy: .once, context: Self.context("e2"), operation)
        }
        // So is the running one once its read is maxAge old.
        clock.advance(by: 150)
        let error = await #expect(throws: NodeError.self) {
            _ = try await service.call(target: "api", policy: .once, context: Self.context("e1"), operation)
        }
        #expect(error?.code == .circuitOpen)
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test("this process's failures reach the store and the next call at once")
    func ownFailure() async throws {
        let (store, _, service) = Self.service(threshold: 1)
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { 1 }
        await #expect(throws: Flaky.self) {
            _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { () async throws -> Int in throw Flaky() }
        }
        #expect(try await store.breaker(key: "api")?.state == .open)
        let calls = Atomic<Int>(0)
        let error = await #expect(throws: NodeError.self) {
            _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { calls.add(1, ordering: .relaxed).newValue }
        }
        #expect(error?.code == .circuitOpen)
        #expect(calls.load(ordering: .relaxed) == 0)
    }

    @Test("a success resets a failure count another process stored")
    func successResets() async throws {
        let (store, clock, service) = Self.service()
        store.set("api") { breaker in _ = breaker.recordFailure(now: clock.now(), configuration: .init(failureThreshold: 3)) }
        _ = try await service.call(target: "api", policy: .once, context: Self.context("e1")) { 1 }
        #expect(try await store.breaker(key: "api")?.isReset == true)
        #expect(store.updates == 1)
    }

    // MARK: fixtures

    struct Flaky: RetryClassifying {
        var retryDisposition: RetryDisposition { .retryable(after: nil) }
    }

    /// Milliseconds the tests move by hand.
    final class ManualClock: Sendable {
        private let value = Mutex<Double>(1_700_000_000_000)
        func now() -> Double { value.withLock { $0 } }
        func advance(by ms: Double) { value.withLock { $0 += ms } }
    }

    /// A breaker store in memory that counts reads and updates (another process writes with `set`).
    final class CountingStore: BreakerStore {
        private let state = Mutex<(breakers: [String: CircuitBreaker], reads: Int, updates: Int)>(([:], 0, 0))
        var reads: Int { state.withLock { $0.reads } }
        var updates: Int { state.withLock { $0.updates } }

        func migrate() async throws {}

        func updateBreaker<R: Sendable>(key: String, _ body: @escaping @Sendable (inout CircuitBreaker) -> R) async throws -> R {
            state.withLock { state in
                state.updates += 1
                return body(&state.breakers[key, default: CircuitBreaker()])
            }
        }

        func breaker(key: String) async throws -> CircuitBreaker? {
            state.withLock { state in
                state.reads += 1
                return state.breakers[key]
            }
        }

        func set(_ key: String, _ change: (inout CircuitBreaker) -> Void) {
            state.withLock { change(&$0.breakers[key, default: CircuitBreaker()]) }
        }
    }

    static func service(threshold: Int = 3) -> (CountingStore, ManualClock, CircuitBreakerService) {
        let store = CountingStore()
        let clock = ManualClock()
        var configuration = CircuitBreakerService.Configuration(breaker: .init(failureThreshold: threshold))
        configuration.now = { clock.now() }
        configuration.storeReadMaxAge = .milliseconds(250)
        return (store, clock, CircuitBreakerService(configuration: configuration, store: store))
    }

    struct NoData: ExpressionDataSource {
        func nodeExists(_ name: String) -> Bool { false }
        func outputs(of node: String, runIndex: Int?) -> [[Item]]? { nil }
        func source(of node: String, input: Int) -> ExpressionSource? { nil }
        func isPinned(_ node: String) -> Bool { false }
        func parameters(of node: String) -> JSONObject? { nil }
        func nodeInfo(_ node: String) -> ExpressionNodeInfo? { nil }
    }

    static func context(_ execution: String) -> ExecutionContext {
        ExecutionContext(
            executionID: execution, workflowID: "w", workflowName: "Test", nodeName: "Call", nodeType: "n8n-nodes-base.httpRequest",
            typeVersion: 4.2, runIndex: 0, mode: .manual, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            clock: ContinuousClock(), timeZone: "UTC", continueOnFail: false, nodeContext: NodeContextStore(), subworkflows: nil,
            evaluation: EvaluationContext(dataSource: NoData(), activeNode: "Call", inputItems: [], timeZone: "UTC"))
    }
}
