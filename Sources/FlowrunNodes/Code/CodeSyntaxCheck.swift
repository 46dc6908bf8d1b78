public import FlowrunCore
public import FlowrunExpressions
import Foundation

/// `flowrun validate`'s check of Code, Function and Function Item nodes: every node's code is
/// compiled by its runner's own parser (without running it); syntax errors are reported with node,
/// parameter and line and column in the code (in the message; the diagnostic points at the
/// parameter in the file). A missing node/python3 is reported once, as a warning.
public struct CodeSyntaxCheck: WorkflowCheck {
    let configuration: TaskRunnerPool.Configuration

    public init(configuration: TaskRunnerPool.Configuration = TaskRunnerPool.shared.configuration) {
        self.configuration = configuration
    }

    public func check(_ document: WorkflowDocument, in context: WorkflowCheckContext) -> [Diagnostic] {
        var requests: [TaskRunnerLanguage: [(index: Int, node: NodeDocument, parameter: String, code: String)]] = [:]
        for (index, node) in document.nodes.enumerated() where !node.isStickyNote {
            guard let (language, parameter) = Self.codeParameter(of: node),
                  let code = node.parameters[parameter]?.stringValue
            else { continue }
            requests[language, default: []].append((index, node, parameter, code))
        }
        var diagnostics: [Diagnostic] = []
        for language in TaskRunnerLanguage.allCases {
            guard let batch = requests[language], !batch.isEmpty else { continue }
            do {
                let problems = try CodeSyntaxChecker(configuration: configuration).check(
                    batch.map(\.code), language: language)
                for (request, problem) in zip(batch, problems) {
                    guard let problem else { continue }
                    // Line and column inside the code go in the message; the diagnostic's own
                    // position is the parameter's place in the file.
                    let diagnostic = context.diagnostic(
                        .error, .codeSyntax,
                        "syntax error in \(request.parameter)"
                            + (problem.line.map { " at line \($0)" + (problem.column.map { ", column \($0)" } ?? "") } ?? "")
                            + ": \(problem.message)",
                        node: request.node.name, parameter: request.parameter,
                        path: "nodes[\(request.index)].parameters.\(request.parameter)")
                    diagnostics.append(diagnostic)
                }
            } catch {
                diagnostics.append(context.diagnostic(
                    .warning, .codeRuntimeUnavailable,
                    "\(batch.count) \(language.displayName) Code node(s) cannot be checked or run: \(error.message)",
                    node: batch[0].node.name, parameter: batch[0].parameter))
            }
        }
        return diagnostics
    }

    /// The language and code parameter of a Code/Function/Function Item node, nil for other types.
    static func codeParameter(of node: NodeDocument) -> (TaskRunnerLanguage, String)? {
        switch node.type {
        case "n8n-nodes-base.code":
            let language = (node.typeVersion ?? 1) >= 2 ? node.parameters["language"]?.stringValue ?? "javaScript" : "javaScript"
            return language == "python" || language == "pythonNative" ? (.python, "pythonCode") : (.javaScript, "jsCode")
        case "n8n-nodes-base.function", "n8n-nodes-base.functionItem":
            return (.javaScript, "functionCode")
        default:
            return nil
        }
    }
}

extension Diagnostic.Code {
    /// Code in a Code/Function node does not compile.
    public static let codeSyntax = Diagnostic.Code("codeSyntax")
    /// node or python3 (or flowrun's runner programs) is missing, so Code nodes cannot run.
    public static let codeRuntimeUnavailable = Diagnostic.Code("codeRuntimeUnavailable")
}

/// Compiles snippets with a runner's parser in a one-shot process (`runner.js --check`), blocking.
public struct CodeSyntaxChecker: Sendable {
    let configuration: TaskRunnerPool.Configuration

    public init(configuration: TaskRunnerPool.Configuration = TaskRunnerPool.shared.configuration) {
        self.configuration = configuration
    }

    /// One entry per snippet: nil when it compiles, else the first syntax error.
    ///
    /// - Throws: `TaskRunnerError(.runtimeUnavailable)` when the runtime or runner is missing.
    public func check(_ snippets: [String], language: TaskRunnerLanguage) throws(TaskRunnerError) -> [SyntaxProblem?] {
        var launch = try RunnerLocator(configuration: configuration).launch(for: language)
        launch.arguments.append("--check")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments
        process.environment = launch.environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let request = JSONValue.array(snippets.enumerated().map { ["id": .number(Double($0.offset)), "code": .string($0.element)] })
        do {
            try process.run()
            try input.fileHandleForWriting.write(contentsOf: Data((request.jsonString() + "\n").utf8))
            try input.fileHandleForWriting.close()
        } catch {
            throw TaskRunnerError(.runtimeUnavailable, "cannot start \(launch.executable): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let answers = try? JSONValue(parsing: Array(data)).arrayValue, answers.count == snippets.count else {
            throw TaskRunnerError(.runtimeUnavailable, "the \(language.displayName) runner could not check the code")
        }
        return answers.map { answer in
            guard answer["ok"]?.boolValue != true else { return nil }
            return SyntaxProblem(
                message: answer["message"]?.stringValue ?? "syntax error",
                line: answer["line"]?.numberValue.map { Int($0) }, column: answer["column"]?.numberValue.map { Int($0) })
        }
    }
}
