import FlowrunExpressions
import Foundation

/// An all-items answer the JavaScript runner sent in parts: `items` messages before a `done` that
/// says `streamed` (docs/task-runners.md, "Protocol"). Each part is read (into `Item`s when its
/// elements are plain items) as it arrives, while the runner writes the next one.
struct AnswerParts {
    private enum Part {
        /// Plain items (gathered in `plainItems`), and the message they were read from (read again
        /// as JSON if another part is not plain).
        case items(Data)
        /// Anything else, as JSON.
        case values([JSONValue])
    }

    private var parts: [Part] = []
    /// The items of all plain parts so far, in order: gathered as each part arrives, while the
    /// runner writes the next, rather than joined after `done`.
    private var plainItems: [Item] = []
    /// Whether every part so far was plain items.
    private var allPlain = true
    /// Room reserved for `plainItems` at the first plain part (usually as many items as the task had).
    private let expectedCount: Int

    /// - Parameter expectedCount: how many items the answer probably has (room for them is made
    ///   once, instead of growing the array part by part: each growth of a 10,000-item array maps
    ///   new pages and copies it).
    init(expectedCount: Int = 0) {
        self.expectedCount = expectedCount
    }

    /// Adds the part in `line`: its `items` already read as `Item`s, or still in `fields` as JSON.
    mutating func add(line: Data, items: [Item]?, fields: JSONObject) {
        if let items {
            parts.append(.items(line))
            guard allPlain else { return }
            if parts.count == 1 { plainItems.reserveCapacity(max(expectedCount, items.count)) }
            plainItems.append(contentsOf: items)
        } else {
            parts.append(.values(fields["items"]?.arrayValue ?? []))
            allPlain = false
            plainItems = []
        }
    }

    /// The `done` message with the answer's items: as `Item`s when every part was plain items and
    /// the caller reads items, otherwise as the JSON array under `items` (validated by the caller).
    func assemble(
        into done: JSONObject, readsItems: Bool, language: TaskRunnerLanguage
    ) throws(TaskRunnerError) -> (JSONObject, [Item]?) {
        if readsItems, allPlain {
            return (done, plainItems)
        }
        var values: [JSONValue] = []
        for part in parts {
            switch part {
            case .values(let list):
                values.append(contentsOf: list)
            case .items(let line):
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
