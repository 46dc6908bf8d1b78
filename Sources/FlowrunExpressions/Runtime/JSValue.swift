/// A JavaScript value as expressions compute with it.
///
/// Primitives are stored inline; objects, arrays, functions, regular expressions and `Date`s are
/// reference types, so mutation through one reference (`a.push(1)`, `o.x = 1`) is seen through
/// every other, as in JavaScript. Luxon `DateTime` and `Duration` values are immutable and stored
/// inline.
///
/// A value graph belongs to the one evaluation that created it: it is created and mutated on one
/// thread, and only read (or converted with `toJSON()`) after that evaluation has returned.
package enum JSValue: @unchecked Sendable {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array(JSArray)
    case object(JSObject)
    case function(JSFunction)
    case regex(JSRegExp)
    /// A JavaScript `Date` (mutable: `setHours` changes it in place).
    case date(JSDate)
    /// A Luxon `DateTime` (`$now`, `DateTime.fromISO(...)`).
    ///
    /// `indirect`, like `duration`: inline, their 144- and 40-byte payloads made every `JSValue`
    /// 145 bytes, so each copy of any value (a number, a string) was a 145-byte move.
    indirect case dateTime(LuxonDateTime)
    /// A Luxon `Duration`.
    indirect case duration(LuxonDuration)
}

/// A callable value: an arrow function, a function expression, or a native function.
package final class JSFunction: @unchecked Sendable {
    package typealias Body = (_ this: JSValue, _ arguments: [JSValue], _ interpreter: Interpreter) throws -> JSValue

    /// The name JavaScript reports (`fn.name`), also used in error messages.
    package let name: String
    package let call: Body
    /// For constructors (`new Date()`): builds the instance.
    package var construct: ((_ arguments: [JSValue], _ interpreter: Interpreter) throws -> JSValue)?
    /// Static members (`Object.keys`, `Number.MAX_SAFE_INTEGER`). Built-in functions are shared
    /// between evaluations, so writes to them are ignored (`isBuiltin`).
    package var properties: OrderedDictionary<String, JSValue> = [:]
    package var isBuiltin = false
    package var isArrow = false
    /// For built-in constructors: what `instanceof` tests (`Array`, `Date`, `Error`…).
    package var instanceKind: String?

    package init(name: String, call: @escaping Body) {
        self.name = name
        self.call = call
    }
}

/// A JavaScript regular expression literal or `new RegExp(...)`, with its `lastIndex` state.
package final class JSRegExp: @unchecked Sendable {
    package let source: String
    package let flags: String
    package var lastIndex: Int = 0

    package init(source: String, flags: String) {
        self.source = source
        self.flags = flags
    }
}

/// A JavaScript `Date`: milliseconds since 1970 UTC, NaN when invalid.
package final class JSDate: @unchecked Sendable {
    package var milliseconds: Double

    package init(milliseconds: Double) {
        self.milliseconds = milliseconds
    }
}
