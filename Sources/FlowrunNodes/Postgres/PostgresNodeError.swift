import FlowrunCore
import FlowrunExpressions
import Foundation

/// n8n's parsePostgresError: Postgres's message (syntax errors as "Syntax error at line N near
/// …"), the detail or hint as description, else "Failed query: <query with placeholders>";
/// connection failures as "Connection refused" / "Connection timed out". Never bound values.
enum PostgresNodeError {
    static func make(_ error: any Error, queries: [PostgresPreparedQuery], itemIndex: Int?, context: ExecutionContext) -> NodeError {
        if let node = error as? NodeError { return node }
        var underlying: any Error = error
        var queries = queries
        var itemIndex = itemIndex
        if let failure = error as? PostgresRunFailure {
            underlying = failure.underlying
            queries = failure.queries
            itemIndex = itemIndex ?? failure.itemIndex
        }
        if let node = underlying as? NodeError { return node }
        if let statement = underlying as? PostgresStatementError {
            return NodeError(.operation, statement.message, node: context.nodeName, itemIndex: itemIndex)
        }
        let info = (underlying as? any CustomNSError)?.errorUserInfo ?? [:]
        var message = (info[NSLocalizedDescriptionKey] as? String) ?? "\(underlying)"
        let sqlState = info["sqlState"] as? String
        let kind = info["kind"] as? String ?? "server"
        var description = (info["detail"] as? String) ?? (info["hint"] as? String)
        if message.contains("syntax error at or near"), let snippet = Self.snippet(message) {
            if let failed = queries.firstIndex(where: { $0.text.contains(snippet) }) {
                if itemIndex == nil { itemIndex = failed }
                let lines = queries[failed].text.split(separator: "\n", omittingEmptySubsequences: false)
                let line = (lines.firstIndex(where: { $0.contains(snippet) }) ?? -1) + 1
                message = "Syntax error at line \(line) near \"\(snippet)\""
            }
        }
        if description == nil, kind == "server", let q = queries[safe: itemIndex ?? 0] {
            description = "Failed query: \(q.text)"
        }
        if kind == "connection" || kind == "authentication", let location = info["location"] as? String {
            description = description ?? location
        }
        var extra: JSONObject = [:]
        if let sqlState { extra["sqlState"] = .string(sqlState) }
        let code: NodeError.Code = kind == "authentication" ? .credentials : (kind == "server" ? .operation : .api)
        return NodeError(code, message, detail: description, node: context.nodeName, itemIndex: itemIndex, extra: extra)
    }

    /// `{message, description, sqlState}` as the error object of a continue-on-fail item.
    static func errorObject(_ error: NodeError) -> JSONValue {
        var o: JSONObject = ["message": .string(error.message)]
        if let detail = error.detail { o["description"] = .string(detail) }
        if let itemIndex = error.itemIndex { o["itemIndex"] = .number(Double(itemIndex)) }
        for (k, v) in error.extra { o[k] = v }
        return .object(o)
    }

    private static func snippet(_ message: String) -> String? {
        guard let start = message.range(of: "syntax error at or near \"") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.lastIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
