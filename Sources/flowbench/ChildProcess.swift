#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program as a child process with its output discarded, and reports its wall time and
/// peak resident memory (the kernel's `ru_maxrss`, from `wait4`).
enum ChildProcess {
    struct Outcome {
        var seconds: Double
        var peakResidentMB: Double
        var exitStatus: Int32
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter outputPath: where standard output and error go (default: discarded).
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil, outputPath: String? = nil) throws -> Outcome {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let outputPath {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in env { free(p) } }
        var pid: pid_t = 0
        let start = Measure.now()
        let rc = posix_spawn(&pid, program, &actions, nil, argv, env)
        guard rc == 0 else { throw Failure(description: "\(program): cannot start (\(String(cString: strerror(rc))))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "\(program): wait4 failed") }
        }
        let seconds = Double(Measure.now() - start) / 1e9
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(seconds: seconds, peakResidentMB: Double(usage.ru_maxrss) / 1024, exitStatus: exit)
    }

    /// The folder holding this benchmark binary (flowrun and flowbench-hello are built beside it).
    static var productsDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }

    /// A product built beside flowbench, or a clear error saying how to build it.
    static func product(_ name: String) throws -> String {
        let path = productsDirectory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(path) is missing: build it with `swift build -c release --product \(name)`")
        }
        return path
    }
}
