import FlowrunCore
import FlowrunExpressions
import FlowrunHTTPClient
import Foundation
import Testing

/// Queue mode runs its Swift tasks on NIO's event loops by default (`FLOWRUN_EXECUTOR=auto`): the
/// main process and the worker say so at start, and executions complete as on Swift's pool.
@Suite("Queue mode task executor", .serialized)
struct QueueExecutorTests {
    @Test("serve --queue and worker start on the event loops by default, and 100 webhooks are answered by the worker")
    func eventLoopsByDefault() async throws {
        try await QueueCluster.with(workflows: ["load.json": QueueModeTests.loadWorkflow]) { cluster in
            let port = try await cluster.startMain("main")
            try cluster.startWorker("w1")
            let main = cluster.log("main").split(separator: "\n").first { $0.contains("Listening") } ?? ""
            #expect(main.contains("flowrun.executor=eventloops"), "\(main)")
            let started = try await ServeProcess.eventually { cluster.log("w1").contains("Worker started") }
            #expect(started, "\(cluster.tail("w1"))")
            let worker = cluster.log("w1").split(separator: "\n").first { $0.contains("Worker starting") } ?? ""
            #expect(worker.contains("flowrun.executor=eventloops"), "\(cluster.tail("w1"))")
            let answers = try await QueueModeTests.withTransports(1) { transports in
                var answers: [QueueModeTests.Answer] = []
                for seq in 0..<100 {
                    answers.append(await QueueModeTests.post(seq, to: "http://127.0.0.1:\(port)/webhook/queue-load", with: transports[0]))
                }
                return answers
            }
            for answer in answers {
                #expect(answer.status == 200, "\(answer.seq): \(answer.failure ?? "")")
                #expect(answer.body == ["seq": .number(Double(answer.seq)), "doubled": .number(Double(answer.seq * 2))], "\(String(describing: answer.body))")
            }
            let records = try await cluster.executions(of: "queue-load")
            #expect(records.count == 100)
            #expect(records.allSatisfy { $0.status == .success })
        }
    }
}
