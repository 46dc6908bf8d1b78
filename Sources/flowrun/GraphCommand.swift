import ArgumentParser
import FlowrunCore
import FlowrunNodes
import Foundation

/// `flowrun graph FILE`
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a workflow as a Mermaid or Graphviz diagram.",
        discussion: """
            Boxes show node names and types; arrows carry branch labels (If true/false, Switch outputs, \
            Loop Over Items done/loop, error outputs, Merge inputs). Disabled nodes are marked, AI \
            connections are dashed and sticky notes are left out.

            Examples:
              flowrun graph my-workflow.json > diagram.mmd
              flowrun graph my-workflow.yaml --format dot | dot -Tsvg > diagram.svg
            """
    )

    @Argument(help: "The workflow file (.json, .yaml or .yml).")
    var file: String

    @Option(help: "Diagram language: 'mermaid' (default, for Markdown) or 'dot' (Graphviz).")
    var format: DiagramFormat = .mermaid

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    enum DiagramFormat: String, ExpressibleByArgument, CaseIterable {
        case mermaid
        case dot
    }

    func run() async throws {
        let result = WorkflowLoader(configuration: .flowrun).load(contentsOf: file)
        for diagnostic in result.diagnostics where diagnostic.severity == .error { printError(diagnostic.humanLine) }
        guard let document = result.document else { throw ExitCode(CLIExit.failure) }
        let format: WorkflowDiagram.Format = self.format == .dot ? .dot : .mermaid
        let registry = NodeRegistry.builtIn
        let diagram = WorkflowDiagram(
            document: document,
            outputNames: { node in
                guard case .found(let type) = registry.resolve(node.type, version: node.typeVersion ?? 1) else { return nil }
                return type.description.outputNames
            },
            isTrigger: { registry.isTrigger($0) })
        try OutputWriter.write(diagram.text(in: format), to: output)
    }
}

/// Writes command output to a file or standard output.
enum OutputWriter {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            print(text, terminator: "")
            return
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("\(path): cannot write the file: \(error.localizedDescription)")
            throw ExitCode(CLIExit.failure)
        }
    }
}
