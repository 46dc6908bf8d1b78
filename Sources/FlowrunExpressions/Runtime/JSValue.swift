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
    case dateTime(LuxonDateTime)
    /// A Luxon `Duration`.
    case duration(LuxonDuration)
}

/// A JavaScript array: elements by reference.
package final class JSArray: @unchecked Sendable {
    package var elements: [JSValue]

    package init(_ elements: [JSValue] = []) {
        self.elements = elements
    }
}

/// A JavaScript object: own enumerable properties in insertion order.
///
/// `kind` marks the few built-in objects that are not plain (`Math`, `JSON`, an `Error`, the
/// namespace objects of n8n's data proxy); their members are resolved by the runtime.
package final class JSObject: @unchecked Sendable {
    package var properties: OrderedDictionary<String, JSValue>
    package var kind: Kind

    package init(_ properties: OrderedDictionary<String, JSValue> = [:], kind: Kind = .plain) {
        self.properties = properties
        self.kind = kind
    }

    /// What kind of object this is, for `instanceof`, `toString` and member lookup.
    package enum Kind: Sendable, Equatable {
        case plain
        /// An `Error` (or subclass) instance: `name` and `message` are properties.
        case error(String)
        /// A global namespace or constructor (`Math`, `JSON`, `Object`, `DateTime`…).
        case builtin(String)
        /// An n8n data-proxy object (`$input`, `$('X')`, `$node.X`, `$execution`…).
        case proxy(String)
    }
}

/// A callable value: an arrow function, a function expression, or a native function.
package final class JSFunction: @unchecked Sendable {
    /// The name JavaScript reports (`fn.name`), also used in error messages.
    package let name: String
    package let call: (_ this: JSValue, _ arguments: [JSValue], _ interpreter: Interpreter) throws -> JSValue
    /// Properties set on the function object (static members of native constructors).
    package var properties: OrderedDictionary<String, JSValue> = [:]

    package init(name: String, call: @escaping (_ this: JSValue, _ arguments: [JSValue], _ interpreter: Interpreter) throws -> JSValue) {
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
