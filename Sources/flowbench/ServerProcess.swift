#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation

/// A long-running child process (flowrun serve, a worker, the bare Hummingbird server) with its
/// output written to a log file, stopped with SIGTERM by `stop()` or by `with(…)` on the way out.
final class ServerProcess: Sendable {
    let pid: pid_t
    let name: String
    let logPath: String

    init(_ program: String, _ arguments: [String], name: String, logPath: String, environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in env { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, nil, argv, env)
        guard rc == 0 else { throw ChildProcess.Failure(description: "\(program): cannot start (\(String(cString: strerror(rc))))") }
        self.pid = pid
        self.name = name
        self.logPath = logPath
    }

    /// Starts the process, runs `body`, and stops the process whether `body` returns or throws.
    static func with<T>(
        _ program: String, _ arguments: [String], name: String, logPath: String, environment: [String: String]? = nil,
        _ body: (ServerProcess) async throws -> T
    ) async throws -> T {
        let process = try ServerProcess(program, arguments, name: name, logPath: logPath, environment: environment)
        do {
            let result = try await body(process)
            // The figures are taken: a process that ignores SIGTERM is killed and reported, not fatal.
            do {
                try process.stop()
            } catch {
                FileHandle.standardError.write(Data("flowbench: warning: \(error)\n".utf8))
            }
            return result
        } catch {
            try? process.stop()
            throw error
        }
    }

    /// Whether the process is still running (not reaped).
    var isRunning: Bool { kill(pid, 0) == 0 && !Self.reaped(pid) }

    private static func reaped(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Resident memory now (VmRSS), in MB.
    func residentMegabytes() throws -> Double {
        guard let mb = Measure.residentMegabytes(pid: pid) else {
            throw ChildProcess.Failure(description: "\(name): cannot read /proc/\(pid)/status (process gone?)\(logTail())")
        }
        return mb
    }

    /// SIGTERM, then up to 30 s for a graceful exit, then SIGKILL.
    func stop() throws {
        guard kill(pid, SIGTERM) == 0 else { return }
        var status: Int32 = 0
        for _ in 0..<300 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        throw ChildProcess.Failure(description: "\(name) did not stop within 30 s of SIGTERM (killed)")
    }

    /// Polls `url` until it answers 200 (up to `seconds`); fails early when the process exits.
    func waitUntilReady(_ url: String, seconds: Double = 60) async throws {
        let deadline = Measure.now() + UInt64(seconds * 1e9)
        while Measure.now() < deadline {
            guard isRunning else { throw ChildProcess.Failure(description: "\(name) exited before it was ready\(logTail())") }
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChildProcess.Failure(description: "\(name) did not answer \(url) within \(Int(seconds)) s\(logTail())")
    }

    /// The last lines of the process's log, for error messages.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8), !text.isEmpty else { return "" }
        return "; last lines of \(logPath):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// A TCP port that is free on 127.0.0.1 now (the kernel's pick for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildProcess.Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw ChildProcess.Failure(description: "cannot bind a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
