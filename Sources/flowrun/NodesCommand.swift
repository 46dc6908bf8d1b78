import ArgumentParser
import FlowrunCore
import FlowrunExpressions
import FlowrunNodes

/// `flowrun nodes`
struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "List the node types and type versions flowrun supports."
    )

    @Option(help: "Output format: 'text' (default) or 'json'.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    func run() async throws {
        let descriptions = NodeRegistry.builtIn.descriptions.sorted { $0.type < $1.type }
        switch format {
        case .json:
            for d in descriptions {
                let o: JSONObject = [
                    "type": .string(d.type), "displayName": .string(d.displayName),
                    "typeVersions": .array(d.typeVersions.sorted().map { .number($0) }),
                    "trigger": .bool(d.isTrigger), "sideEffects": .bool(d.hasSideEffects),
                ]
                print(JSONValue.object(o).jsonString())
            }
        case .text:
            let width = descriptions.map(\.type.count).max() ?? 0
            for d in descriptions {
                let versions = d.typeVersions.sorted().map(JSNumberFormatting.string).joined(separator: ", ")
                var flags: [String] = []
                if d.isTrigger { flags.append("trigger") }
                if d.hasSideEffects { flags.append("side effects") }
                let suffix = flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]"
                print("\(d.type.padding(toLength: width, withPad: " ", startingAt: 0))  v\(versions)  \(d.displayName)\(suffix)")
            }
        }
    }
}
