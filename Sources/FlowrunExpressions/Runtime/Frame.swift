/// The local variables of one function activation (or one top-level block).
final class Frame {
    var slots: [JSValue]
    let parent: Frame?

    /// The frame of a block without local variables: nothing is ever written to it, so one
    /// instance serves every evaluation (an allocation less per item).
    nonisolated(unsafe) static let empty = Frame(count: 0, parent: nil)

    init(count: Int, parent: Frame?) {
        slots = Array(repeating: .undefined, count: count)
        self.parent = parent
    }

    @inline(__always)
    func ancestor(_ hops: Int) -> Frame {
        var frame = self
        for _ in 0..<hops { frame = frame.parent! }
        return frame
    }
}

/// Compiled code: evaluates to a value in a frame.
typealias Eval = @Sendable (Frame, Interpreter) throws -> JSValue

/// How a statement finished.
enum Completion {
    case normal
    case returned(JSValue)
    case breakLoop(String?)
    case continueLoop(String?)
}

/// Compiled statement.
typealias Exec = @Sendable (Frame, Interpreter) throws -> Completion

/// Compile-time view of the variables of one function: which slot each name lives in.
final class CompileScope {
    let parent: CompileScope?
    private(set) var slotCount = 0
    private var blocks: [[String: Int]] = [[:]]

    init(parent: CompileScope?) {
        self.parent = parent
    }

    /// Declares `name` in the innermost block (reusing a slot declared in the same block).
    @discardableResult
    func declare(_ name: String) -> Int {
        if let existing = blocks[blocks.count - 1][name] { return existing }
        let slot = slotCount
        slotCount += 1
        blocks[blocks.count - 1][name] = slot
        return slot
    }

    /// Declares `name` in the function's outermost block (`var`, function declarations).
    @discardableResult
    func declareInFunction(_ name: String) -> Int {
        if let existing = blocks[0][name] { return existing }
        let slot = slotCount
        slotCount += 1
        blocks[0][name] = slot
        return slot
    }

    func pushBlock() { blocks.append([:]) }
    func popBlock() { blocks.removeLast() }

    /// (frames up, slot) of a visible local, or nil for a free (global) name.
    func resolve(_ name: String) -> (hops: Int, slot: Int)? {
        var scope: CompileScope? = self
        var hops = 0
        while let s = scope {
            for block in s.blocks.reversed() {
                if let slot = block[name] { return (hops, slot) }
            }
            scope = s.parent
            hops += 1
        }
        return nil
    }
}
