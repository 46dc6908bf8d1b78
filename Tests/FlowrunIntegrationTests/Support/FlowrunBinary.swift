import Foundation
import Testing

/// The `flowrun` executable built next to the test bundle (`swift build --build-tests` builds it),
/// for the suites that run it as a separate process.
enum FlowrunBinary {
    static let url: URL? = {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return candidates.map { $0.appendingPathComponent("flowrun") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The executable, or a test failure saying it was not built.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try #require(url, "the flowrun executable was not built next to the tests (swift build --build-tests)", sourceLocation: sourceLocation)
    }
}
