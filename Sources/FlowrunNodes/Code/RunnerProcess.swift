import FlowrunExpressions
import Foundation
import Synchronization

/// One long-lived task-runner child process (`node runners/js/runner.js` or
/// `python3 runners/python/runner.py`) and its line-delimited JSON pipes.
///
/// Used by one task at a time (the pool hands it out exclusively). Lines from stdout arrive on
/// `lines`; stderr is kept (bounded) to explain a crash. `terminate()` kills it with SIGKILL.
final class RunnerProcess: Sendable {
    /// The program and arguments to start, and the environment it gets (nothing else is inherited).
    struct Launch: Sendable, Hashable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
    }

    let language: TaskRunnerLanguage
    let lines: AsyncStream<Data>
    private let process: Process
    private let stdin: FileHandle
    private let output: Output
    private let writeLock = Mutex(())

    /// What the reader threads collect; shared with them (not the process object, so dropping the
    /// last reference to a `RunnerProcess` still runs its `deinit`, which kills the child).
    private final class Output: Sendable {
        let state: Mutex<State>
        init(continuation: AsyncStream<Data>.Continuation) { state = Mutex(State(continuation: continuation)) }
    }

    private struct State {
        var stdoutBuffer = Data()
        var stderrTail = Data()
        var exited = false
        var killed = false
        var continuation: AsyncStream<Data>.Continuation?
    }

    private static let stderrLimit = 16 * 1024
    private static let newline: [UInt8] = [0x0A]

    /// Starts the process.
    ///
    /// - Throws: `TaskRunnerError` (`.runtimeUnavailable`) when the program cannot be started.
    init(language: TaskRunnerLanguage, launch: Launch) throws(TaskRunnerError) {
        self.language = language
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments
        process.environment = launch.environment
        let input = Pipe()
        let outputPipe = Pipe()
        let errors = Pipe()
        #if os(Linux)
        // 1 MB pipes (F_SETPIPE_SZ) instead of 64 KB: a 10,000-item task and its answer cross in
        // one write rather than a dozen hand-offs between the processes. Best effort.
        for fd in [input.fileHandleForWriting.fileDescriptor, outputPipe.fileHandleForReading.fileDescriptor] {
            _ = fcntl(fd, 1031, 1 << 20)
        }
        #endif
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = errors
        self.process = process
        self.stdin = input.fileHandleForWriting
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .unbounded)
        self.lines = stream
        let output = Output(continuation: continuation)
        self.output = output
        process.terminationHandler = { _ in
            output.state.withLock { $0.exited = true }
        }
        do {
            try process.run()
        } catch {
            continuation.finish()
            throw TaskRunnerError(
                .runtimeUnavailable,
                "cannot start the \(language.displayName) runner (\(launch.executable)): \(error.localizedDescription)")
        }
        // Blocking reads on a thread per pipe until end of file, instead of FileHandle's
        // readabilityHandler: no dispatch source whose descriptor could be closed or reused before
        // its cancellation is processed (a crash seen at process exit). Each thread owns its
        // handle, so the descriptor is closed only after its last read.
        Self.readUntilEnd(outputPipe.fileHandleForReading, name: "flowrun.runner.stdout") { chunk in
            Self.receive(chunk, into: output)
        } end: {
            Self.finishLines(output)
        }
        Self.readUntilEnd(errors.fileHandleForReading, name: "flowrun.runner.stderr") { chunk in
            output.state.withLock { state in
                state.stderrTail.append(RunnerProcess.bytes(chunk.baseAddress!, chunk.count))
                if state.stderrTail.count > Self.stderrLimit {
                    state.stderrTail = state.stderrTail.suffix(Self.stderrLimit)
                }
            }
        } end: {}
    }

    /// Reads `handle` on a new thread until end of file or an error, handing each chunk to `chunk`
    /// (valid only during the call), then calls `end`.
    private static func readUntilEnd(
        _ handle: FileHandle, name: String,
        chunk: @escaping @Sendable (UnsafeRawBufferPointer) -> Void, end: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            let size = 1 << 20
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
            defer { buffer.deallocate() }
            let fd = handle.fileDescriptor
            while true {
                let count = read(fd, buffer.baseAddress, size)
                if count > 0 {
                    chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            try? handle.close()
            end()
        }
        thread.name = name
        thread.start()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The process id (for tests that kill a runner mid-task).
    var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning && !output.state.withLock { $0.exited } }

    /// Whether flowrun killed it (time limit, shutdown).
    var wasKilled: Bool { output.state.withLock { $0.killed } }

    /// The last part of what the runner wrote to stderr.
    var stderrText: String { String(decoding: output.state.withLock { $0.stderrTail }, as: UTF8.self) }

    /// Exit status once it exited (signal number when `terminationReason` is uncaught signal).
    var exitDescription: String {
        guard !process.isRunning else { return "still running" }
        switch process.terminationReason {
        case .uncaughtSignal: return "killed by signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }

    /// Writes one message line.
    ///
    /// - Throws: `TaskRunnerError(.runnerCrashed)` when the pipe is closed.
    func send(_ line: [UInt8]) throws(TaskRunnerError) {
        do {
            // The line and its newline as two writes under one lock: no copy of a big task.
            try writeLock.withLock { _ in
                try stdin.write(contentsOf: line)
                try stdin.write(contentsOf: Self.newline)
            }
        } catch {
            throw TaskRunnerError(.runnerCrashed, "the \(language.displayName) runner stopped reading its input")
        }
    }

    /// Writes a message that already ends with its newline (`RunnerMessage`), from its buffer.
    ///
    /// - Throws: `TaskRunnerError(.runnerCrashed)` when the pipe is closed.
    func send(_ text: borrowing JSONTextBuffer) throws(TaskRunnerError) {
        do {
            try writeLock.withLock { _ in
                try text.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(any Error) in
                    try stdin.write(contentsOf: bytes)
                }
            }
        } catch {
            throw TaskRunnerError(.runnerCrashed, "the \(language.displayName) runner stopped reading its input")
        }
    }

    /// Kills the process (SIGKILL); `lines` ends once its stdout closes.
    func terminate() {
        output.state.withLock { $0.killed = true }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func receive(_ chunk: UnsafeRawBufferPointer, into output: Output) {
        // Only the new chunk can hold a newline: the buffer before it was searched already, which
        // keeps a long line (10,000 items) linear in its length.
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        output.state.withLock { state in
            var start = 0
            while start < chunk.count, let found = memchr(base + start, 0x0A, chunk.count - start) {
                let newline = base.distance(to: UnsafeRawPointer(found))
                var line = state.stdoutBuffer
                state.stdoutBuffer = Data()
                line.append(bytes(base + start, newline - start))
                state.continuation?.yield(line)
                start = newline + 1
            }
            if start < chunk.count { state.stdoutBuffer.append(bytes(base + start, chunk.count - start)) }
        }
    }

    private static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    }

    private static func finishLines(_ output: Output) {
        let continuation = output.state.withLock { state -> AsyncStream<Data>.Continuation? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }
}
