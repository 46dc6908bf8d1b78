import FlowrunCore
import FlowrunExpressions
import FlowrunRuntime
import FlowrunServer
import FlowrunStandIns
import Foundation
import Logging
import Prometheus
import Testing

/// `/metrics` after real traffic: every metric family flowrun serves, with its labels; and JSON
/// logs that carry the execution id on every line of an execution.
@Suite("Metrics and logs")
struct MetricsTests {
    /// The samples of `name` in a Prometheus text exposition, by their label sets.
    static func samples(_ text: String, _ name: String) -> [(labels: [String: String], value: Double)] {
        var out: [(labels: [String: String], value: Double)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let (head, value) = line.lastIndex(of: " ").map { (line[..<$0], Double(line[line.index(after: $0)...]) ?? .nan) } ?? (line, .nan)
            let metric = head.firstIndex(of: "{").map { head[..<$0] } ?? head
            guard metric == name else { continue }
            var labels: [String: String] = [:]
            if let open = head.firstIndex(of: "{"), let close = head.lastIndex(of: "}") {
                for pair in head[head.index(after: open)..<close].split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    if kv.count == 2 { labels[String(kv[0])] = String(kv[1].dropFirst().dropLast()) }
                }
            }
            out.append((labels, value))
        }
        return out
    }

    /// The value of the sample of `name` whose labels include `labels` (nil: no such sample).
    static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(text, name).first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    @Test("executions, node durations, webhook latency, breaker state and transitions, rate-limit rejections and queue depth")
    func families() async throws {
        try await TestHTTPServer.withRunning { downstream in
            downstream.script("/down", always: .status(503))
            let calls = Flows.chain([
                Flows.webhook(["path": "call", "responseMode": "lastNode"]),
                .object(Flows.node("Downstream", "n8n-nodes-base.httpRequest", 4.2, ["url": .string(downstream.baseURL + "/down"), "options": [:]])
                    .objectValue!.merging(["flowrun": ["breaker": ["key": "downstream", "failureThreshold": 2, "coolDownMs": 600000]]]) { $1 }),
            ], name: "Calls", id: "calls")
            let limited = Flows.chain([Flows.webhook(["path": "limited"], extra: ["flowrun": ["rateLimit": ["limit": 1, "windowSeconds": 600]]])],
                                      name: "Limited", id: "limited")
            let nodeLimited = Flows.chain([
                Flows.webhook(["path": "node-limited"]),
                Flows.node("Limit", "flowrun.rateLimit", 1, ["key": "metrics-test", "limit": 1, "window": "day", "onLimit": "route"]),
            ], name: "Node limited", id: "node-limited")
            let ok = Flows.chain([Flows.webhook(["path": "ok", "responseMode": "lastNode"]), Flows.set("Answer", [("ok", "yes")])], name: "Ok", id: "ok")
            let registry = PrometheusCollectorRegistry()
            let metrics = ServerMetrics(factory: PrometheusMetricsFactory(registry: registry))
            try await ServerHarness.with(
                workflows: ["calls.json": calls, "limited.json": limited, "node.json": nodeLimited, "ok.json": ok], recordsExecutions: true,
                configure: { server in
                    server.prometheus = registry
                    server.metrics = metrics
                },
                configureRuntime: { runtime in runtime.resilience.observers.append(BreakerMetricsObserver(metrics: metrics)) }
            ) { server in
                #expect(try await server.request("GET", "/webhook/ok").status == 200)
                // Two failures open the "downstream" breaker; the third call fails fast.
                for _ in 0..<3 { #expect(try await server.request("GET", "/webhook/call").status == 500) }
                #expect(try await server.request("GET", "/webhook/limited").status == 200)
                #expect(try await server.request("GET", "/webhook/limited").status == 429)
                for _ in 0..<2 {
                    let answer = try await server.request("GET", "/webhook/node-limited")
                    #expect(answer.status == 200, "\(answer.text)")
                }
                // The queue reports its depth through this call (queue mode).
                metrics.queueDepth(7)
                // Executions are counted as they end, after lastNode answers: poll.
                var text = ""
                let counted = try await ServerHarness.eventually {
                    text = try await server.request("GET", "/metrics").text
                    return Self.value(text, "flowrun_executions", ["workflow": "calls", "status": "error"]) == 3
                        && Self.value(text, "flowrun_executions", ["workflow": "node-limited", "status": "success"]) == 2
                }
                #expect(counted, "\(text)")
                #expect(Self.value(text, "flowrun_executions", ["workflow": "ok", "status": "success"]) == 1)
                #expect(Self.value(text, "flowrun_node_duration_count", ["type": "n8n-nodes-base.set", "status": "success"]) == 1)
                #expect(Self.value(text, "flowrun_node_duration_count", ["type": "n8n-nodes-base.httpRequest", "status": "error"]) == 3)
                #expect(Self.samples(text, "flowrun_node_duration_bucket").contains { $0.labels["le"] != nil })
                #expect(Self.value(text, "flowrun_webhook_duration_count", ["workflow": "ok", "status": "200"]) == 1)
                #expect(Self.value(text, "flowrun_webhook_duration_count", ["workflow": "limited", "status": "429"]) == 1)
                #expect(Self.value(text, "flowrun_breaker_transitions", ["target": "downstream", "state": "open"]) == 1)
                #expect(Self.value(text, "flowrun_breaker_state", ["target": "downstream"]) == 2)
                #expect(Self.value(text, "flowrun_ratelimit_rejections", ["workflow": "limited", "source": "gateway"]) == 1)
                #expect(Self.value(text, "flowrun_ratelimit_rejections", ["workflow": "node-limited", "source": "node"]) == 1)
                #expect(Self.value(text, "flowrun_webhook_rejections", ["workflow": "limited", "reason": "rate_limit"]) == 1)
                #expect(Self.value(text, "flowrun_queue_depth") == 7)
                #expect(Self.value(text, "flowrun_executions_running") != nil)
                #expect(Self.value(text, "flowrun_workflows_loaded") == 4)
            }
        }
    }

    @Test("JSON logs: every line of an execution, engine and server alike, carries its execution id")
    func executionIDOnEveryLine() async throws {
        let lines = LogLines()
        let flow = Flows.chain([
            Flows.webhook(["path": "logged", "httpMethod": "POST", "responseMode": "lastNode"]),
            Flows.set("First", [("a", "1")]), Flows.set("Second", [("b", "2")]),
            Flows.node("Boom", "n8n-nodes-base.stopAndError", 1, ["errorMessage": "stop here"]),
        ], name: "Logged", settings: ["errorWorkflow": "handler"], id: "logged")
        let handler = Flows.chain([Flows.node("Error Trigger", "n8n-nodes-base.errorTrigger", 1, [:]), Flows.set("Note", [("n", "1")])],
                                  name: "Handler", id: "handler")
        try await ServerHarness.with(
            workflows: ["logged.json": flow, "handler.json": handler], recordsExecutions: true,
            configure: { server in server.logger = lines.logger() }
        ) { server in
            let answer = try await server.post("/webhook/logged", json: ["x": 1])
            #expect(answer.status == 500)
            let id = try #require(answer.header("x-flowrun-execution-id"))
            let finished = try await ServerHarness.eventually {
                lines.all.contains { $0["message"] == "Error workflow finished" && $0["flowrun.execution.id"] == .string(id) }
            }
            #expect(finished)
            let mine = lines.all.filter { $0["flowrun.execution.id"] == .string(id) }
            let messages = Set(mine.compactMap { $0["message"]?.stringValue })
            let expected: Set<String> = ["Execution started", "Execution finished", "Node finished", "Error workflow started"]
            #expect(expected.isSubset(of: messages), "\(messages)")
            let nodes = Set(mine.compactMap { $0["flowrun.node.name"]?.stringValue })
            #expect(Set(["Webhook", "First", "Second"]).isSubset(of: nodes), "\(nodes)")
            // Lines about a workflow's execution (a node, a workflow) never lack the execution id.
            let unlabeled = lines.all.filter { ($0["flowrun.node.name"] != nil || $0["flowrun.workflow.id"] != nil) && $0["flowrun.execution.id"] == nil }
            #expect(unlabeled.isEmpty, "\(unlabeled)")
        }
    }
}
