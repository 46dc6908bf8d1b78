import FlowrunExpressions
import Foundation
import Yams

/// Reads YAML into a `JSONValue`, keeping mapping order and recording where values start.
///
/// Plain scalars resolve by YAML 1.2's core schema (the one JSON agrees with), not Yams' YAML 1.1
/// resolver, so `on`, `no` and `y` stay strings and a JSON → YAML → JSON round trip is exact.
/// Quoted and block scalars are always strings.
struct YAMLReader {
    /// A YAML syntax or structure error with its place.
    struct Failure: Error {
        var message: String
        var line: Int?
        var column: Int?
    }

    /// Nesting deeper than this is refused before libyaml or our recursion sees it.
    static let maxDepth = 256
    /// Values produced, counting every alias expansion; bounds "billion laughs" documents.
    static let maxValues = 1_000_000

    /// Where each value of interest starts: paths such as `nodes[2]`, `nodes[2].name`, `connections.A`.
    private(set) var marks: [String: (line: Int, column: Int)] = [:]
    private var produced = 0
    /// Lines of the text, kept only when it may hold a byte order mark inside a scalar.
    private var linesForBOM: [Substring]?

    mutating func read(_ text: String) throws(Failure) -> JSONValue {
        // libyaml stops at 1000 levels and Yams composes recursively below that, which tests showed
        // to be safe; the estimate only keeps absurd inputs away from both. The real limit is
        // checked while converting.
        if let depth = Self.estimatedDepth(text), depth > 1000 {
            throw Failure(message: "the YAML nests deeper than \(Self.maxDepth) levels", line: nil, column: nil)
        }
        if text.unicodeScalars.contains("\u{FEFF}") || text.range(of: "\\uFEFF", options: .caseInsensitive) != nil {
            linesForBOM = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.failure(from: error)
        } catch {
            throw Failure(message: "\(error)", line: nil, column: nil)
        }
        guard let root else { throw Failure(message: "the file is empty", line: 1, column: 1) }
        return try convert(root, path: "", depth: 0)
    }

    private mutating func convert(_ node: Yams.Node, path: String, depth: Int) throws(Failure) -> JSONValue {
        produced += 1
        if produced > Self.maxValues {
            throw Failure(message: "the YAML expands to more than \(Self.maxValues) values (aliases?)",
                          line: node.mark?.line, column: node.mark?.column)
        }
        if depth > Self.maxDepth {
            throw Failure(message: "the YAML nests deeper than \(Self.maxDepth) levels",
                          line: node.mark?.line, column: node.mark?.column)
        }
        if depth <= WorkflowLoader.locatedDepth, let mark = node.mark, !path.isEmpty, marks[path] == nil { marks[path] = (mark.line, mark.column) }
        switch node {
        case .scalar(let scalar):
            return Self.resolve(restoringBOM(scalar))
        case .alias(let alias):
            throw Failure(message: "unresolved alias", line: alias.mark?.line, column: alias.mark?.column)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            elements.reserveCapacity(sequence.count)
            for (index, element) in sequence.enumerated() {
                let childPath = depth < WorkflowLoader.locatedDepth ? "\(path)[\(index)]" : ""
                elements.append(try convert(element, path: childPath, depth: depth + 1))
            }
            return .array(elements)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(message: "a mapping key must be a plain value, not a \(key.kindName)",
                                  line: key.mark?.line, column: key.mark?.column)
                }
                let name = restoringBOM(keyScalar).string
                if keyScalar.style == .plain, name == "<<" {
                    throw Failure(message: "YAML merge keys (<<) are not supported; write the keys out",
                                  line: key.mark?.line, column: key.mark?.column)
                }
                // Paths are only built as deep as values are located.
                let childPath = depth >= WorkflowLoader.locatedDepth ? "" : path.isEmpty ? name : "\(path).\(name)"
                // A member is located at its key, which is where a reader looks for it.
                if depth < WorkflowLoader.locatedDepth, let mark = key.mark { marks[childPath] = (mark.line, mark.column) }
                object[name] = try convert(value, path: childPath, depth: depth + 1)
            }
            return .object(object)
        }
    }

    /// Yams decodes scalars with Foundation, which drops a leading U+FEFF; put it back when the
    /// source shows one (raw or escaped) at the start of the scalar.
    private func restoringBOM(_ scalar: Yams.Node.Scalar) -> Yams.Node.Scalar {
        guard let lines = linesForBOM, let mark = scalar.mark, mark.line >= 1, mark.line <= lines.count,
            !scalar.string.unicodeScalars.starts(with: ["\u{FEFF}"])
        else { return scalar }
        var rest = Substring.UnicodeScalarView(lines[mark.line - 1].unicodeScalars.dropFirst(mark.column - 1))
        if scalar.style == .doubleQuoted || scalar.style == .singleQuoted { rest = rest.dropFirst() }
        let head = String(String.UnicodeScalarView(rest.prefix(6)))
        guard rest.first == "\u{FEFF}" || head.lowercased() == "\\ufeff" else { return scalar }
        var copy = scalar
        copy.string = "\u{FEFF}" + scalar.string
        return copy
    }

    /// YAML 1.2 core schema resolution of a scalar.
    static func resolve(_ scalar: Yams.Node.Scalar) -> JSONValue {
        let s = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(s) }
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .string(s)  // JSON has no infinities or NaN; keep the text
        default: break
        }
        if let number = number(s) { return .number(number) }
        return .string(s)
    }

    private static func number(_ s: String) -> Double? {
        let u = Array(s.utf8)
        guard let first = u.first else { return nil }
        if u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "o") {
            guard let value = Int(String(s.dropFirst(2)), radix: u[1] == UInt8(ascii: "x") ? 16 : 8) else { return nil }
            return Double(value)
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var i = 0
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { i += 1 }
        func digits() -> Int {
            let start = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            return i - start
        }
        let intDigits = digits()
        var fracDigits = 0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            fracDigits = digits()
        }
        guard intDigits > 0 || fracDigits > 0 else { return nil }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == u.count else { return nil }
        return Double(s.hasPrefix("+") ? String(s.dropFirst()) : s)
    }

    /// A cheap upper bound of the nesting depth: flow brackets plus block indentation and
    /// compact sequence dashes on the deepest line. `nil` when the text is shallow for sure.
    static func estimatedDepth(_ text: String) -> Int? {
        guard text.utf8.count > 1000 else { return nil }
        var worst = 0
        var flow = 0
        var lineStart = true
        var indent = 0
        var dashes = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"):
                worst = max(worst, flow + indent + dashes)
                lineStart = true
                indent = 0
                dashes = 0
            case UInt8(ascii: " ") where lineStart: indent += 1
            case UInt8(ascii: "-") where lineStart: dashes += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                lineStart = false
                flow += 1
                worst = max(worst, flow + indent + dashes)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                lineStart = false
                flow = max(0, flow - 1)
            default: lineStart = false
            }
        }
        worst = max(worst, flow + indent + dashes)
        return worst
    }

    private static func failure(from error: YamlError) -> Failure {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = context.map { "\(problem) \($0.text)" } ?? problem
            return Failure(message: text, line: mark.line, column: mark.column)
        default:
            return Failure(message: "\(error)", line: nil, column: nil)
        }
    }
}

extension Yams.Node {
    fileprivate var kindName: String {
        switch self {
        case .scalar: "scalar"
        case .mapping: "mapping"
        case .sequence: "sequence"
        case .alias: "alias"
        }
    }
}
