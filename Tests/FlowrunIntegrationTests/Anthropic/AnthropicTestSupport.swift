import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import FlowrunNodes
import FlowrunRuntime
import FlowrunStandIns
import Foundation
import Logging
import Testing

/// Runs Anthropic workflows against the stand-in over real HTTP (AsyncHTTPClientTransport).
enum AnthropicHarness {
    static let apiKey = "sk-ant-test-KEY-0042"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts a stand-in (expecting `apiKey`), runs `body` with a function that executes a workflow.
    static func withStandIn<T: Sendable>(
        key: String = apiKey, resilience: (any ResilienceService)? = nil,
        _ body: @Sendable (AnthropicStandIn, _ run: @Sendable (String, [Item]) async throws -> ExecutionResult) async throws -> T
    ) async throws -> T {
        let standIn = AnthropicStandIn(apiKey: apiKey)
        return try await standIn.withServer { baseURL in
            try await AsyncHTTPClientTransport.withTransport(logger: logger) { transport in
                let resolver = try CredentialStoreResolver.load(
                    file: nil, environment: ["FLOWRUN_CRED_ANTHROPIC_API_CLAUDE_API_KEY": key, "FLOWRUN_ANTHROPIC_BASE_URL": baseURL],
                    logger: logger)
                var services = NodeServices(credentials: resolver, http: transport, resilience: resilience)
                services.redactor = resolver.redactor
                let clock = VirtualClock(wallClock: { Date().timeIntervalSince1970 * 1000 })
                let engine = Engine(configuration: .init(clock: clock, nowMilliseconds: { clock.milliseconds() }, logger: logger,
                                                         services: services))
                return try await body(standIn) { text, items in
                    let loaded = WorkflowLoader().load(text: text, format: .json, fileName: "claude.json")
                    let document = try #require(loaded.document, "\(loaded.diagnostics)")
                    let (graph, diagnostics) = WorkflowGraph.build(document, registry: .builtIn)
                    #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
                    return await engine.run(graph, options: .init(input: items))
                }
            }
        }
    }

    /// Manual trigger → Anthropic "Message a model" with these parameters.
    static func messageWorkflow(_ parameters: String, settings: String = "") -> String {
        """
        {"name":"Claude","nodes":[
          {"parameters":{},"name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0]},
          {"parameters":\(parameters),"name":"Claude","type":"@n8n/n8n-nodes-langchain.anthropic","typeVersion":1,
           "position":[200,0],"credentials":{"anthropicApi":{"id":"a1","name":"Claude"}}\(settings)}],
         "connections":{"Start":{"main":[[{"node":"Claude","type":"main","index":0}]]}}}
        """
    }

    static func output(_ result: ExecutionResult, _ node: String = "Claude") -> [Item] {
        result.runData[node]?.last?.output?.first ?? []
    }
}
