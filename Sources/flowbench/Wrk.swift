import Foundation

/// Debian's `wrk` (4.1): a fixed number of connections sending one POST request body for a
/// duration, with `--latency` for the latency percentiles.
struct Wrk {
    struct Result {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var requests: Int
        var non2xx: Int
        var socketErrors: String?

        /// Requests per second that were answered with 2xx or 3xx.
        var goodRequestsPerSecond: Double {
            requests == 0 ? 0 : requestsPerSecond * Double(requests - non2xx) / Double(requests)
        }
    }

    var program = "/usr/bin/wrk"
    var threads = 1
    var connections = 8
    /// Where the Lua script and wrk's output are written.
    var folder: String

    /// POSTs `body` (JSON) to `url` for `seconds`.
    func post(_ url: String, body: String, seconds: Int) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw ChildProcess.Failure(description: "\(program) is missing: install Debian's wrk (apt-get install wrk)")
        }
        let script = folder + "/post.lua"
        let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        try """
            wrk.method = "POST"
            wrk.body = "\(escaped)"
            wrk.headers["Content-Type"] = "application/json"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let output = folder + "/wrk.out"
        let outcome = try ChildProcess.run(program, [
            "-t", String(threads), "-c", String(connections), "-d", "\(seconds)s", "--timeout", "10s", "--latency", "-s", script, url,
        ], outputPath: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard outcome.exitStatus == 0 else {
            throw ChildProcess.Failure(description: "wrk \(url) exited with \(outcome.exitStatus): \(text)")
        }
        return try Self.parse(text, url: url)
    }

    /// Reads `Requests/sec:`, the `99%` line of the latency distribution, the request count and
    /// `Non-2xx or 3xx responses:` from wrk's report.
    static func parse(_ text: String, url: String) throws -> Result {
        var result = Result(requestsPerSecond: .nan, p50Milliseconds: .nan, p99Milliseconds: .nan, requests: 0, non2xx: 0)
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.hasPrefix("Requests/sec:"), fields.count >= 2 {
                result.requestsPerSecond = Double(fields[1]) ?? .nan
            } else if fields.count == 2, fields[0] == "50%" {
                result.p50Milliseconds = milliseconds(fields[1]) ?? .nan
            } else if fields.count == 2, fields[0] == "99%" {
                result.p99Milliseconds = milliseconds(fields[1]) ?? .nan
            } else if fields.count >= 3, fields[1] == "requests", fields[2] == "in" {
                result.requests = Int(fields[0]) ?? 0
            } else if line.hasPrefix("Non-2xx or 3xx responses:") {
                result.non2xx = Int(fields.last ?? "") ?? 0
            } else if line.hasPrefix("Socket errors:") {
                result.socketErrors = String(line.dropFirst("Socket errors:".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        guard result.requestsPerSecond.isFinite, result.p99Milliseconds.isFinite, result.requests > 0 else {
            throw ChildProcess.Failure(description: "wrk \(url): cannot read the report:\n\(text)")
        }
        return result
    }

    /// `812.34us`, `1.23ms`, `2.01s`, `1.00m` → milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }
}
