import FlowrunExpressions
import Foundation
#if canImport(Glibc)
import Glibc
#endif
public import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line: `time` (ISO 8601, ms), `level`, `label`,
/// `message`, `source`, then every metadata key (dot-keyed, e.g. `flowrun.execution.id`).
///
/// Select it with `flowrun serve --log-format json` (or `FLOWRUN_LOG_FORMAT=json`).
public struct JSONLogHandler: LogHandler {
    /// Where lines go; a lock keeps lines from interleaving.
    public final class Sink: Sendable {
        let write: @Sendable ([UInt8]) -> Void
        private let lock = Mutex(())

        public init(write: @escaping @Sendable ([UInt8]) -> Void) {
            self.write = write
        }

        /// Standard error.
        public static let standardError = Sink { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
        }

        func emit(_ bytes: [UInt8]) { lock.withLock { _ in write(bytes) } }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: Sink

    public init(label: String, level: Logger.Level = .info, sink: Sink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var o: JSONObject = [
            "time": .string(Self.timestamp()), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description), "source": .string(event.source),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() { o[key] = Self.json(merged[key]!) }
        sink.emit(Array((JSONValue.object(o).jsonString() + "\n").utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let c): .string(c.description)
        case .array(let a): .array(a.map(json))
        case .dictionary(let d): .object(JSONObject(uniqueKeysWithValues: d.keys.sorted().map { ($0, json(d[$0]!)) }))
        }
    }

    static func timestamp() -> String {
        let now = Date()
        var t = time_t(now.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let ms = Int((now.timeIntervalSince1970 - Double(t)) * 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, ms)
    }
}
