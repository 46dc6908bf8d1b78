import Synchronization

/// The state of one evaluation: the context, the budget counters, the call depth.
///
/// Created per evaluation and never shared between threads.
package final class Interpreter {
    package let context: EvaluationContext
    /// The workflow zone: Luxon's default zone and the local zone of `Date` (resolved on first use:
    /// most expressions never need it).
    package lazy var zone: LuxonZone = Interpreter.zone(named: context.timeZone)
    /// The clock, frozen for the whole evaluation at its first reading.
    package lazy var nowMillis: Double = context.nowMilliseconds()
    package var steps = 0
    package var allocated = 0
    package var callDepth = 0
    /// Free variables the expression assigned (`x = 1` without a declaration).
    var assignedGlobals: [String: JSValue] = [:]
    /// Nesting of `$evaluateExpression` calls.
    var nestedEvaluations = 0

    package init(context: EvaluationContext) {
        self.context = context
    }

    private static let zones = Mutex<[String: LuxonZone]>([:])

    /// `LuxonZone.named`, cached: building a zone from the time-zone database is slow.
    static func zone(named name: String) -> LuxonZone {
        if let zone = zones.withLock({ $0[name] }) { return zone }
        var zone = LuxonZone.named(name)
        if !zone.isValid { zone = LuxonZone.named("America/New_York") }
        zones.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[name] = zone
        }
        return zone
    }

    package var extensionContext: ExtensionContext { ExtensionContext(zone: zone, nowMillis: nowMillis) }

    /// Counts one interpreter step; fails when the budget is spent.
    @inline(__always)
    func tick() throws {
        steps &+= 1
        if steps > context.budget.maxSteps {
            throw ExpressionError(.budget, "Expression exceeded its step budget (\(context.budget.maxSteps) steps)")
        }
    }

    /// Counts `units` of memory (characters or elements) about to be created.
    func allocate(_ units: Int) throws {
        allocated &+= max(units, 0)
        if allocated > context.budget.maxAllocation || units > context.budget.maxAllocation {
            throw ExpressionError(.budget, "Expression exceeded memory limit (\(context.budget.maxAllocation) characters or elements)")
        }
    }

    /// Runs `body` one call level deeper.
    func nested<T>(_ body: () throws -> T) throws -> T {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > context.budget.maxCallDepth {
            throw ExpressionError(.budget, "Maximum call stack size exceeded (\(context.budget.maxCallDepth) nested calls)")
        }
        return try body()
    }
}

/// A JavaScript exception in flight (`throw`, a `TypeError` from the runtime). Catchable by
/// `try`/`catch`; at the top of a block n8n swallows it.
struct JSThrow: Error {
    var value: JSValue
}

/// An optional chain met `null`/`undefined`: the chain yields `undefined`.
struct OptionalShortCircuit: Error {}

extension Interpreter {
    /// A `TypeError` to throw.
    func typeError(_ message: String) -> JSThrow {
        JSThrow(value: .object(JSObject.makeError("TypeError", message)))
    }

    func rangeError(_ message: String) -> JSThrow {
        JSThrow(value: .object(JSObject.makeError("RangeError", message)))
    }

    func syntaxError(_ message: String) -> JSThrow {
        JSThrow(value: .object(JSObject.makeError("SyntaxError", message)))
    }
}

extension JSObject {
    /// A new `Error` instance of class `name`.
    static func makeError(_ name: String, _ message: String) -> JSObject {
        let o = JSObject(kind: .error(name))
        o.set("message", .string(message))
        return o
    }
}
