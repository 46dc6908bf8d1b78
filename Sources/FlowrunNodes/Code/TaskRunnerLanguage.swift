/// The languages flowrun runs Code nodes in, each with its own runner program.
public enum TaskRunnerLanguage: String, Sendable, Hashable, CaseIterable {
    case javaScript
    case python

    var displayName: String {
        switch self {
        case .javaScript: "JavaScript"
        case .python: "Python"
        }
    }

    /// The runner program, relative to the runners directory.
    var programPath: String {
        switch self {
        case .javaScript: "js/runner.js"
        case .python: "python/runner.py"
        }
    }
}
