import FlowrunExpressions
import Foundation
import Synchronization

/// One exchange with a checked-out runner: send a task (or a syntax check), answer its calls,
/// collect its logs, and wait for `done` within the time limit.
struct RunnerSession: Sendable {
    let process: RunnerProcess
    let timeout: Duration
    private static let nextID = Atomic<Int>(1)
    /// About this much task text per message (the runner parses a part while the next is written).
    static let partBytes = 64 * 1024
    /// The first part's text: the runner starts parsing after a fraction of a part's writing time.
    static let firstPartBytes = 8 * 1024

    /// Runs a task. The runner's answer (success, or the code's error) is the result; a thrown
    /// error means the runner did not answer (killed, crashed, cancelled) and must be replaced.
    ///
    /// - Parameters:
    ///   - task: the task's fields (`items` among them unless `items` is given).
    ///   - items: the input items, written straight from `Item`s (columns for JavaScript).
    ///   - readsItems: read the answer's items straight into `Item`s when they are plain items.
    func run(
        task: JSONObject, items: [Item]? = nil, host: any TaskRunnerHost, readsItems: Bool = false
    ) async throws(TaskRunnerError) -> Result<TaskRunnerResult, TaskRunnerError> {
        let id = Self.nextID.add(1, ordering: .relaxed).newValue
        let process = self.process
        try RunnerMessage.sendTask(
            id: id, timeoutMilliseconds: Int(timeout.components.seconds * 1000), fields: task, items: items,
            layout: process.language == .javaScript ? .columns : .list, partBytes: Self.partBytes,
            firstPartBytes: Self.firstPartBytes
        ) { (part: borrowing JSONTextBuffer) throws(TaskRunnerError) in try process.send(part) }
        let (done, itemList) = try await withDeadline { () async throws(TaskRunnerError) -> (JSONObject, [Item]?) in
            try await exchange(until: "done", host: host, readsItems: readsItems, expectedItems: items?.count ?? 0)
        }
        if let itemList, done["ok"]?.boolValue == true {
            // Plain items pass n8n's validation as they are.
            return .success(TaskRunnerResult(
                items: [], itemList: itemList, staticData: done["staticData"], customData: done["customData"], value: done["result"]))
        }
        if done["ok"]?.boolValue == true {
            var items = done["items"]?.arrayValue ?? []
            if done["unvalidated"]?.boolValue == true {
                // An all-items array as it crossed the wire: n8n's Code-node validation happens here.
                do {
                    items = try RunnerResultValidation.allItems(items)
                } catch {
                    guard task["continueOnFail"]?.boolValue == true else { return .failure(error) }
                    items = [["json": ["error": .string(error.message)]]]
                }
            }
            return .success(TaskRunnerResult(
                items: items, staticData: done["staticData"], customData: done["customData"], value: done["result"]))
        }
        return .failure(Self.error(from: done["error"]?.objectValue ?? [:]))
    }

    func check(code: String) async throws(TaskRunnerError) -> SyntaxProblem? {
        let id = Self.nextID.add(1, ordering: .relaxed).newValue
        let message: JSONValue = ["type": "check", "id": .number(Double(id)), "code": .string(code)]
        try process.send(message.jsonBytes())
        let (reply, _) = try await withDeadline { () async throws(TaskRunnerError) -> (JSONObject, [Item]?) in
            try await exchange(until: "checked", host: nil)
        }
        if reply["ok"]?.boolValue == true { return nil }
        return SyntaxProblem(
            message: reply["message"]?.stringValue ?? "syntax error",
            line: reply["line"]?.numberValue.map { Int($0) },
            column: reply["column"]?.numberValue.map { Int($0) })
    }

