import ArgumentParser
import FlowrunCore
import Foundation

/// `flowrun convert FILE --to json|yaml`
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a workflow between n8n's JSON and YAML without losing anything.",
        discussion: """
            Every key is kept, in order, including keys flowrun does not use, so converting back gives \
            the same workflow. Files that cannot be read completely (invalid JSON or YAML, entries of \
            the wrong type) are refused with exit code 1; other problems, such as connections to \
            missing nodes, are printed to standard error and the file is converted as it is. Node ids, positions, typeVersions and parameters that a YAML file leaves \
            out are filled in (ids are derived from the workflow and node names, positions come from an \
            automatic left-to-right layout, typeVersion is the newest flowrun supports), so the JSON \
            imports into n8n.

            Examples:
              flowrun convert export.json --to yaml -o workflow.yaml
              flowrun convert workflow.yaml -o export.json
              flowrun convert export.json -o wf.yaml --schema-comment ../schemas/workflow.schema.json
            """
    )

    @Argument(help: "The workflow file (.json, .yaml or .yml).")
    var file: String

    @Option(help: "Target format: 'json' or 'yaml'. Default: the other one, or the extension of --output.")
    var to: Target?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp(
        "For YAML output: start with a yaml-language-server comment pointing editors at this JSON Schema "
            + "(such as schemas/workflow.schema.json, relative to the output file).",
        valueName: "schema"))
    var schemaComment: String?

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case json
        case yaml
    }

    func run() async throws {
        let result = WorkflowLoader(configuration: .flowrun).load(contentsOf: file)
        // Loader errors mean something could not be read into the document, so writing it would lose it.
        let errors = result.diagnostics.filter { $0.severity == .error }
        guard let document = result.document, errors.isEmpty else {
            for diagnostic in errors { printError(diagnostic.humanLine) }
            printError("\(file): not converted; fix the errors above first")
            throw ExitCode(CLIExit.failure)
        }
        let target: WorkflowFormat
        if let to {
            target = to == .json ? .json : .yaml
        } else if let output, let format = WorkflowFormat(fileName: output) {
            target = format
        } else {
            target = result.format == .json ? .yaml : .json
        }
        let report = WorkflowValidator(configuration: .init(loader: .flowrun)).validate(result, file: file)
        for diagnostic in report.diagnostics where diagnostic.severity == .error { printError(diagnostic.humanLine) }
        var text = document.text(in: target)
        if target == .yaml, let schemaComment {
            text = "# yaml-language-server: $schema=\(schemaComment)\n" + text
        }
        try OutputWriter.write(text, to: output)
    }
}
