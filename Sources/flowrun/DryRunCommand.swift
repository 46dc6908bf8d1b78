import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes
import Foundation

/// `flowrun dry-run FILE`
struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Validate a workflow and show what a run would do, without side effects.",
        discussion: """
            Runs the workflow in simulation: nodes that reach the outside (HTTP, databases, email, AI) \
            do not run; they answer with their pinned data or, without any, with an item describing \
            the request they would make. Prints the plan: the nodes in execution order with their \
            items, and for branching nodes (If, Switch, Loop Over Items) which outputs got items.
            """
    )

    @OptionGroup var target: RunTarget

    @Option(help: "Output format: 'text' (default) or 'json'.")
    var format: NodesCommand.Format = .text

    @Option(help: ArgumentHelp(
        "Replay recorded execution ID against FILE: side-effecting nodes answer from the recording, the rest run and are compared (exit 1 on a difference).",
        valueName: "id"))
    var replay: String?

    func run() async throws {
        if let replay {
            try await ReplayRunner.run(id: replay, file: target.file, format: format,
                                       configuration: target.runtimeConfiguration(recordsExecutions: false))
            return
        }
        let (graph, items) = try target.load()
        // Nothing leaves the machine: outside calls from nodes that do run (the Code node's
        // this.helpers.httpRequest) are answered by the intercepting transport and listed.
        let transport = DryRunTransport()
        let result = try await RunSupport.withRuntime(target.runtimeConfiguration(recordsExecutions: false)) { runtime in
            var services = runtime.services
            services.http = transport
            let engine = RunSupport.engine(for: target.file, services: services)
            return await engine.run(graph, options: .init(mode: .dryRun, startNode: target.trigger, input: items,
                                                          pinData: RunSupport.pinData(of: graph)))
        }
        let steps = DryRunPlan.steps(result, graph: graph)
        let intercepted = transport.intercepted
        switch format {
        case .json:
            var o: JSONObject = ["file": .string(target.file), "status": .string(result.status.rawValue), "steps": .array(steps.map(\.json))]
            if let error = result.error { o["error"] = .string(error.description) }
            o["interceptedRequests"] = .array(intercepted.map { .object(["method": .string($0.method), "url": .string($0.url)]) })
            print(JSONValue.object(o).jsonString())
        case .text:
            print("Plan for \(target.file) (execution order \(graph.executionOrder.rawValue)):")
            for (i, step) in steps.enumerated() { print("  \(i + 1). \(step.text)") }
            for request in intercepted { print("  intercepted: \(request.method) \(request.url) (not sent)") }
            print("Status: \(result.status.rawValue)\(result.error.map { " (\($0))" } ?? "")")
        }
        if result.error != nil { throw ExitCode(CLIExit.failure) }
    }
}

/// The executed steps of a (dry) run, in order.
enum DryRunPlan {
    struct Step {
        var node: String
        var type: String
        var runIndex: Int
        var itemsIn: Int
        var outputs: [(name: String, count: Int)]
        var simulated: Bool
        var error: String?

        var text: String {
            var s = "\(node) [\(type.split(separator: ".").last ?? "")]"
            if runIndex > 0 { s += " run \(runIndex)" }
            s += ": \(itemsIn) in"
            if outputs.count == 1 { s += ", \(outputs[0].count) out" }
            if outputs.count > 1 {
                let taken = outputs.filter { $0.count > 0 }.map { "\($0.name) (\($0.count))" }
                s += ", branches taken: \(taken.isEmpty ? "none" : taken.joined(separator: ", "))"
            }
            if simulated { s += " (simulated: side effects not performed)" }
            if let error { s += " FAILED: \(error)" }
            return s
        }

        var json: JSONValue {
            var o: JSONObject = ["node": .string(node), "type": .string(type), "runIndex": .number(Double(runIndex)),
                                 "itemsIn": .number(Double(itemsIn))]
            o["outputs"] = .array(outputs.map { .object(["name": .string($0.name), "items": .number(Double($0.count))]) })
            o["simulated"] = .bool(simulated)
            if let error { o["error"] = .string(error) }
            return .object(o)
        }
    }

    static func steps(_ result: ExecutionResult, graph: WorkflowGraph) -> [Step] {
        var seen: [String: Int] = [:]
        var steps: [Step] = []
        for name in result.executionOrder {
            let index = seen[name, default: 0]
            seen[name] = index + 1
            guard let record = result.runData[name]?[index], let node = graph.node(name) else { continue }
            let names = node.implementation?.outputNames ?? []
            let outputs = (record.output ?? []).enumerated().map { i, items in
                (name: i < names.count ? names[i] : (node.hasErrorOutput && i == node.outputCount - 1 ? "error" : "output \(i)"), count: items.count)
            }
            let simulated = node.description?.hasSideEffects == true && graph.document.pinData?[name] == nil
            steps.append(Step(node: name, type: node.type, runIndex: index, itemsIn: record.input.compactMap { $0?.count }.reduce(0, +),
                              outputs: outputs, simulated: simulated, error: record.error?.message))
        }
        return steps
    }
}
