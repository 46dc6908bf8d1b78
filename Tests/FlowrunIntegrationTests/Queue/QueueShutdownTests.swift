import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import Foundation
import Testing

/// Stopping a queue-mode main process while requests wait for workers.
@Suite("Queue mode shutdown with real processes", .serialized)
struct QueueShutdownTests {
    @Test("SIGTERM to a main process whose requests wait for replies that never come: it exits once the shutdown grace runs out (it hung before); the executions stay queued and a worker runs them later")
    func stopsWhenNoWorkerAnswers() async throws {
        try await QueueCluster.with(workflows: ["respond.json": QueueModeTests.respondWorkflow]) { cluster in
            // No worker yet: every request waits. Respond to Webhook requests wait for their
            // responder, which only a worker's reply closed, so the server never stopped.
            let port = try await cluster.startMain("main", arguments: ["--shutdown-grace", "1"])
            let url = "http://127.0.0.1:\(port)/webhook/queue-respond"
            let answers = try await QueueModeTests.withTransports(1) { transports in
                try await withThrowingTaskGroup(of: QueueModeTests.Answer.self) { group in
                    for seq in 0..<3 { group.addTask { await QueueModeTests.post(seq, to: url, with: transports[0]) } }
                    // Every request has its record (written before its job is published).
                    let deadline = ContinuousClock.now + .seconds(120)
                    while try await cluster.executions(of: "queue-respond").count < 3, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    let main = try #require(cluster.processes["main"])
                    kill(main.processIdentifier, SIGTERM)
                    let stopDeadline = ContinuousClock.now + .seconds(120)
                    while main.isRunning, ContinuousClock.now < stopDeadline { try await Task.sleep(for: .milliseconds(100)) }
                    #expect(!main.isRunning, "serve --queue did not stop within 120 s of SIGTERM (grace 1 s)\n\(cluster.tail("main"))")
                    if main.isRunning { cluster.kill9("main") }
                    // A clean exit after the grace period, as without the queue.
                    #expect(main.terminationReason == .exit && main.terminationStatus == 0, "\(cluster.tail("main"))")
                    var answers: [QueueModeTests.Answer] = []
                    for try await answer in group { answers.append(answer) }
                    return answers
                }
            }
            // Every request ended (answered 500, or its connection closed when the grace ran out);
            // none was answered as if its execution had run.
            #expect(answers.count == 3 && answers.allSatisfy { !(200..<300).contains($0.status) },
                    "\(answers.map { "\($0.status) \($0.failure ?? "")" })")
            let queued = try await cluster.executions(of: "queue-respond")
            #expect(queued.count == 3 && queued.allSatisfy { $0.status == .new }, "\(queued.map(\.status))")
            // Accepted executions are never lost: a worker started later runs them.
            try cluster.startWorker("w1")
            let deadline = ContinuousClock.now + .seconds(120)
            var records = queued
            while !records.allSatisfy({ $0.status == .success }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                records = try await cluster.executions(of: "queue-respond")
            }
            #expect(records.count == 3 && records.allSatisfy { $0.status == .success }, "\(records.map(\.status))\n\(cluster.tail("w1"))")
            try await cluster.stop("w1")
        }
    }
}
