import FlowrunCore
import Foundation
import Testing

@testable import FlowrunNodes

/// nodes/ holds one page per node type; the page names its type in the title and lists the
/// supported versions as `Supported type versions: **1**, **2**.`
@Suite("Node reference pages agree with the registry")
struct NodePagesTests {
    static let nodesDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("nodes")

    struct Page {
        var type: String
        var versions: [Double]
    }

    static func pages() throws -> [String: Page] {
        var result: [String: Page] = [:]
        // Recursive: a type with a scope (`@n8n/n8n-nodes-langchain.anthropic`) lives in a subfolder.
        for file in try FileManager.default.subpathsOfDirectory(atPath: nodesDirectory.path) where file.hasSuffix(".md") {
            let text = try String(contentsOf: nodesDirectory.appendingPathComponent(file), encoding: .utf8)
            let title = text.split(separator: "\n").first.map(String.init) ?? ""
            let type = title.split(separator: "`").dropFirst().first.map(String.init) ?? ""
            var versions: [Double] = []
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Supported type versions:") }) {
                versions = line.split(separator: "*").compactMap { Double($0) }
            }
            result[String(file.dropLast(3))] = Page(type: type, versions: versions)
        }
        return result
    }

    @Test("every registered type has a page named after it, listing exactly its versions")
    func registeredTypesHavePages() throws {
        let pages = try Self.pages()
        let registry = NodeRegistry.builtIn
        for type in registry.typeNames {
            let page = pages[type]
            #expect(page != nil, "no page nodes/\(type).md")
            #expect(page?.type == type, "nodes/\(type).md names \(page?.type ?? "nothing") in its title")
            #expect(page?.versions == registry.supportedVersions(of: type), "nodes/\(type).md lists \(page?.versions ?? []) but the registry supports \(registry.supportedVersions(of: type))")
        }
    }

    @Test("every page describes a registered type")
    func pagesAreRegistered() throws {
        let registered = Set(NodeRegistry.builtIn.typeNames)
        for (file, page) in try Self.pages() {
            #expect(registered.contains(page.type), "nodes/\(file).md describes \(page.type), which is not registered")
            #expect(file == page.type, "nodes/\(file).md should be named after its type \(page.type)")
        }
    }
}
