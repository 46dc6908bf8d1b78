import FlowrunServer
import Foundation
import Testing

/// docs/configuration.md lists every setting: each `flowrun serve` key with its variables, and every
/// `FLOWRUN_*`, `N8N_*` and `NODE_FUNCTION_*` variable the sources read.
@Suite("docs/configuration.md")
struct ConfigurationDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
    }

    @Test("every ServeSettings key and its environment variables are documented")
    func serveKeys() throws {
        let text = try Self.document()
        for key in ServeSettings.keys {
            #expect(text.contains("| `\(key.name)` |"), "key \(key.name) has no row in docs/configuration.md")
            for variable in key.environment {
                #expect(text.contains("`\(variable)`"), "\(variable) (key \(key.name)) is not in docs/configuration.md")
            }
            if key.isSecret {
                let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(key.name)` |") } ?? ""
                #expect(row.contains("*secret*"), "key \(key.name) holds a secret; its row must say so")
            }
        }
    }

    @Test("every FLOWRUN_, N8N_ and NODE_FUNCTION_ variable in Sources is documented")
    func sourceVariables() throws {
        let text = try Self.document()
        let pattern = try Regex(#""((?:FLOWRUN|N8N|NODE_FUNCTION)_[A-Z0-9_]+)""#)
        var missing: Set<String> = []
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let source = try String(contentsOf: file, encoding: .utf8)
            for match in source.matches(of: pattern) {
                guard let name = match.output[1].substring.map(String.init) else { continue }
                // A prefix (`FLOWRUN_CRED_`) is documented by its pattern.
                let documented = name.hasSuffix("_") ? text.contains("`\(name)") : text.contains("`\(name)`") || text.contains("`\(name)=")
                if !documented { missing.insert("\(name) (\(file.lastPathComponent))") }
            }
        }
        #expect(missing.isEmpty, "not in docs/configuration.md: \(missing.sorted())")
    }
}
