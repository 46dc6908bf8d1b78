import FlowrunCore
import FlowrunRuntime
import Foundation
import Testing

extension StoreFixtures {
    /// RecordingTests' workflow written to a file in a fresh folder, and a runtime recording into
    /// the embedded SQLite store under that folder; `body` gets the runtime, its execution store and
    /// the workflow file. The folder is removed afterwards.
    static func withRecordingRuntime(
        _ prefix: String, _ body: (Runtime, any ExecutionStore, String) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName(prefix))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("flow.json").path
        try RecordingTests.workflow(value: "hello").write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = RuntimeConfiguration(dataDirectory: directory.appendingPathComponent("data").path)
        try await Runtime.with(configuration, logger: logger) { runtime in
            try await body(runtime, try #require(runtime.services.executionStore), file)
        }
    }
}
