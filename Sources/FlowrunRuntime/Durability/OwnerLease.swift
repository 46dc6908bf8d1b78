import FlowrunCore
import Foundation
import Logging
import Synchronization

/// This process as an owner of executions: registered in the store on the first recorded
/// execution, renewed every `interval`, removed when the runtime ends. Crash recovery in another
/// process treats executions of an owner whose lease expired (or, on the same host, whose process
/// is gone) as crashed.
public final class OwnerLease: Sendable {
    /// The lease of the enclosing `Runtime.with`, when it records executions.
    @TaskLocal static var current: OwnerLease?

    /// How long a lease lasts without renewal.
    public static let duration: Duration = .seconds(30)
    /// How often it is renewed.
    static let interval: Duration = .seconds(10)

    public let owner: ExecutionOwner
    let store: any ExecutionStore
    let logger: Logger
    private let registered = Mutex(false)

    init(store: any ExecutionStore, logger: Logger) {
        let host = Self.hostName
        let pid = getpid()
        owner = ExecutionOwner(id: "\(host):\(pid):\(String(UInt64.random(in: 1...UInt64.max), radix: 36))", host: host, pid: pid,
                               heartbeatAt: Self.wallMilliseconds())
        self.store = store
        self.logger = logger
    }

    static func wallMilliseconds() -> Double { Date().timeIntervalSince1970 * 1000 }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Registers the owner once.
    func ensureRegistered() async throws {
        if registered.withLock({ $0 }) { return }
        var owner = owner
        owner.heartbeatAt = Self.wallMilliseconds()
        try await store.registerOwner(owner)
        registered.withLock { $0 = true }
    }

    /// Renews the lease every `interval` while registered, until the task is cancelled.
    func renewUntilCancelled() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: Self.interval)
            } catch {
                return
            }
            guard registered.withLock({ $0 }) else { continue }
            do {
                try await store.heartbeat(ownerID: owner.id, at: Self.wallMilliseconds())
            } catch {
                logger.info("Owner lease not renewed", metadata: ["flowrun.owner.id": "\(owner.id)", "flowrun.error": "\(error)"])
            }
        }
    }

    /// Removes the owner (clean shutdown): its executions have all ended.
    func leave() async {
        guard registered.withLock({ $0 }) else { return }
        try? await store.removeOwner(id: owner.id)
    }
}
