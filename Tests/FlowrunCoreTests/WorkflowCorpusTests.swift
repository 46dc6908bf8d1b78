import FlowrunExpressions
import Foundation
import Testing

@testable import FlowrunCore

/// The validator over every real workflow available: the shared n8n fixtures and the real-world
/// corpus beside the repository, plus the repository's own files.
@Suite("Workflow corpus")
struct WorkflowCorpusTests {
    static var files: [URL] {
        WorkflowTestFiles.files(under: "examples") + WorkflowTestFiles.files(under: "workflows")
            + WorkflowTestFiles.files(under: "../shared/conformance/n8n-fixtures", extensions: ["json"])
            + WorkflowTestFiles.files(under: "../shared/corpus/realworld", extensions: ["json"])
    }

    @Test("every file is answered, and every diagnostic says where and why")
    func answersEveryFile() {
        let validator = WorkflowValidator()
        let files = Self.files
        #expect(!files.isEmpty)
        var loaded = 0
        for url in files {
            let report = validator.validate(contentsOf: url.path)
            if report.document != nil { loaded += 1 }
            for diagnostic in report.diagnostics {
                #expect(diagnostic.file == url.path)
                #expect(diagnostic.message.count > 20, "\(diagnostic)")
                #expect(!diagnostic.code.rawValue.isEmpty)
                let located = diagnostic.line != nil || diagnostic.code == .unreadableFile
                #expect(located || diagnostic.message.hasPrefix("not a workflow") || diagnostic.message.contains("workflows"),
                        "\(diagnostic)")
            }
        }
        #expect(loaded == files.count, "every workflow file is loaded into a document")
    }
}
