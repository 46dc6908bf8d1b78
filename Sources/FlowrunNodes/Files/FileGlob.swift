import Foundation

/// The subset of fast-glob's patterns the Read/Write Files node's `fileSelector` uses: `*`, `?`,
/// `**` (any depth), `{a,b}`, `\x` escapes, and, when brackets are not literal, `[...]` classes and
/// `(a|b)` groups. As fast-glob by default: only files (symbolic links followed), names starting
/// with `.` only when the pattern segment starts with `.`, paths returned as the pattern spells
/// them (relative patterns stay relative to the working directory). Matches are sorted per folder,
/// so the order is stable (fast-glob's follows the file system's listing).
struct FileGlob {
    enum Segment {
        case literal(String)
        case any
        case pattern(NSRegularExpression, dotAllowed: Bool)
    }

    let patterns: [[Segment]]
    let absolute: [Bool]

    /// `literalBrackets`: `[ ] ( )` match themselves (n8n's "Treat Brackets and Parentheses as
    /// Literal", default on).
    init(_ selector: String, literalBrackets: Bool) {
        var patterns: [[Segment]] = []
        var absolute: [Bool] = []
        for expanded in Self.expandBraces(selector) {
            absolute.append(expanded.hasPrefix("/"))
            patterns.append(expanded.split(separator: "/", omittingEmptySubsequences: true).map {
                Self.segment(String($0), literalBrackets: literalBrackets)
            })
        }
        self.patterns = patterns
        self.absolute = absolute
    }

    /// The matching files, each once, in pattern order.
    func matches() -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for (segments, isAbsolute) in zip(patterns, absolute) where !segments.isEmpty {
            var found: [String] = []
            walk(fsDirectory: isAbsolute ? "/" : FileManager.default.currentDirectoryPath, shown: isAbsolute ? "/" : "",
                 segments: segments[...], depth: 0, into: &found)
            for path in found where seen.insert(path).inserted { result.append(path) }
        }
        return result
    }

    private func walk(fsDirectory: String, shown: String, segments: ArraySlice<Segment>, depth: Int, into found: inout [String]) {
        guard let segment = segments.first, depth < 256 else { return }
        let rest = segments.dropFirst()
        let join: (String, String) -> String = { base, name in base.isEmpty ? name : base.hasSuffix("/") ? base + name : base + "/" + name }
        switch segment {
        case .literal(let name):
            visit(name, fsDirectory: fsDirectory, shown: shown, rest: rest, depth: depth, join: join, into: &found)
        case .pattern(let regex, let dotAllowed):
            for name in Self.list(fsDirectory) where (dotAllowed || !name.hasPrefix(".")) && Self.fullMatch(regex, name) {
                visit(name, fsDirectory: fsDirectory, shown: shown, rest: rest, depth: depth, join: join, into: &found)
            }
        case .any:
            // `**`: zero folders, then every visible subfolder keeping `**`.
            if rest.isEmpty {
                for name in Self.list(fsDirectory) where !name.hasPrefix(".") {
                    let path = join(fsDirectory, name)
                    switch Self.kind(path) {
                    case .file: found.append(join(shown, name))
                    case .directory: walk(fsDirectory: path, shown: join(shown, name), segments: segments, depth: depth + 1, into: &found)
                    case nil: break
                    }
                }
                return
            }
            walk(fsDirectory: fsDirectory, shown: shown, segments: rest, depth: depth + 1, into: &found)
            for name in Self.list(fsDirectory) where !name.hasPrefix(".") && Self.kind(join(fsDirectory, name)) == .directory {
                walk(fsDirectory: join(fsDirectory, name), shown: join(shown, name), segments: segments, depth: depth + 1, into: &found)
            }
        }
    }

    private func visit(_ name: String, fsDirectory: String, shown: String, rest: ArraySlice<Segment>, depth: Int,
                       join: (String, String) -> String, into found: inout [String]) {
        let path = join(fsDirectory, name)
        if rest.isEmpty {
            if Self.kind(path) == .file { found.append(join(shown, name)) }
        } else if Self.kind(path) == .directory {
            walk(fsDirectory: path, shown: join(shown, name), segments: rest, depth: depth + 1, into: &found)
        }
    }

    enum Kind { case file, directory }

    /// What a path is, symbolic links followed (nil when it does not exist or is something else).
    static func kind(_ path: String) -> Kind? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: (path as NSString).resolvingSymlinksInPath),
              let type = attributes[.type] as? FileAttributeType else { return nil }
        if type == .typeRegular { return .file }
        if type == .typeDirectory { return .directory }
        return nil
    }

    static func list(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func fullMatch(_ regex: NSRegularExpression, _ name: String) -> Bool {
        let range = NSRange(name.startIndex..., in: name)
        guard let match = regex.firstMatch(in: name, options: [.anchored], range: range) else { return false }
        return match.range == range
    }

    /// `{a,b}c` → `ac`, `bc` (nested and escaped braces respected; a brace without a comma is literal).
    static func expandBraces(_ pattern: String) -> [String] {
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "{" {
                var depth = 0
                var j = i
                var commas: [Int] = []
                while j < chars.count {
                    if chars[j] == "\\" { j += 2; continue }
                    if chars[j] == "{" { depth += 1 } else if chars[j] == "}" {
                        depth -= 1
                        if depth == 0 { break }
                    } else if chars[j] == ",", depth == 1 { commas.append(j) }
                    j += 1
                }
                guard j < chars.count, !commas.isEmpty else { i += 1; continue }
                let prefix = String(chars[..<i])
                let suffix = String(chars[(j + 1)...])
                let bounds = [i] + commas + [j]
                var result: [String] = []
                for k in 0..<(bounds.count - 1) {
                    let alternative = String(chars[(bounds[k] + 1)..<bounds[k + 1]])
                    result += expandBraces(prefix + alternative + suffix)
                }
                return result
            }
            i += 1
        }
        return [pattern]
    }

    static func segment(_ text: String, literalBrackets: Bool) -> Segment {
        if text == "**" { return .any }
        var regex = ""
        var literal = ""
        var magic = false
        let chars = Array(text)
        var i = 0
        var inGroup = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\" where i + 1 < chars.count:
                literal.append(chars[i + 1])
                regex += NSRegularExpression.escapedPattern(for: String(chars[i + 1]))
                i += 1
            case "*":
                magic = true
                while i + 1 < chars.count, chars[i + 1] == "*" { i += 1 }
                regex += ".*"
            case "?":
                magic = true
                regex += "."
            case "[" where !literalBrackets:
                if let close = chars[(i + 1)...].firstIndex(of: "]"), close > i + 1 {
                    magic = true
                    var body = String(chars[(i + 1)..<close])
                    if body.hasPrefix("!") { body = "^" + body.dropFirst() }
                    regex += "[" + body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "[", with: "\\[") + "]"
                    i = close
                } else {
                    literal.append(c)
                    regex += "\\["
                }
            case "(" where !literalBrackets:
                magic = true
                inGroup += 1
                regex += "(?:"
            case "|" where !literalBrackets && inGroup > 0:
                regex += "|"
            case ")" where !literalBrackets && inGroup > 0:
                inGroup -= 1
                regex += ")"
            default:
                literal.append(c)
                regex += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        if !magic { return .literal(literal) }
        guard inGroup == 0, let compiled = try? NSRegularExpression(pattern: regex) else { return .literal(literal) }
        return .pattern(compiled, dotAllowed: text.hasPrefix("."))
    }
}
