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
    private let state: Mutex<State>
    private let writeLock = Mutex(())

    private struct State {
        var stdoutBuffer = Data()
        var stderrTail = Data()
        var exited = false
        var killed = false
        var continuation: AsyncStream<Data>.Continuation?
    }

    private static let stderrLimit = 16 * 1024

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
        let output = Pipe()
        let errors = Pipe()
        #if os(Linux)
        // 1 MB pipes (F_SETPIPE_SZ) instead of 64 KB: a 10,000-item task and its answer cross in
        // one write rather than a dozen hand-offs between the processes. Best effort.
        for fd in [input.fileHandleForWriting.fileDescriptor, output.fileHandleForReading.fileDescriptor] {
            _ = fcntl(fd, 1031, 1 << 20)
        }
        #endif
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        self.process = process
        self.stdin = input.fileHandleForWriting
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .unbounded)
        self.lines = stream
        self.state = Mutex(State(continuation: continuation))

        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                self.finishLines()
            } else {
                self.receive(chunk)
            }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            if chunk.isEmpty {
                handle.readabilityHandler = nil
            } else {
                self.state.withLock { state in
                    state.stderrTail.append(chunk)
                    if state.stderrTail.count > Self.stderrLimit {
                        state.stderrTail = state.stderrTail.suffix(Self.stderrLimit)
                    }
                }
            }
        }
        process.terminationHandler = { [weak self] _ in
            self?.state.withLock { $0.exited = true }
        }
        do {
            try process.run()
        } catch {
            output.fileHandleForReading.readabilityHandler = nil
            errors.fileHandleForReading.readabilityHandler = nil
            continuation.finish()
            throw TaskRunnerError(
                .runtimeUnavailable,
                "cannot start the \(language.displayName) runner (\(launch.executable)): \(error.localizedDescription)")
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The process id (for tests that kill a runner mid-task).
    var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning && !state.withLock { $0.exited } }

    /// Whether flowrun killed it (time limit, shutdown).
    var wasKilled: Bool { state.withLock { $0.killed } }

    /// The last part of what the runner wrote to stderr.
    var stderrText: String { String(decoding: state.withLock { $0.stderrTail }, as: UTF8.self) }

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
        var framed = line
        framed.append(0x0A)
        do {
            try writeLock.withLock { _ in try stdin.write(contentsOf: framed) }
        } catch {
            throw TaskRunnerError(.runnerCrashed, "the \(language.displayName) runner stopped reading its input")
        }
    }

    /// Kills the process (SIGKILL); `lines` ends once its stdout closes.
    func terminate() {
        state.withLock { $0.killed = true }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func receive(_ chunk: Data) {
        // Only the new chunk can hold a newline: the buffer before it was searched already, which
        // keeps a long line (10,000 items) linear in its length.
        let newlines = chunk.withUnsafeBytes { raw -> [Int] in
            var offsets: [Int] = []
            guard let base = raw.baseAddress else { return offsets }
            var offset = 0
            while offset < raw.count, let found = memchr(base + offset, 0x0A, raw.count - offset) {
                let at = base.distance(to: UnsafeRawPointer(found))
                offsets.append(at)
                offset = at + 1
            }
            return offsets
        }
        state.withLock { state in
            guard !newlines.isEmpty else {
                state.stdoutBuffer.append(chunk)
                return
            }
            var start = 0
            for newline in newlines {
                var line = state.stdoutBuffer
                line.append(chunk.subdata(in: chunk.startIndex + start..<chunk.startIndex + newline))
                state.stdoutBuffer = Data()
                state.continuation?.yield(line)
                start = newline + 1
            }
            state.stdoutBuffer = chunk.subdata(in: chunk.startIndex + start..<chunk.endIndex)
        }
    }

    private func finishLines() {
        let continuation = state.withLock { state -> AsyncStream<Data>.Continuation? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.finish()
    }
}
