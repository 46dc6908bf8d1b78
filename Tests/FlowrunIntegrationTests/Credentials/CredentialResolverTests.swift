import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import Foundation
import Logging
import Testing

@Suite("Credentials: file, environment and matching")
struct CredentialResolverTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("A node's reference matches by id, then name, then the only credential of the type; n8n's defaults fill gaps")
    func matching() async throws {
        let path = try CredentialFixtures.file([
            CredentialFixtures.entry("postgres", name: "Main DB", id: "7", data: ["password": "p1", "host": "db1"]),
            CredentialFixtures.entry("postgres", name: "Replica", id: "8", data: ["password": "p2", "host": "db2"]),
            CredentialFixtures.entry("redis", name: "Cache", data: ["password": "r1"]),
        ])
        let resolver = try CredentialStoreResolver.load(file: path, environment: [:], logger: logger)
        let byID = try await resolver.resolve(type: "postgres", reference: ["id": "8", "name": "Main DB"], node: "Q")
        #expect(byID.name == "Replica")
        let byName = try await resolver.resolve(type: "postgres", reference: ["id": "99", "name": "Main DB"], node: "Q")
        #expect(byName.string("host") == "db1")
        #expect(byName.data["port"] == .number(5432))
        #expect(byName.string("database") == "postgres")
        let only = try await resolver.resolve(type: "redis", reference: ["name": "Other name"], node: "R")
        #expect(only.name == "Cache")
        #expect(only.data["port"] == .number(6379))
        let unnamed = try await resolver.resolve(type: "redis", reference: nil, node: "R")
        #expect(unnamed.name == "Cache")
    }

    @Test("Errors name the node, the type and the wanted name, and list what is configured, never a secret")
    func errors() async throws {
        let path = try CredentialFixtures.file([
            CredentialFixtures.entry("postgres", name: "Main DB", data: ["password": "hunter2-secret"]),
            CredentialFixtures.entry("postgres", name: "Replica", data: ["password": "other-secret"]),
        ])
        let resolver = try CredentialStoreResolver.load(file: path, environment: [:], logger: logger)
        let error = try await #require(throws: NodeError.self) {
            try await resolver.resolve(type: "postgres", reference: ["name": "Analytics"], node: "Load rows")
        }
        #expect(error.code == .credentials)
        #expect(error.description.contains("node \"Load rows\""))
        #expect(error.message.contains("no postgres credential named \"Analytics\""))
        #expect(error.message.contains("\"Main DB\""))
        #expect(!error.description.contains("secret"))
        let missing = try await #require(throws: NodeError.self) {
            try await resolver.resolve(type: "anthropicApi", reference: ["name": "Claude"], node: "Ask")
        }
        #expect(missing.message.contains("none of this type is configured"))
        #expect(missing.message.contains("FLOWRUN_CRED_ANTHROPIC_API_"))
        let unconfigured = try await #require(throws: NodeError.self) {
            try await UnconfiguredCredentials().resolve(type: "redis", reference: ["name": "Cache"], node: "Get")
        }
        #expect(unconfigured.code == .credentials)
    }

    @Test("FLOWRUN_CRED_<TYPE>_<NAME>_<FIELD> variables overlay the file's fields; JSON variables add whole credentials")
    func environment() async throws {
        let path = try CredentialFixtures.file([
            CredentialFixtures.entry("postgres", name: "Main DB", data: ["host": "db.internal", "user": "app"]),
        ])
        let environment = [
            "FLOWRUN_CRED_POSTGRES_MAIN_DB_PASSWORD": "from-env-pw",
            "FLOWRUN_CRED_POSTGRES_MAIN_DB_PORT": "6543",
            "FLOWRUN_CRED_ANTHROPIC_API_API_KEY": "sk-env",
            "FLOWRUN_CRED_HTTP_HEADER_AUTH_PARTNER_NAME": "X-Token",
            "FLOWRUN_CRED_HTTP_HEADER_AUTH_PARTNER_VALUE": "tok-123",
            "FLOWRUN_CRED_MAILER": #"{"type": "smtp", "name": "Mailer", "data": {"user": "u", "password": "smtp-pw"}}"#,
            "FLOWRUN_CREDENTIALS_KEY": "not a credential variable",
        ]
        let resolver = try CredentialStoreResolver.load(file: path, environment: environment, logger: logger)
        let pg = try await resolver.resolve(type: "postgres", reference: ["name": "Main DB"], node: "Q")
        #expect(pg.string("host") == "db.internal")
        #expect(pg.string("password") == "from-env-pw")
        #expect(pg.data["port"] == .number(6543))
        #expect(resolver.credentials.entries.count { $0.type == "postgres" } == 1)
        let claude = try await resolver.resolve(type: "anthropicApi", reference: ["name": "Anthropic account"], node: "Ask")
        #expect(claude.string("apiKey") == "sk-env")
        #expect(claude.string("url") == "https://api.anthropic.com")
        let header = try await resolver.resolve(type: "httpHeaderAuth", reference: ["name": "Partner"], node: "Call")
        #expect(header.string("name") == "X-Token" && header.string("value") == "tok-123")
        let smtp = try await resolver.resolve(type: "smtp", reference: ["name": "Mailer"], node: "Send")
        #expect(smtp.string("password") == "smtp-pw")
        #expect(resolver.redactor.redact("pw=smtp-pw") == "pw=[redacted]")

        let bad = #expect(throws: CredentialError.self) {
            try CredentialStoreResolver.load(file: nil, environment: ["FLOWRUN_CRED_WHATEVER": "plain"], logger: logger)
        }
        #expect(bad?.message.contains("FLOWRUN_CRED_WHATEVER") == true)
        #expect(bad?.message.contains("plain") == false)
    }

    @Test("FLOWRUN_ANTHROPIC_BASE_URL replaces the anthropicApi url")
    func anthropicBaseURL() async throws {
        let resolver = try CredentialStoreResolver.load(
            file: nil, environment: ["FLOWRUN_CRED_ANTHROPIC_API_API_KEY": "k-1234", "FLOWRUN_ANTHROPIC_BASE_URL": "http://127.0.0.1:9/anthropic"],
            logger: logger)
        let credential = try await resolver.resolve(type: "anthropicApi", reference: nil, node: "Ask")
        #expect(credential.string("url") == "http://127.0.0.1:9/anthropic")
    }

    @Test("YAML files read like JSON ones; n8n-encrypted data is refused with the export command to use")
    func yamlAndFormatErrors() async throws {
        let yaml = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString).yaml").path
        try """
            - id: "3"
              name: Cache
              type: redis
              data:
                host: 127.0.0.1
                port: 56379
                password: "no"
            """.write(toFile: yaml, atomically: true, encoding: .utf8)
        let resolver = try CredentialStoreResolver.load(file: yaml, environment: [:], logger: logger)
        let redis = try await resolver.resolve(type: "redis", reference: ["id": "3"], node: "Get")
        #expect(redis.data["port"] == .number(56379))
        #expect(redis.string("password") == "no")

        let encrypted = try CredentialFixtures.file([.object(["name": "X", "type": "redis", "data": "U2FsdGVkX1+abc"])])
        let error = #expect(throws: CredentialError.self) {
            try CredentialStoreResolver.load(file: encrypted, environment: [:], logger: logger)
        }
        #expect(error?.message.contains("--decrypted") == true)
        let notList = try CredentialFixtures.file([])
        try "{\"name\": 1}".write(toFile: notList, atomically: true, encoding: .utf8)
        #expect(throws: CredentialError.self) { try CredentialStoreResolver.load(file: notList, environment: [:], logger: logger) }
        #expect(throws: CredentialError.self) { try CredentialStoreResolver.load(file: "/nonexistent/creds.json", environment: [:], logger: logger) }
    }

    @Test("The runtime resolves through the file and registers secrets with the engine's redactor")
    func runtimeAssembly() async throws {
        let path = try CredentialFixtures.file([CredentialFixtures.entry("httpBearerAuth", name: "API", data: ["token": "tok-SECRET-42"])])
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-creds-data-\(UUID().uuidString)").path
        let configuration = RuntimeConfiguration(dataDirectory: data, credentialsFile: path, environment: [:], recordsExecutions: false)
        try await Runtime.with(configuration, logger: logger) { runtime in
            let credential = try await runtime.services.credentials.resolve(type: "httpBearerAuth", reference: ["name": "API"], node: "N")
            #expect(credential.string("token") == "tok-SECRET-42")
            #expect(runtime.services.redactor.redact("Bearer tok-SECRET-42") == "Bearer [redacted]")
        }
    }
}