    /// Reads messages until one of type `final`, answering calls and forwarding logs.
    ///
    /// With `readsItems` a message's `items` array of plain items is read into `Item`s (then not in
    /// the returned object).
    private func exchange(
        until final: String, host: (any TaskRunnerHost)?, readsItems: Bool = false, expectedItems: Int = 0
    ) async throws(TaskRunnerError) -> (JSONObject, [Item]?) {
        var parts = AnswerParts(expectedCount: expectedItems)
        for await line in process.lines {
            let message: JSONObject
            var itemList: [Item]?
            do {
                // Parsed in place: a 10,000-item answer is not copied into an array first.
                if readsItems, line.first == UInt8(ascii: "{") {
                    let parsed = try line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(JSONParseError) in
                        try JSONItemsMessage(parsing: bytes, pairedItem: CodeRun.pairedItems(from:))
                    }
                    message = parsed.fields
                    itemList = parsed.items
                } else {
                    let parsed = try line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(JSONParseError) in try JSONValue(parsing: bytes) }
                    guard let object = parsed.objectValue else { continue }
                    message = object
                }
            } catch {
                throw TaskRunnerError(
                    .protocolViolation, "the \(process.language.displayName) runner sent an unreadable message",
                    details: "\(error)")
            }
            switch message["type"]?.stringValue {
            case final:
                // An answer sent in parts (`items` messages) says `streamed`; parts without it are dropped.
                guard message["streamed"]?.boolValue == true else { return (message, itemList) }
                return try parts.assemble(into: message, readsItems: readsItems, language: process.language)
            case "items":
                parts.add(line: line, items: itemList, fields: message)
            case "log":
                host?.log(message["args"]?.arrayValue?.map { $0.stringValue ?? $0.jsonString() } ?? [])
            case "call":
                let id = message["id"] ?? .null
                var reply: JSONObject = ["type": "reply", "id": id]
                do {
                    guard let host else { throw TaskRunnerError(.protocolViolation, "no calls allowed here") }
                    reply["result"] = try await host.answer(
                        method: message["method"]?.stringValue ?? "", params: message["params"] ?? .null)
                    reply["ok"] = true
                } catch {
                    reply["ok"] = false
                    var described: JSONObject = ["message": .string(Self.message(of: error))]
                    if let runnerError = error as? TaskRunnerError, let text = runnerError.errorDescription {
                        described["description"] = .string(text)
                    }
                    reply["error"] = .object(described)
                }
                try process.send(JSONValue.object(reply).jsonBytes())
            default:
                continue
            }
        }
        if Task.isCancelled {
            throw TaskRunnerError(.runnerCrashed, "the task was cancelled; its \(process.language.displayName) runner was stopped")
        }
        throw crashError()
    }

    /// Runs `body`, killing the runner when the time limit passes first.
    private func withDeadline<T: Sendable>(
        _ body: @escaping @Sendable () async throws(TaskRunnerError) -> T
    ) async throws(TaskRunnerError) -> T {
        let process = self.process
        let timeout = self.timeout
        let timedOut = TimeoutFlag()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    // A grace second lets the runner report a synchronous loop itself (its vm
                    // timeout is `timeout`) and stay alive; past that the process is killed.
                    try? await Task.sleep(for: timeout + .seconds(1))
                    if !Task.isCancelled {
                        timedOut.value.store(true, ordering: .relaxed)
                        process.terminate()
                    }
                    return nil
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw TaskRunnerError(.runnerCrashed, "the runner ended without an answer")
            }
        } catch let error as TaskRunnerError {
            if timedOut.value.load(ordering: .relaxed) { throw Self.timeoutError(timeout) }
            throw error
        } catch {
            if timedOut.value.load(ordering: .relaxed) { throw Self.timeoutError(timeout) }
            throw TaskRunnerError(.runnerCrashed, "the task was interrupted: \(error)")
        }
    }

    static func timeoutError(_ timeout: Duration) -> TaskRunnerError {
        let seconds = Int(timeout.components.seconds)
        return TaskRunnerError(
            .timeLimit, "Task execution timed out after \(seconds) \(seconds == 1 ? "second" : "seconds")",
            description: "The task runner was taking too long on this task, so the task was aborted.")
    }

    private func crashError() -> TaskRunnerError {
        // Give the exit status and stderr a moment to arrive after stdout closed.
        for _ in 0..<50 where process.isRunning { usleep(2_000) }
        let stderr = process.stderrText
        let name = process.language.displayName
        if stderr.contains("heap out of memory") || stderr.contains("MemoryError") || stderr.contains("Allocation failed") {
            return TaskRunnerError(
                .memoryLimit, "The \(name) runner ran out of memory and was restarted",
                description: "The code used more memory than the runner's limit allows.", details: stderr)
        }
        return TaskRunnerError(
            .runnerCrashed, "The \(name) runner stopped unexpectedly (\(process.exitDescription)) and was restarted",
            details: stderr)
    }

    static func message(of error: any Error) -> String {
        if let error = error as? TaskRunnerError { return error.message }
        return String(describing: error)
    }

    static func error(from object: JSONObject) -> TaskRunnerError {
        let name = object["name"]?.stringValue
        let code: TaskRunnerError.Code = name == "ValidationError" ? .validation : .userCode
        let message = object["message"]?.stringValue ?? "Unknown error"
        if message.hasPrefix("Task execution timed out after") { return TaskRunnerError(.timeLimit, message) }
        return TaskRunnerError(
            code, message, description: object["description"]?.stringValue,
            itemIndex: object["itemIndex"]?.numberValue.map { Int($0) },
            lineNumber: object["lineNumber"]?.numberValue.map { Int($0) },
            details: object["stack"]?.stringValue)
    }
}

/// Set when the deadline passed and the runner was killed.
private final class TimeoutFlag: Sendable {
    let value = Atomic<Bool>(false)
}
