import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Logging
import Testing

/// A node that logs, outputs and fails with its credential's secret must leak it nowhere: not in
/// logs, not in the error, not in the execution record, not in dry-run output. One run per
/// credential type n8n defines for flowrun's nodes.
@Suite("Credentials: secrets never leak")
struct SecretLeakTests {
    static let types = CredentialFixtures.secrets.map(\.type)

    func run(type: String, fail: Bool, mode: ExecutionMode = .manual, input: JSONObject = [:])
        async throws -> (result: ExecutionResult, logs: CapturedLogs, secret: String) {
        let fixture = try #require(CredentialFixtures.secrets.first { $0.type == type })
        let path = try CredentialFixtures.file([CredentialFixtures.entry(type, name: "Main", id: "c1", data: fixture.data)])
        let logs = CapturedLogs()
        let resolver = try CredentialStoreResolver.load(file: path, environment: [:], logger: logs.logger)
        var services = NodeServices(credentials: resolver)
        services.redactor = Runtime.credentialRedactor(resolver)
        let engine = Engine(configuration: .init(logger: logs.logger, services: services))
        var start = input
        if fail { start["fail"] = true }
        let result = await engine.run(try CredentialFixtures.leakyWorkflow(type: type),
                                      options: .init(mode: mode, input: [Item(json: start)]))
        return (result, logs, fixture.secret)
    }

    static func recordText(_ result: ExecutionResult) -> String {
        let records = result.runData.sorted { $0.key < $1.key }.flatMap { $0.value.map(\.jsonValue) }
        return JSONValue.array(records).jsonString() + (result.error.map { "\($0)" } ?? "")
    }

    @Test("Outputs and logs of a node that echoes its secret are scrubbed", arguments: types)
    func outputsAndLogs(type: String) async throws {
        let (result, logs, secret) = try await run(type: type, fail: false)
        #expect(result.status == .success)
        let record = Self.recordText(result)
        #expect(!record.contains(secret))
        #expect(record.contains("[redacted]"))
        #expect(record.contains("x[redacted]y"))
        #expect(logs.text.contains("Connecting with [redacted]"))
        #expect(!logs.text.contains(secret))
    }

    @Test("The error of a failing node is scrubbed in message, detail and record", arguments: types)
    func failingNode(type: String) async throws {
        let (result, logs, secret) = try await run(type: type, fail: true)
        #expect(result.status == .error)
        let error = try #require(result.runData["Leaky"]?.last?.error)
        #expect(error.message == "login failed for secret [redacted]")
        #expect(error.detail == "sent [redacted]")
        #expect(!Self.recordText(result).contains(secret))
        #expect(!"\(String(describing: result.error))".contains(secret))
        #expect(!logs.text.contains(secret))
    }

    @Test("Dry-run output (the parameters a side-effecting node would use) is scrubbed", arguments: types)
    func dryRun(type: String) async throws {
        let fixture = try #require(CredentialFixtures.secrets.first { $0.type == type })
        let (result, _, secret) = try await run(type: type, fail: false, mode: .dryRun, input: ["leak": .string(fixture.secret)])
        let output = try #require(result.runData["Leaky"]?.last?.output?.first?.first)
        #expect(output.json["dryRun"]?["wouldRunWith"]?["query"] == .string("[redacted]"))
        // The start node's own record keeps the caller's input as given (see NOTES: engine request).
        let leaky = JSONValue.array(result.runData["Leaky"]?.map(\.jsonValue) ?? []).jsonString()
        #expect(!leaky.contains(secret))
        #expect(result.runData["Start"]?.last?.output?.first?.first?.json["leak"] == .string("[redacted]"))
    }

    @Test("Basic auth's Authorization token and percent-encoded secrets are scrubbed too")
    func derivedForms() {
        let redactor = SecretRedactor()
        redactor.register(ResolvedCredential(type: "httpBasicAuth", data: ["user": "alice", "password": "p@ss word!"]))
        let token = Data("alice:p@ss word!".utf8).base64EncodedString()
        #expect(redactor.redact("Authorization: Basic \(token)") == "Authorization: Basic [redacted]")
        #expect(redactor.redact("?pw=p%40ss%20word%21") == "?pw=[redacted]")
        #expect(redactor.redact("user alice") == "user alice")
        redactor.register(secret: #"quo"te\slash"#)
        #expect(redactor.redact(#"{"password":"quo\"te\\slash"}"#) == #"{"password":"[redacted]"}"#)
        let tiny = SecretRedactor(secrets: ["ab"])
        #expect(tiny.isEmpty)
    }

    @Test("A redacting log handler scrubs message, metadata and the logger's own metadata")
    func logHandler() {
        let logs = CapturedLogs()
        let redactor = SecretRedactor(secrets: ["tok-123456"])
        var logger = logs.logger.redacting(with: redactor)
        logger[metadataKey: "carried"] = "x tok-123456"
        logger.info("sending tok-123456", metadata: ["header": .dictionary(["auth": "Bearer tok-123456"]), "list": .array(["tok-123456"])])
        #expect(!logs.text.contains("tok-123456"))
        #expect(logs.text.contains("sending [redacted]"))
        #expect(logger.redacting(with: redactor).handler is RedactingLogHandler)
    }
}
