import FlowrunExpressions
import Foundation

/// An all-items answer the JavaScript runner sent in parts: `items` messages before a `done` that
/// says `streamed` (docs/task-runners.md, "Protocol"). Each part is read (into `Item`s when its
/// elements are plain items) as it arrives, while the runner writes the next one.
struct AnswerParts {
    private enum Part {
        /// Plain items, and the message they were read from (read again as JSON if another part is not plain).
        case items([Item], Data)
        /// Anything else, as JSON.
        case values([JSONValue])
    }

    private var parts: [Part] = []
    private var plainCount = 0

    /// Adds the part in `line`: its `items` already read as `Item`s, or still in `fields` as JSON.
    mutating func add(line: Data, items: [Item]?, fields: JSONObject) {
        if let items {
            parts.append(.items(items, line))
            plainCount += items.count
        } else {
            parts.append(.values(fields["items"]?.arrayValue ?? []))
        }
    }

    /// The `done` message with the answer's items: as `Item`s when every part was plain items and
    /// the caller reads items, otherwise as the JSON array under `items` (validated by the caller).
    func assemble(
        into done: JSONObject, readsItems: Bool, language: TaskRunnerLanguage
    ) throws(TaskRunnerError) -> (JSONObject, [Item]?) {
        if readsItems, parts.allSatisfy({ if case .items = $0 { true } else { false } }) {
            var all: [Item] = []
            all.reserveCapacity(plainCount)
            for case .items(let items, _) in parts { all.append(contentsOf: items) }
            return (done, all)
        }
        var values: [JSONValue] = []
        for part in parts {
            switch part {
            case .values(let list):
                values.append(contentsOf: list)
            case .items(_, let line):
                let parsed: JSONValue
                do {
                    parsed = try line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(JSONParseError) in
                        try JSONValue(parsing: bytes)
                    }
                } catch {
                    throw TaskRunnerError(
                        .protocolViolation, "the \(language.displayName) runner sent an unreadable message", details: "\(error)")
                }
                values.append(contentsOf: parsed["items"]?.arrayValue ?? [])
            }
        }
        var message = done
        message["items"] = .array(values)
        return (message, nil)
    }
}
