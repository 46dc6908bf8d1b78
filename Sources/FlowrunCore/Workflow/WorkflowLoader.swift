import FlowrunExpressions
import Foundation

/// The two spellings of a workflow file.
public enum WorkflowFormat: String, Sendable, Hashable, CaseIterable {
    case json
    case yaml

    /// The format a file name's extension implies (`.json`, `.yaml`, `.yml`), if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            self = .yaml
        } else {
            return nil
        }
    }
}

/// Reads workflow files (n8n JSON exports, or the same structure in YAML) into a `WorkflowDocument`,
/// collecting every structural problem as a `Diagnostic` rather than stopping at the first.
public struct WorkflowLoader: Sendable {
    /// What the loader fills in and how much it accepts.
    public struct Configuration: Sendable {
        /// Whether to fill in node ids, positions, typeVersions and `parameters` that a file leaves
        /// out (what YAML authors may omit). Filled values are what `convert` writes.
        public var fillsAuthoringDefaults: Bool
        /// The newest typeVersion flowrun supports for a node type, used for a missing `typeVersion`.
        /// FlowrunNodes' registry provides it; `nil` means "unknown type".
        public var newestTypeVersion: @Sendable (_ nodeType: String) -> Double?
        /// Files larger than this are refused (bytes).
        public var maxFileSize: Int

        /// Creates a configuration; see each property for the defaults.
        public init(
            fillsAuthoringDefaults: Bool = true,
            newestTypeVersion: @escaping @Sendable (_ nodeType: String) -> Double? = { _ in nil },
            maxFileSize: Int = 256 * 1024 * 1024
        ) {
            self.fillsAuthoringDefaults = fillsAuthoringDefaults
            self.newestTypeVersion = newestTypeVersion
            self.maxFileSize = maxFileSize
        }
    }

    /// What loading produced: the document (`nil` when the file is not a workflow at all) and every
    /// diagnostic found on the way.
    public struct Result: Sendable {
        /// The document, `nil` when the file is not a workflow at all.
        public var document: WorkflowDocument?
        /// Every problem found while reading, in file order.
        public var diagnostics: [Diagnostic]
        /// The format the file was read as.
        public var format: WorkflowFormat
        /// Where values start in the file, by path (`nodes[2]`, `nodes[2].name`), when the parser gives it.
        package var marks: [String: SourceMark]

        /// Whether any diagnostic is an error.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// How deep values are located for diagnostics (`nodes[2].parameters.a.b[0].c` is 7 levels).
    public static let locatedDepth = 10

    /// A 1-based line and column.
    package struct SourceMark: Sendable, Hashable {
        /// 1-based line.
        package var line: Int
        /// 1-based column, in characters.
        package var column: Int
    }

    /// What this loader fills in and accepts.
    public var configuration: Configuration

    /// Creates a loader; the default configuration fills authoring defaults.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Loads the file at `path`; the format comes from the extension (JSON when there is none).
    public func load(contentsOf path: String) -> Result {
        let format = WorkflowFormat(fileName: path) ?? .json
        func unreadable(_ reason: String) -> Result {
            Result(document: nil, diagnostics: [Diagnostic(.error, .unreadableFile, reason, file: path)],
                   format: format, marks: [:])
        }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return unreadable("no such file; check the path")
        }
        if isDirectory.boolValue { return unreadable("this is a folder, not a workflow file") }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? manager.attributesOfItem(atPath: resolved),
            attributes[.type] as? FileAttributeType == .typeRegular
        else {
            return unreadable("not a regular file (a device, pipe or socket); give a workflow file")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > configuration.maxFileSize {
            return unreadable("the file is \(size) bytes; flowrun reads workflow files up to \(configuration.maxFileSize) bytes")
        }
        guard manager.isReadableFile(atPath: path), let data = manager.contents(atPath: path) else {
            return unreadable("cannot read the file: permission denied or an I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(document: nil, diagnostics: [Diagnostic(
                .error, .unreadableFile, "the file is not UTF-8 text; save it as UTF-8", file: path)],
                format: format, marks: [:])
        }
        return load(text: text, format: format, fileName: path)
    }

    /// Loads workflow text; `fileName` is only used in diagnostics.
    public func load(text: String, format: WorkflowFormat, fileName: String) -> Result {
        let root: JSONValue
        var marks: [String: SourceMark] = [:]
        switch format {
        case .json:
            do {
                root = try JSONValue(parsing: text, maxDepth: 256)
            } catch {
                return Result(document: nil, diagnostics: [Diagnostic(
                    .error, .invalidJSON, "invalid JSON: \(error.message)", file: fileName,
                    line: error.line, column: error.column)], format: format, marks: [:])
            }
            marks = JSONPositionScanner.marks(in: text)
        case .yaml:
            var reader = YAMLReader()
            do {
                root = try reader.read(text)
            } catch {
                return Result(document: nil, diagnostics: [Diagnostic(
                    .error, .invalidYAML, "invalid YAML: \(error.message)", file: fileName,
                    line: error.line, column: error.column)], format: format, marks: [:])
            }
            for (path, mark) in reader.marks { marks[path] = SourceMark(line: mark.line, column: mark.column) }
        }
        var decoder = WorkflowDecoder(file: fileName, marks: marks)
        var document = decoder.decode(root)
        if configuration.fillsAuthoringDefaults, var filled = document {
            WorkflowAuthoringDefaults(newestTypeVersion: configuration.newestTypeVersion).fill(&filled)
            document = filled
        }
        if let document { decoder.checkRequiredAfterDefaults(document) }
        return Result(document: document, diagnostics: decoder.diagnostics, format: format, marks: marks)
    }
}
