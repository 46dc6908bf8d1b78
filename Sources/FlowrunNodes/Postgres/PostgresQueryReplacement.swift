import FlowrunCore
import FlowrunExpressions
import Foundation

/// `options.queryReplacement` as n8n reads it: an expression yielding an array binds its
/// elements; otherwise the raw text is split on commas and each entry's `{{ }}` parts are
/// evaluated separately (so a value may contain commas), plain entries bound as text.
struct QueryReplacement: Sendable {
    enum Entry: Sendable {
        case text(String)
        case expressions([ParameterExpression])
    }

    let whole: Param<JSONValue?>?
    let entries: [Entry]

    init(_ reader: ParameterReader) {
        guard let raw = reader.raw else {
            whole = nil
            entries = []
            return
        }
        whole = reader.json(default: "")
        guard case .string(let text) = raw else {
            entries = []
            return
        }
        let stripped = String(text.drop(while: { $0 == "=" }))
        entries = stripped.split(separator: ",", omittingEmptySubsequences: true).map { entry in
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            let resolvables = Self.resolvables(trimmed)
            if resolvables.isEmpty { return .text(trimmed) }
            var compiled: [ParameterExpression] = []
            for r in resolvables {
                guard let e = try? ParameterExpression(parsing: "=" + r) else {
                    reader.report("the query parameter \(r) is not a valid expression")
                    return .text(trimmed)
                }
                compiled.append(e)
            }
            return .expressions(compiled)
        }.filter {
            if case .text(let s) = $0 { return !s.isEmpty }
            return true
        }
    }

    /// The bound values for item `i`.
    func values(for i: Int, context: ExecutionContext) throws -> [JSONValue] {
        guard let whole else { return [] }
        let resolved = try whole.value(for: i, in: context)
        switch resolved {
        case .array(let values)?: return values
        case .string?, nil, .null?, .number?, .bool?:
            // A single expression yielding a number or boolean is read like the text (one value).
            var out: [JSONValue] = []
            for entry in entries {
                switch entry {
                case .text(let s): out.append(.string(s))
                case .expressions(let list):
                    for e in list {
                        out.append(try context.evaluate(e, itemIndex: i, parameter: "options.queryReplacement") ?? .null)
                    }
                }
            }
            return out
        default:
            throw NodeError(.invalidParameter, "Query Parameters must be a string of comma-separated values or an array of values",
                            node: context.nodeName, parameter: "options.queryReplacement", itemIndex: i)
        }
    }

    /// The `{{ … }}` parts of a text (n8n's `getResolvables`).
    static func resolvables(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return out
    }
}
