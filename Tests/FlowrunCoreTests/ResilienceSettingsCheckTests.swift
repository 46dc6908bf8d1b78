import FlowrunCore
import Testing

@Suite("Validation of flowrun's node resilience settings")
struct ResilienceSettingsCheckTests {
    static func diagnostics(_ flowrunKey: String) throws -> [Diagnostic] {
        var configuration = WorkflowValidator.Configuration(loader: .init())
        configuration.checks = [ResilienceSettingsCheck()]
        let text = """
            {"nodes": [{"name": "Call", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [0, 0], "parameters": {},
                        "flowrun": \(flowrunKey)}], "connections": {}}
            """
        return WorkflowValidator(configuration: configuration).validate(text: text, format: .json, fileName: "w.json").diagnostics
            .filter { $0.severity == .error }
    }

    @Test("valid retry and breaker settings pass")
    func valid() throws {
        #expect(try Self.diagnostics(#"{"retry": {"maxAttempts": 4, "baseDelayMs": 200, "maxDelayMs": 5000}}"#).isEmpty)
    }

    @Test("a malformed setting is reported with the node's name")
    func invalid() throws {
        let found = try Self.diagnostics(#"{"retry": {"maxAttempts": "many"}}"#)
        #expect(found.count == 1)
        #expect(found.first?.node == "Call")
        #expect(found.first?.code == .invalidNodeField)
    }
}
