import FlowrunExpressions

/// Finds where the shallow values of a JSON document start, so diagnostics in JSON files get a line
/// and column like those in YAML files.
///
/// Runs over text the JSON parser has accepted. Paths use the loader's form (`nodes[2]`,
/// `nodes[2].name`, `connections.If.main`); an object member is located at its key.
struct JSONPositionScanner {
    static let maxDepth = WorkflowLoader.locatedDepth

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var marks: [String: WorkflowLoader.SourceMark] = [:]

    init(text: String) {
        bytes = Array(text.utf8)
    }

    static func marks(in text: String) -> [String: WorkflowLoader.SourceMark] {
        var scanner = JSONPositionScanner(text: text)
        if scanner.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.index = 3 }
        scanner.skipWhitespace()
        scanner.value(path: "", depth: 0)
        return scanner.marks
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
    }

    private mutating func value(path: String, depth: Int) {
        guard let byte = current else { return }
        if depth > Self.maxDepth {
            skipValue()
            return
        }
        switch byte {
        case UInt8(ascii: "{"):
            advance()
            skipWhitespace()
            while let c = current, c != UInt8(ascii: "}") {
                let keyMark = WorkflowLoader.SourceMark(line: line, column: column)
                let start = index
                skipString()
                let raw = String(decoding: bytes[start..<index], as: UTF8.self)
                let key = (try? JSONValue(parsing: raw))?.stringValue ?? ""
                let child = path.isEmpty ? key : "\(path).\(key)"
                if depth < Self.maxDepth, marks[child] == nil { marks[child] = keyMark }
                skipWhitespace()
                if current == UInt8(ascii: ":") { advance() }
                skipWhitespace()
                value(path: child, depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") { advance() } else { break }
                skipWhitespace()
            }
            advance()
        case UInt8(ascii: "["):
            advance()
            skipWhitespace()
            var element = 0
            while let c = current, c != UInt8(ascii: "]") {
                let child = "\(path)[\(element)]"
                if depth < Self.maxDepth, marks[child] == nil {
                    marks[child] = WorkflowLoader.SourceMark(line: line, column: column)
                }
                value(path: child, depth: depth + 1)
                element += 1
                skipWhitespace()
                if current == UInt8(ascii: ",") { advance() } else { break }
                skipWhitespace()
            }
            advance()
        case UInt8(ascii: "\""):
            skipString()
        default:
            while let c = current, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"),
                c != 0x20, c != 0x0A, c != 0x0D, c != 0x09
            {
                advance()
            }
        }
    }

    /// Skips a string literal starting at its opening quote.
    private mutating func skipString() {
        advance()
        while let c = current {
            if c == UInt8(ascii: "\\") {
                advance()
                advance()
            } else if c == UInt8(ascii: "\"") {
                advance()
                return
            } else {
                advance()
            }
        }
    }

    /// Skips any value without recursion.
    private mutating func skipValue() {
        guard let first = current else { return }
        if first == UInt8(ascii: "\"") {
            skipString()
            return
        }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            value(path: "", depth: 0)  // a scalar: `value` skips it without recording anything
            return
        }
        var nesting = 0
        while let c = current {
            switch c {
            case UInt8(ascii: "\""):
                skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): nesting += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): nesting -= 1
            default: break
            }
            advance()
            if nesting == 0 { return }
        }
    }
}
