import Foundation

/// Workflow files the tests read: the repository's own, and the shared n8n fixtures and real-world
/// corpus next to the repository when present (`../shared`), so CI runs at least the repository's.
enum WorkflowTestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every workflow file below `folder` (relative to the repository), sorted.
    static func files(under folder: String, extensions: Set<String> = ["json", "yaml", "yml"]) -> [URL] {
        let root = repository.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { extensions.contains($0.pathExtension.lowercased()) && $0.lastPathComponent != "manifest.json" }
            .sorted { $0.path < $1.path }
    }

    /// The repository's examples and workflows, the shared fixtures, and every `step`-th corpus file.
    static func roundTripSample(step: Int = 2) -> [URL] {
        let corpus = files(under: "../shared/corpus/realworld", extensions: ["json"])
        return files(under: "examples") + files(under: "workflows")
            + files(under: "../shared/conformance/n8n-fixtures", extensions: ["json"])
            + corpus.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }
}
