import FlowrunCore
import Foundation
import FlowrunExpressions

/// Reading a model's reply as the JSON it was asked for: the whole text, else the text inside a
/// Markdown code fence, else the span from the first `{` (or `[`) to the matching last one.
enum ModelReplyJSON {
    /// The parsed reply; throws a `NodeError` that says why without quoting the reply (item data).
    static func parse(_ text: String, stopReason: String?, context: ExecutionContext, itemIndex: Int) throws -> JSONValue {
        for candidate in candidates(text) {
            if let value = try? JSONValue(parsing: candidate), value.objectValue != nil || value.arrayValue != nil {
                return value
            }
        }
        var why = "the model's reply (\(text.count) characters"
        if let stopReason { why += ", stop_reason \(stopReason)" }
        why += ") is not the JSON object asked for"
        let hint = stopReason == "max_tokens"
            ? "The reply was cut at maxTokens; raise options.maxTokens."
            : "Ask for JSON only in the system prompt, or turn jsonOutput off to get the text."
        throw NodeError(.operation, why, detail: hint, node: context.nodeName, itemIndex: itemIndex)
    }

    static func candidates(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var out = [trimmed]
        if let fenceStart = trimmed.range(of: "```") {
            let afterFence = trimmed[fenceStart.upperBound...]
            let body = afterFence.drop { $0 != "\n" }
            if let fenceEnd = body.range(of: "```") { out.append(String(body[..<fenceEnd.lowerBound])) }
        }
        for (open, close) in [("{", "}"), ("[", "]")] {
            if let first = trimmed.firstIndex(of: Character(open)), let last = trimmed.lastIndex(of: Character(close)), first < last {
                out.append(String(trimmed[first...last]))
            }
        }
        return out
    }

    /// The parsed value as item fields: an object as is, anything else under `data`.
    static func fields(_ value: JSONValue) -> JSONObject {
        if case .object(let o) = value { return o }
        return ["data": value]
    }
}
