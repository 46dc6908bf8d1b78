import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A command whose Swift tasks may run on SwiftNIO's event-loop threads (`flowrun serve`, `flowrun worker`).
protocol RunsOnEventLoops {
    /// Whether, under `FLOWRUN_EXECUTOR=auto`, this run's tasks go to the event loops.
    func prefersEventLoops(environment: [String: String]) -> Bool
}

/// Where the long-running commands run their Swift tasks (`FLOWRUN_EXECUTOR`, docs/configuration.md).
///
/// On the event loops, NIO's singleton group (one loop per core) is Swift Concurrency's global
/// executor: the HTTP server, the HTTP client, Postgres and Redis all use that group, so a task
/// awaiting a socket resumes on the loop that read the answer instead of hopping to Swift's own
/// thread pool and back (a thread switch each way). `auto` (the default) does so where executions
/// wait mostly on sockets: `flowrun worker` and `flowrun serve --queue` (measured: executions per
/// second up about 20%). `flowrun serve` without a queue keeps Swift's pool: with the embedded
/// SQLite store, whose writes go through the store's writer thread, CPU per webhook request rose
/// about 25% on the loops; with the Postgres store it did not change. `eventloops` and `pool` force one.
/// On the loops a long CPU-bound node delays the other requests of its loop until it finishes.
///
/// Installing is what `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
/// does, except for how the runtime's hook is found: NIO looks up `swift_task_enqueueGlobal_hook`
/// with dlsym, which a release `flowrun` does not export (the runtime is linked statically and its
/// symbols are kept local), so Package.swift exports it under `flowrun_task_enqueueGlobal_hook`;
/// a debug build finds the runtime library's own symbol.
enum EventLoopExecutor {
    enum Choice: String {
        case auto
        case eventLoops = "eventloops"
        case pool

        /// `FLOWRUN_EXECUTOR`: `auto` (default), `eventloops` or `pool`; case and `-`/`_` are ignored.
        init(environment: [String: String]) throws {
            guard let raw = environment["FLOWRUN_EXECUTOR"], !raw.isEmpty else {
                self = .auto
                return
            }
            let key = raw.lowercased().filter { $0 != "-" && $0 != "_" }
            guard let choice = Choice(rawValue: key) else {
                throw ValidationError("FLOWRUN_EXECUTOR: \"\(raw)\" is not auto (the default), eventloops or pool")
            }
            self = choice
        }
    }

    /// Whether the event loops run this process's tasks (set once, before the first task).
    private static let active = Atomic<Bool>(false)

    /// `flowrun.executor` in the start-up log line: `eventloops` or `pool`.
    static var name: String { active.load(ordering: .relaxed) ? "eventloops" : "pool" }

    /// Installs the event loops as the global executor for `command` when `FLOWRUN_EXECUTOR` and
    /// the command want them. Call once, on the main thread, before the command's first task runs.
    ///
    /// - Returns: whether the event loops run the tasks now.
    /// - Throws: `ValidationError` for an unknown `FLOWRUN_EXECUTOR` value.
    @discardableResult
    static func install(for command: any ParsableCommand, environment: [String: String]) throws -> Bool {
        guard let command = command as? any RunsOnEventLoops else { return false }
        switch try Choice(environment: environment) {
        case .pool: return false
        case .auto: guard command.prefersEventLoops(environment: environment) else { return false }
        case .eventLoops: break
        }
        guard installHook() else {
            // The hook was not found or is taken: tasks stay on Swift's pool, which is correct, only
            // with the thread switches.
            printError("warning: FLOWRUN_EXECUTOR: the event loops could not become the task executor; using Swift's thread pool")
            return false
        }
        active.store(true, ordering: .relaxed)
        return true
    }

    /// The runtime's hook: `void (*)(Job *, void (*original)(Job *))`, both Swift calling convention.
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    private static func installHook() -> Bool {
        let image = dlopen(nil, RTLD_NOW)
        guard let address = dlsym(image, "flowrun_task_enqueueGlobal_hook") ?? dlsym(image, "swift_task_enqueueGlobal_hook") else {
            return false
        }
        let slot = address.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }
        return withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { hook in
            hook.baseAddress!.initialize(to: { job, _ in
                // `any()` stays on the current loop when called from one of the group's threads (a
                // task resumed by a socket read goes on where the read happened); from elsewhere it
                // takes the next loop.
                MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
            })
            // A thin function value is its code address.
            let function = hook.baseAddress!.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { $0.pointee }
            // Before any task runs on the global executor, on the main thread: nothing reads the hook
            // concurrently yet.
            slot.pointee = function
            return true
        }
    }
}
