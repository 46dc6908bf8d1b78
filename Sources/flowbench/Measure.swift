#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Timing helpers. Every figure is taken as the median of several samples so that a burst of
/// noise from another process on a shared machine moves it less.
enum Measure {
    /// Monotonic time in nanoseconds.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Median nanoseconds per call of `body`, which runs `iterations` times per sample.
    static func nanosecondsPerCall(samples: Int, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        // One warm-up sample: caches, lazy initialisation, page faults.
        for _ in 0..<max(1, iterations / 10) { try body() }
        var results: [Double] = []
        for _ in 0..<samples {
            let start = now()
            for _ in 0..<iterations { try body() }
            results.append(Double(now() - start) / Double(iterations))
        }
        return median(results)
    }

    /// Median seconds of one call of an async `body`.
    static func seconds(samples: Int, _ body: () async throws -> Void) async rethrows -> Double {
        try await body()
        var results: [Double] = []
        for _ in 0..<samples {
            let start = now()
            try await body()
            results.append(Double(now() - start) / 1e9)
        }
        return median(results)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Resident set size of this process in megabytes, from /proc.
    static func residentMegabytes(pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") {
                let digits = text.filter(\.isNumber)
                return Double(digits).map { $0 / 1024 }
            }
        }
        return nil
    }
}
