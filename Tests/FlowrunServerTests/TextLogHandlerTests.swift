import FlowrunServer
import Logging
import Synchronization
import Testing

@Suite("Text log lines")
struct TextLogHandlerTests {
    final class Lines: Sendable {
        let text = Mutex("")
        var sink: JSONLogHandler.Sink { JSONLogHandler.Sink { bytes in self.text.withLock { $0 += String(decoding: bytes, as: UTF8.self) } } }
    }

    @Test("StreamLogHandler's layout: time, level, label, sorted metadata (set, provided, per line), source, message")
    func layout() throws {
        let lines = Lines()
        var logger = Logger(label: "flowrun.serve") { TextLogHandler(label: $0, level: .info, sink: lines.sink, metadataProvider: nil) }
        logger[metadataKey: "flowrun.workflow.id"] = "w1"
        logger[metadataKey: "flowrun.execution.id"] = "e1"
        logger.debug("not written")
        logger.info("Execution failed", metadata: ["flowrun.node.name": "Set"])
        let text = lines.text.withLock { $0 }
        #expect(!text.contains("not written"))
        let line = try #require(text.split(separator: "\n").first.map(String.init))
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        #expect(parts.count == 3)
        #expect(parts[0].count >= 24 && parts[0].contains("T"), "\(line)")
        #expect(parts[1] == "info")
        #expect(parts[2] == "flowrun.serve: flowrun.execution.id=e1 flowrun.node.name=Set flowrun.workflow.id=w1 [FlowrunServerTests] Execution failed")
    }

    @Test("Without metadata the label is followed by the source")
    func noMetadata() {
        let lines = Lines()
        let logger = Logger(label: "x") { TextLogHandler(label: $0, level: .info, sink: lines.sink, metadataProvider: nil) }
        logger.notice("Listening")
        #expect(lines.text.withLock { $0 }.hasSuffix(" notice x: [FlowrunServerTests] Listening\n"))
    }
}
